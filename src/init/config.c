/* config.c - parse init's XML config into the plain model of config.h, free of I/O */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <util/xml.h>

/*
 * All memory of a config comes from one arena: a list of blocks from the
 * caller's allocator, freed together.
 */
struct arena_block {
	struct arena_block *next;
	size_t              size, used;
	max_align_t         data[];
};

struct init_arena {
	init_alloc          a;
	struct arena_block *blocks;
};

enum { ARENA_BLOCK = 4096 };

typedef struct parser {
	init_config  *c;
	init_diag_fn  diag;
	void         *diag_ctx;
	bool          nomem;
	bool          invalid;
} parser;

static void *arena_alloc(parser *p, size_t size)
{
	struct init_arena  *ar = p->c->arena;
	struct arena_block *b  = ar->blocks;

	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!b || b->size - b->used < size) {
		size_t bytes = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = ar->a.alloc(ar->a.ctx, sizeof *b + bytes);
		if (!b) {
			p->nomem = true;
			return NULL;
		}
		b->size = bytes;
		b->used = 0;
		b->next = ar->blocks;
		ar->blocks = b;
	}
	void *r = (char *)b->data + b->used;
	b->used += size;
	memset(r, 0, size);
	return r;
}

static const char *arena_str(parser *p, struct str s)
{
	char *d = arena_alloc(p, s.len + 1);
	if (d)
		str_copy(d, s.len + 1, s);
	return d;
}

static void diagf(parser *p, init_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void diagf(parser *p, init_diag_level level, const char *fmt, ...)
{
	char    msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->diag)
		p->diag(p->diag_ctx, level, msg);
}

/* attribute value as arena string, NULL if absent */
static const char *attr_str(parser *p, const struct xml_node *n, const char *name)
{
	struct xml_attr a;
	if (!xml_attribute(n, name, &a))
		return NULL;
	return arena_str(p, a.value);
}

static unsigned count_sub_nodes(const struct xml_node *n, const char *type)
{
	struct xml_iter it;
	struct xml_node sub;
	unsigned        num = 0;

	xml_iter_init(&it, n, type);
	while (xml_iter_next(&it, &sub))
		num++;
	return num;
}

/* ---- route tables ---- */

static void parse_targets(parser *p, const struct xml_node *n, init_route_entry *e)
{
	struct xml_iter it;
	struct xml_node t;
	unsigned        max = xml_num_sub_nodes(n);

	e->targets = max ? arena_alloc(p, max * sizeof *e->targets) : NULL;
	if (max && !e->targets)
		return;

	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &t)) {
		init_target *target = &e->targets[e->num_targets];

		if (xml_has_type(&t, "parent")) {
			target->type = INIT_TARGET_PARENT;
		} else if (xml_has_type(&t, "any-child")) {
			target->type = INIT_TARGET_ANY_CHILD;
		} else if (xml_has_type(&t, "child")) {
			target->type = INIT_TARGET_CHILD;
			target->name = attr_str(p, &t, "name");
			if (!target->name) {
				diagf(p, INIT_DIAG_WARNING, "missing 'name' attribute in '<child>' route target");
				continue;
			}
		} else {
			continue;  /* <if-arg> and unknown nodes */
		}
		e->num_targets++;
	}
}

static void parse_route_table(parser *p, const struct xml_node *n, init_route_table *t)
{
	struct xml_iter it;
	struct xml_node sub;
	unsigned        max = xml_num_sub_nodes(n);

	t->num     = 0;
	t->entries = max ? arena_alloc(p, max * sizeof *t->entries) : NULL;
	if (max && !t->entries)
		return;

	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub)) {
		init_route_entry *e = &t->entries[t->num];

		if (xml_has_type(&sub, "any-service")) {
			e->any_service = true;
		} else if (xml_has_type(&sub, "service")) {
			e->service = attr_str(p, &sub, "name");
			if (!e->service) {
				diagf(p, INIT_DIAG_WARNING, "missing 'name' attribute in '<service>' route entry");
				continue;
			}
		} else {
			continue;
		}
		e->node         = sub;
		e->label        = attr_str(p, &sub, "label");
		e->label_prefix = attr_str(p, &sub, "label_prefix");
		e->label_suffix = attr_str(p, &sub, "label_suffix");
		parse_targets(p, &sub, e);
		t->num++;
	}
}

/* names of <service name="..."/> sub nodes of n, into *names */
static unsigned parse_service_names(parser *p, const struct xml_node *n, const char ***names)
{
	struct xml_iter it;
	struct xml_node s;
	unsigned        max = count_sub_nodes(n, "service"), num = 0;

	*names = max ? arena_alloc(p, max * sizeof **names) : NULL;
	if (max && !*names)
		return 0;

	xml_iter_init(&it, n, "service");
	while (xml_iter_next(&it, &s)) {
		const char *name = attr_str(p, &s, "name");
		if (!name || !name[0] || strlen(name) >= INIT_NAME_MAX)
			continue;
		(*names)[num++] = name;
	}
	return num;
}

