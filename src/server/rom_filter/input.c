/* input.c - rom_filter's inputs: one watched ROM per <input>, and value lookup */

#include "rom_filter.h"

#include <base/heap.h>
#include <base/log.h>

#include <string.h>

static struct input  *inputs;
static struct source *sources;

static struct input  *old_inputs;
static struct source *old_sources;

static struct source *source(cairn_env *env, const char *rom, cairn_watched_rom_fn changed)
{
	for (struct source *s = sources; s; s = s->next)
		if (!strcmp(s->rom, rom)) return s;

	/* a ROM the previous config read already: keep its session */
	for (struct source **p = &old_sources; *p; p = &(*p)->next) {
		struct source *s = *p;
		if (strcmp(s->rom, rom) || !s->open) continue;
		*p      = s->next;
		s->next = sources;
		sources = s;
		return s;
	}

	struct source *s = cairn_heap_calloc(env->heap, 1, sizeof(*s));
	if (!s) return 0;
	(void)str_copy(s->rom, sizeof(s->rom), str_z(rom));
	int err = cairn_watched_rom_open(&s->session, env, s->rom, changed, s);
	if (err == CAIRN_OK)
		s->open = true;
	else
		cairn_warning("input ROM '%s' is unavailable (%s)", s->rom, cairn_err_str(err));
	s->next = sources;
	sources = s;
	return s;
}

static void free_all(cairn_env *env, struct input **ins, struct source **srcs)
{
	while (*ins) {
		struct input *in = *ins;
		*ins = in->next;
		cairn_heap_free(env->heap, in);
	}
	while (*srcs) {
		struct source *s = *srcs;
		*srcs = s->next;
		if (s->open)
			cairn_watched_rom_close(&s->session);
		cairn_heap_free(env->heap, s);
	}
}

void inputs_open(cairn_env *env, const struct xml_node *cfg, cairn_watched_rom_fn changed)
{
	struct xml_iter it;
	struct xml_node n;
	char rom[LABEL_MAX + 1];

	/*
	 * The inputs of the previous config are closed only after the new
	 * ones are open: sessions of ROMs that both read stay as they are,
	 * and the servers are never dropped and reconnected in between.
	 */
	old_inputs  = inputs;
	old_sources = sources;
	inputs  = 0;
	sources = 0;

	xml_iter_init(&it, cfg, "input");
	while (xml_iter_next(&it, &n)) {
		struct input *in = cairn_heap_calloc(env->heap, 1, sizeof(*in));
		if (!in) {
			cairn_error("out of memory for inputs");
			break;
		}
		if (xml_attr_string(&n, "name", in->name, sizeof(in->name), "") >= sizeof(in->name)
		 || !in->name[0]) {
			cairn_warning("ignoring <input> without valid 'name' attribute");
			cairn_heap_free(env->heap, in);
			continue;
		}
		(void)xml_attr_string(&n, "rom", rom, sizeof(rom), in->name);
		(void)xml_attr_string(&n, "node", in->node, sizeof(in->node), in->name);
		in->source = source(env, rom, changed);
		if (!in->source) {
			cairn_error("out of memory for inputs");
			cairn_heap_free(env->heap, in);
			break;
		}
		in->next = inputs;
		inputs   = in;
	}
	free_all(env, &old_inputs, &old_sources);
}

static struct input *input_lookup(const char *name)
{
	for (struct input *in = inputs; in; in = in->next)
		if (!strcmp(in->name, name)) return in;
	return 0;
}

/* the <input> node of cfg named `name` */
static bool input_node(const struct xml_node *cfg, const char *name, struct xml_node *out)
{
	struct xml_iter it;
	xml_iter_init(&it, cfg, "input");
	while (xml_iter_next(&it, out))
		if (xml_attr_equals(out, "name", name)) return true;
	return false;
}

/*
 * Follow the path of the <input> node through the content: nested
 * <node type="E"> steps select the first sub node of that type, the
 * <attribute name="A"/> at the end yields the value.
 */
static bool follow(const struct xml_node *spec, struct xml_node content, struct str *value)
{
	struct xml_node step = *spec, next;
	for (;;) {
		if (xml_sub_node_by_type(&step, "attribute", &next)) {
			char name[64];
			struct xml_attr a;
			if (xml_attr_string(&next, "name", name, sizeof(name), "") >= sizeof(name))
				return false;
			if (!xml_attribute(&content, name, &a))
				return false;
			*value = a.value;
			return true;
		}
		if (!xml_sub_node_by_type(&step, "node", &next))
			return false;
		char type[64];
		if (xml_attr_string(&next, "type", type, sizeof(type), "") >= sizeof(type))
			return false;
		struct xml_node sub;
		if (!xml_sub_node_by_type(&content, type, &sub))
			return false;
		content = sub;
		step    = next;
	}
}

bool input_value(const struct xml_node *cfg, const char *name, struct str *value)
{
	struct xml_node spec, content;
	struct input *in = input_lookup(name);

	if (!in || !input_node(cfg, name, &spec)) {
		cairn_warning("unknown input '%s'", name);
		return false;
	}
	struct source *src = in->source;
	if (!src->open || !cairn_watched_rom_xml(&src->session, &content)
	 || !xml_has_type(&content, in->node)) {
		cairn_warning("top-level node <%s> missing in input ROM %s", in->node, src->rom);
		cairn_warning("could not obtain input value for input %s", in->name);
		return false;
	}
	if (!follow(&spec, content, value)) {
		cairn_warning("could not obtain input value for input %s", in->name);
		return false;
	}
	return true;
}