/* ---- start nodes ---- */

static void parse_resources(parser *p, const struct xml_node *n, init_start *s)
{
	struct xml_iter it;
	struct xml_node r;

	xml_iter_init(&it, n, "resource");
	while (xml_iter_next(&it, &r)) {
		if (!xml_attr_equals(&r, "name", "RAM"))
			continue;
		s->ram_quantum    = xml_attr_size(&r, "quantum", 0);
		s->constrain_phys = xml_attr_bool(&r, "constrain_phys", false);
	}
}

static bool parse_start(parser *p, const struct xml_node *n, init_start *s)
{
	struct xml_node sub;
	struct xml_attr name;

	if (!xml_attribute(n, "name", &name) || name.value.len == 0) {
		diagf(p, INIT_DIAG_WARNING, "missing 'name' attribute in '<start>' entry");
		return false;
	}
	if (name.value.len >= INIT_NAME_MAX) {
		diagf(p, INIT_DIAG_WARNING, "name of '<start>' entry exceeds %d characters, skipped",
		      INIT_NAME_MAX - 1);
		return false;
	}
	s->name   = arena_str(p, name.value);
	s->binary = s->name;
	if (xml_sub_node_by_type(n, "binary", &sub)) {
		struct xml_attr bin;
		if (xml_attribute(&sub, "name", &bin) && bin.value.len > 0
		    && bin.value.len < INIT_NAME_MAX)
			s->binary = arena_str(p, bin.value);
	}

	parse_resources(p, n, s);
	s->priority = xml_attr_long(n, "priority", 0);

	if (xml_sub_node_by_type(n, "provides", &sub))
		s->num_provides = parse_service_names(p, &sub, &s->provides);

	if (xml_sub_node_by_type(n, "config", &sub)) {
		struct str text = xml_node_text(&sub);
		s->config     = text.ptr;
		s->config_len = text.len;
	}
	if (xml_sub_node_by_type(n, "configfile", &sub))
		s->configfile = attr_str(p, &sub, "name");

	if (xml_sub_node_by_type(n, "route", &sub)) {
		s->has_route = true;
		parse_route_table(p, &sub, &s->route);
	}
	if (xml_sub_node_by_type(n, "exit", &sub))
		s->exit_propagate = xml_attr_bool(&sub, "propagate", false);

	struct str text = xml_node_text(n);
	s->node     = text.ptr;
	s->node_len = text.len;
	return true;
}

static void parse_aliases(parser *p, const struct xml_node *root)
{
	init_config    *c = p->c;
	struct xml_iter it;
	struct xml_node a;
	unsigned        max = count_sub_nodes(root, "alias");

	c->aliases = max ? arena_alloc(p, max * sizeof *c->aliases) : NULL;
	if (max && !c->aliases)
		return;

	xml_iter_init(&it, root, "alias");
	while (xml_iter_next(&it, &a)) {
		const char *name  = attr_str(p, &a, "name");
		const char *child = attr_str(p, &a, "child");

		if (!name) {
			diagf(p, INIT_DIAG_WARNING, "missing 'name' attribute in '<alias>' entry");
			continue;
		}
		if (!child) {
			diagf(p, INIT_DIAG_WARNING, "missing 'child' attribute in '<alias>' entry");
			continue;
		}
		for (unsigned i = 0; i < c->num_aliases; i++) {
			if (strcmp(c->aliases[i].name, name) == 0) {
				diagf(p, INIT_DIAG_ERROR, "alias name %s is not unique", name);
				p->invalid = true;
			}
		}
		c->aliases[c->num_aliases].name  = name;
		c->aliases[c->num_aliases].child = child;
		c->num_aliases++;
	}
}

static bool is_alias(const init_config *c, const char *name)
{
	for (unsigned i = 0; i < c->num_aliases; i++)
		if (strcmp(c->aliases[i].name, name) == 0)
			return true;
	return false;
}

static void parse_starts(parser *p, const struct xml_node *root)
{
	init_config    *c = p->c;
	struct xml_iter it;
	struct xml_node n;
	unsigned        max = count_sub_nodes(root, "start");

	c->starts = max ? arena_alloc(p, max * sizeof *c->starts) : NULL;
	if (max && !c->starts)
		return;

	xml_iter_init(&it, root, "start");
	while (xml_iter_next(&it, &n) && !p->nomem) {
		init_start *s = &c->starts[c->num_starts];

		memset(s, 0, sizeof *s);
		if (!parse_start(p, &n, s))
			continue;
		if (init_config_start_index(c, s->name) >= 0 || is_alias(c, s->name)) {
			diagf(p, INIT_DIAG_ERROR, "child name \"%s\" is not unique", s->name);
			p->invalid = true;
			continue;
		}
		c->num_starts++;
	}
}

static void parse_prio_levels(parser *p, const struct xml_node *root)
{
	unsigned long levels = xml_attr_ulong(root, "prio_levels", 0);

	if (levels && (levels & (levels - 1))) {
		diagf(p, INIT_DIAG_WARNING, "prio levels is not power of two, priorities are disabled");
		levels = 0;
	}
	if (levels > 65536)
		levels = 65536;
	p->c->prio_levels = (unsigned)levels;
}

/* line and column (both from 1) of byte `offset` */
static void position(const char *xml, size_t len, size_t offset, unsigned *line, unsigned *col)
{
	*line = 1;
	*col  = 1;
	for (size_t i = 0; i < offset && i < len; i++) {
		if (xml[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void syntax_error(parser *p, const char *xml, size_t len, struct xml_parse_result r)
{
	unsigned line, col;
	char     element[INIT_NAME_MAX];

	position(xml, len, r.offset, &line, &col);
	str_copy(element, sizeof element, r.element);
	if (element[0])
		diagf(p, INIT_DIAG_ERROR, "config has invalid syntax: %s (element <%s>) at line %u, column %u",
		      xml_error_str(r.error), element, line, col);
	else
		diagf(p, INIT_DIAG_ERROR, "config has invalid syntax: %s at line %u, column %u",
		      xml_error_str(r.error), line, col);
	diagf(p, INIT_DIAG_ERROR, "no children to start");
}

init_config_result init_config_parse(const char *xml, size_t len, const init_alloc *a,
                                     init_diag_fn diag, void *diag_ctx, init_config **out)
{
	struct xml_node root, sub;
	struct init_arena *ar;
	parser p = { .diag = diag, .diag_ctx = diag_ctx };

	*out = NULL;

	struct xml_parse_result r = xml_parse(xml, len, &root);
	if (r.error != XML_OK) {
		syntax_error(&p, xml, len, r);
		return INIT_CONFIG_SYNTAX;
	}

	ar = a->alloc(a->ctx, sizeof *ar);
	if (!ar)
		return INIT_CONFIG_NOMEM;
	ar->a      = *a;
	ar->blocks = NULL;

	/* the config struct and its copy of the text live in the arena */
	init_config tmp = { .arena = ar };
	p.c = &tmp;
	init_config *c = arena_alloc(&p, sizeof *c);
	char *text = c ? arena_alloc(&p, root.size) : NULL;
	if (!text) {
		tmp.arena = ar;
		init_config_free(&tmp);
		return INIT_CONFIG_NOMEM;
	}
	c->arena = ar;
	p.c = c;

	/* the copy parses like the original: same bytes */
	memcpy(text, root.addr, root.size);
	if (xml_parse(text, root.size, &root).error != XML_OK) {
		init_config_free(c);
		return INIT_CONFIG_SYNTAX;
	}

	c->verbose = xml_attr_bool(&root, "verbose", false);
	parse_prio_levels(&p, &root);

	if (xml_sub_node_by_type(&root, "parent-provides", &sub))
		c->num_parent_services = parse_service_names(&p, &sub, &c->parent_services);
	if (xml_sub_node_by_type(&root, "default-route", &sub))
		parse_route_table(&p, &sub, &c->default_route);

	parse_aliases(&p, &root);
	parse_starts(&p, &root);

	if (p.nomem || p.invalid) {
		init_config_free(c);
		return p.nomem ? INIT_CONFIG_NOMEM : INIT_CONFIG_INVALID;
	}
	*out = c;
	return INIT_CONFIG_OK;
}

void init_config_free(init_config *c)
{
	if (!c)
		return;

	struct init_arena  *ar = c->arena;
	struct arena_block *b  = ar->blocks;

	while (b) {
		struct arena_block *next = b->next;
		ar->a.free(ar->a.ctx, b);
		b = next;
	}
	ar->a.free(ar->a.ctx, ar);
}

/* ---- queries ---- */

int init_config_start_index(const init_config *c, const char *name)
{
	for (unsigned i = 0; i < c->num_starts; i++)
		if (strcmp(c->starts[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *init_config_deref_alias(const init_config *c, const char *name)
{
	for (unsigned i = 0; i < c->num_aliases; i++)
		if (strcmp(c->aliases[i].name, name) == 0)
			return c->aliases[i].child;
	return name;
}

int init_start_service_index(const init_start *s, const char *service)
{
	for (unsigned i = 0; i < s->num_provides; i++)
		if (strcmp(s->provides[i], service) == 0)
			return (int)i;
	return -1;
}

bool init_config_parent_provides(const init_config *c, const char *service)
{
	for (unsigned i = 0; i < c->num_parent_services; i++)
		if (strcmp(c->parent_services[i], service) == 0)
			return true;
	return false;
}

const init_route_table *init_config_route_table(const init_config *c, unsigned idx)
{
	const init_start *s = &c->starts[idx];
	return s->has_route ? &s->route : &c->default_route;
}
