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
	const char   *text;      /* the config's copy of the XML, for positions */
	size_t        len;
	unsigned      flags;     /* INIT_PARSE_* */
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

static void vproblem(parser *p, init_diag_level level, const struct xml_node *where,
                     const char *fmt, va_list ap)
{
	char     what[200];
	unsigned line, col;

	vsnprintf(what, sizeof what, fmt, ap);
	position(p->text, p->len, (size_t)(where->addr - p->text), &line, &col);
	diagf(p, level, "%s at line %u, column %u", what, line, col);
}

/* a problem that makes the config unusable: `<what> at line L, column C` */
static void reject(parser *p, const struct xml_node *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reject(parser *p, const struct xml_node *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(p, INIT_DIAG_ERROR, where, fmt, ap);
	va_end(ap);
	p->invalid = true;
}

/* a name that refers to nothing: refused in an update, a warning at start */
static void dangling(parser *p, const struct xml_node *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void dangling(parser *p, const struct xml_node *where, const char *fmt, ...)
{
	bool    update = p->flags & INIT_PARSE_UPDATE;
	va_list ap;

	va_start(ap, fmt);
	vproblem(p, update ? INIT_DIAG_ERROR : INIT_DIAG_WARNING, where, fmt, ap);
	va_end(ap);
	if (update)
		p->invalid = true;
}

/* the element's name as a C string (for messages) */
static const char *type_of(const struct xml_node *n, char *buf, size_t len)
{
	str_copy(buf, len, xml_type(n));
	return buf;
}

/*
 * Refuse sub nodes of n whose type is not in the NULL-terminated list;
 * messages name n as `where`, by default as `<type>`.
 */
static void check_sub_nodes(parser *p, const struct xml_node *n, const char *where,
                            const char *const *known)
{
	struct xml_iter it;
	struct xml_node sub;
	char            type[INIT_NAME_MAX], own[INIT_NAME_MAX + 2];

	if (!where) {
		snprintf(own, sizeof own, "<%s>", type_of(n, type, sizeof type));
		where = own;
	}
	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub)) {
		bool ok = false;
		for (unsigned i = 0; known[i] && !ok; i++)
			ok = xml_has_type(&sub, known[i]);
		if (!ok)
			reject(p, &sub, "unknown element <%s> in %s", type_of(&sub, type, sizeof type),
			       where);
	}
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

	static const char *const known[] = { "parent", "child", "any-child", "if-arg", NULL };
	check_sub_nodes(p, n, NULL, known);

	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &t)) {
		init_target *target = &e->targets[e->num_targets];
		target->label = NULL;

		if (xml_has_type(&t, "parent")) {
			target->type = INIT_TARGET_PARENT;
		} else if (xml_has_type(&t, "any-child")) {
			target->type = INIT_TARGET_ANY_CHILD;
		} else if (xml_has_type(&t, "child")) {
			target->type = INIT_TARGET_CHILD;
			target->name = attr_str(p, &t, "name");
			target->node = t;
			if (!target->name) {
				reject(p, &t, "missing 'name' attribute in '<child>' route target");
				continue;
			}
		} else {
			continue;  /* <if-arg> (deprecated, ignored) */
		}
		target->label = attr_str(p, &t, "label");
		e->num_targets++;
	}
}

static void parse_route_table(parser *p, const struct xml_node *n, init_route_table *t)
{
	struct xml_iter it;
	struct xml_node sub;
	unsigned        max = xml_num_sub_nodes(n);
	static const char *const known[] = { "service", "any-service", NULL };

	check_sub_nodes(p, n, NULL, known);
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
				reject(p, &sub, "missing 'name' attribute in '<service>' route entry");
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

	static const char *const known[] = { "service", NULL };
	check_sub_nodes(p, n, NULL, known);

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
		if (xml_attr_equals(&r, "name", "CPU")) {
			s->cpu_quantum = xml_attr_ulong(&r, "quantum", 0);
			continue;
		}
		if (!xml_attr_equals(&r, "name", "RAM"))
			continue;
		s->ram_quantum    = xml_attr_size(&r, "quantum", 0);
		s->ram_limit      = xml_attr_size(&r, "limit", 0);
		s->constrain_phys = xml_attr_bool(&r, "constrain_phys", false);
	}
}

/* a number given as node content (10.02's <priolevels>, <priority>) */
static long content_long(const struct xml_node *n, long def)
{
	struct str v = xml_content(n);
	while (v.len && (*v.ptr == ' ' || *v.ptr == '\t' || *v.ptr == '\n' || *v.ptr == '\r')) {
		v.ptr++;
		v.len--;
	}
	return xml_value_long(v, def);
}

static long clamp_long(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* <affinity xpos ypos width height> within the config's space (init.md 8.3) */
static void parse_affinity(parser *p, const struct xml_node *n, init_start *s)
{
	const init_config *c = p->c;
	struct xml_node    a;
	init_affinity     *r = &s->affinity;

	*r = (init_affinity){ 0, 0, c->space_width, c->space_height };
	if (!xml_sub_node_by_type(n, "affinity", &a))
		return;

	long x = clamp_long(xml_attr_long(&a, "xpos", 0), 0, (long)c->space_width - 1);
	long y = clamp_long(xml_attr_long(&a, "ypos", 0), 0, (long)c->space_height - 1);
	long w = xml_attr_long(&a, "width", xml_has_attribute(&a, "xpos") ? 1 : (long)c->space_width);
	long h = xml_attr_long(&a, "height", xml_has_attribute(&a, "ypos") ? 1 : (long)c->space_height);

	r->xpos   = (unsigned)x;
	r->ypos   = (unsigned)y;
	r->width  = (unsigned)clamp_long(w, 1, (long)c->space_width - x);
	r->height = (unsigned)clamp_long(h, 1, (long)c->space_height - y);
}

/*
 * The node text without the sub nodes whose changes do not restart the
 * child (<config>, <route>, <resource>, <exit>): what is left must stay
 * byte-identical for the child to be kept.
 */
static void node_rest(parser *p, const struct xml_node *n, init_start *s)
{
	struct xml_iter it;
	struct xml_node sub;
	const char     *from = n->addr;
	char           *out  = arena_alloc(p, n->size);
	size_t          len  = 0;

	if (!out)
		return;
	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub)) {
		if (!xml_has_type(&sub, "config") && !xml_has_type(&sub, "route")
		    && !xml_has_type(&sub, "resource") && !xml_has_type(&sub, "exit"))
			continue;
		memcpy(out + len, from, (size_t)(sub.addr - from));
		len += (size_t)(sub.addr - from);
		from = sub.addr + sub.size;
	}
	memcpy(out + len, from, (size_t)(n->addr + n->size - from));
	len += (size_t)(n->addr + n->size - from);
	s->rest     = out;
	s->rest_len = len;
}

static bool parse_start(parser *p, const struct xml_node *n, init_start *s)
{
	static const char *const known[] = {
		"binary", "resource", "affinity", "provides", "config", "configfile",
		"route", "exit", "priority", NULL };
	struct xml_node sub;
	struct xml_attr name;
	char            where[INIT_NAME_MAX + 16];

	if (!xml_attribute(n, "name", &name) || name.value.len == 0) {
		reject(p, n, "missing 'name' attribute in '<start>' entry");
		return false;
	}
	if (name.value.len >= INIT_NAME_MAX) {
		reject(p, n, "name of '<start>' entry exceeds %d characters", INIT_NAME_MAX - 1);
		return false;
	}
	s->name    = arena_str(p, name.value);
	s->binary  = s->name;
	s->version = attr_str(p, n, "version");
	if (!s->name)
		return false;

	snprintf(where, sizeof where, "<start name=\"%s\">", s->name);
	check_sub_nodes(p, n, where, known);

	if (xml_sub_node_by_type(n, "binary", &sub)) {
		struct xml_attr bin;
		if (xml_attribute(&sub, "name", &bin) && bin.value.len > 0
		    && bin.value.len < INIT_NAME_MAX)
			s->binary = arena_str(p, bin.value);
	}

	parse_resources(p, n, s);
	parse_affinity(p, n, s);
	s->priority = xml_attr_long(n, "priority", 0);
	if (!xml_has_attribute(n, "priority") && xml_sub_node_by_type(n, "priority", &sub))
		s->priority = content_long(&sub, 0);

	if (xml_sub_node_by_type(n, "provides", &sub))
		s->num_provides = parse_service_names(p, &sub, &s->provides);

	if (xml_sub_node_by_type(n, "config", &sub)) {
		struct str text = xml_node_text(&sub);
		s->config     = text.ptr;
		s->config_len = text.len;
	}
	if (xml_sub_node_by_type(n, "configfile", &sub)) {
		s->configfile = attr_str(p, &sub, "name");
		if (!s->configfile)
			reject(p, &sub, "missing 'name' attribute in '<configfile>' of \"%s\"", s->name);
	}

	if (xml_sub_node_by_type(n, "route", &sub)) {
		s->has_route = true;
		parse_route_table(p, &sub, &s->route);
	}
	if (xml_sub_node_by_type(n, "exit", &sub))
		s->exit_propagate = xml_attr_bool(&sub, "propagate", false);

	struct str text = xml_node_text(n);
	s->node     = text.ptr;
	s->node_len = text.len;
	node_rest(p, n, s);
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
		for (unsigned i = 0; i < c->num_aliases; i++)
			if (strcmp(c->aliases[i].name, name) == 0)
				reject(p, &a, "alias name %s is not unique", name);
		c->aliases[c->num_aliases].name  = name;
		c->aliases[c->num_aliases].child = child;
		c->aliases[c->num_aliases].node  = a;
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
			reject(p, &n, "child name \"%s\" is not unique", s->name);
			continue;
		}
		c->num_starts++;
	}
}

/* every <child name> of a route table and every alias names a <start> node */
static void check_route_targets(parser *p, const init_route_table *t, const char *owner)
{
	const init_config *c = p->c;

	for (unsigned i = 0; i < t->num; i++) {
		for (unsigned j = 0; j < t->entries[i].num_targets; j++) {
			const init_target *target = &t->entries[i].targets[j];
			if (target->type != INIT_TARGET_CHILD)
				continue;
			const char *name = init_config_deref_alias(c, target->name);
			if (init_config_start_index(c, name) < 0)
				dangling(p, &target->node, "%s: route to unknown child \"%s\"", owner,
				         target->name);
		}
	}
}

static void check_references(parser *p)
{
	const init_config *c = p->c;

	for (unsigned i = 0; i < c->num_aliases; i++)
		if (init_config_start_index(c, c->aliases[i].child) < 0)
			dangling(p, &c->aliases[i].node, "alias \"%s\" refers to unknown child \"%s\"",
			         c->aliases[i].name, c->aliases[i].child);
	check_route_targets(p, &c->default_route, "<default-route>");
	for (unsigned i = 0; i < c->num_starts; i++)
		check_route_targets(p, &c->starts[i].route, c->starts[i].name);
}

static void parse_prio_levels(parser *p, const struct xml_node *root)
{
	struct xml_node legacy;
	unsigned long   levels = xml_attr_ulong(root, "prio_levels", 0);

	if (!xml_has_attribute(root, "prio_levels") && xml_sub_node_by_type(root, "priolevels", &legacy)) {
		long v = content_long(&legacy, 0);
		levels = v > 0 ? (unsigned long)v : 0;
	}
	if (levels && (levels & (levels - 1))) {
		diagf(p, INIT_DIAG_WARNING, "prio levels is not power of two, priorities are disabled");
		levels = 0;
	}
	if (levels > 65536)
		levels = 65536;
	p->c->prio_levels = (unsigned)levels;
}

static void parse_affinity_space(parser *p, const struct xml_node *root)
{
	struct xml_node n;
	init_config    *c = p->c;

	c->space_width  = 1;
	c->space_height = 1;
	if (!xml_sub_node_by_type(root, "affinity-space", &n))
		return;
	unsigned long w = xml_attr_ulong(&n, "width", 1), h = xml_attr_ulong(&n, "height", 1);
	c->space_width  = (unsigned)(w < 1 ? 1 : w > 1024 ? 1024 : w);
	c->space_height = (unsigned)(h < 1 ? 1 : h > 1024 ? 1024 : h);
}

static void parse_report(parser *p, const struct xml_node *root)
{
	struct xml_node     n;
	init_report_config *r = &p->c->report;

	if (!xml_sub_node_by_type(root, "report", &n))
		return;
	r->enabled      = true;
	r->delay_ms     = (unsigned)xml_attr_ulong(&n, "delay_ms", INIT_REPORT_DELAY_MS);
	r->buffer       = xml_attr_size(&n, "buffer", INIT_REPORT_BUFFER);
	r->ids          = xml_attr_bool(&n, "ids", false);
	r->requested    = xml_attr_bool(&n, "requested", false);
	r->provided     = xml_attr_bool(&n, "provided", false);
	r->session_args = xml_attr_bool(&n, "session_args", false);
	r->child_ram    = xml_attr_bool(&n, "child_ram", false);
	r->init_ram     = xml_attr_bool(&n, "init_ram", false);
	if (r->buffer < 64)
		r->buffer = 64;
	if (r->buffer > 1024 * 1024)
		r->buffer = 1024 * 1024;
}

/* top-level <resource name="RAM" preserve="..."/>: init's own reserve */
static void parse_preserve(parser *p, const struct xml_node *root)
{
	struct xml_iter it;
	struct xml_node r;

	p->c->ram_preserve = INIT_RAM_RESERVE;
	xml_iter_init(&it, root, "resource");
	while (xml_iter_next(&it, &r))
		if (xml_attr_equals(&r, "name", "RAM") && xml_has_attribute(&r, "preserve"))
			p->c->ram_preserve = xml_attr_size(&r, "preserve", INIT_RAM_RESERVE);
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
	/* 16.08's line where nothing runs yet; an update is refused like any bad config */
	diagf(p, INIT_DIAG_ERROR, p->flags & INIT_PARSE_UPDATE ? "config rejected" : "no children to start");
}

init_config_result init_config_parse(const char *xml, size_t len, const init_alloc *a,
                                     unsigned flags, init_diag_fn diag, void *diag_ctx,
                                     init_config **out)
{
	static const char *const known[] = {
		"parent-provides", "default-route", "alias", "affinity-space", "start",
		"report", "resource", "priolevels", "default", NULL };
	struct xml_node root, sub;
	struct init_arena *ar;
	parser p = { .diag = diag, .diag_ctx = diag_ctx, .flags = flags };

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
	char *text = c ? arena_alloc(&p, (size_t)(root.addr - xml) + root.size) : NULL;
	if (!text) {
		tmp.arena = ar;
		init_config_free(&tmp);
		return INIT_CONFIG_NOMEM;
	}
	c->arena = ar;
	p.c = c;

	/*
	 * The copy (with what precedes the node, so that positions count
	 * from the start of the ROM) parses like the original: same bytes.
	 */
	size_t total = (size_t)(root.addr - xml) + root.size;
	memcpy(text, xml, total);
	p.text = text;
	p.len  = total;
	if (xml_parse(text, total, &root).error != XML_OK) {
		init_config_free(c);
		return INIT_CONFIG_SYNTAX;
	}

	c->verbose = xml_attr_bool(&root, "verbose", false);
	c->version = attr_str(&p, &root, "version");
	check_sub_nodes(&p, &root, "<config>", known);
	parse_prio_levels(&p, &root);
	parse_affinity_space(&p, &root);
	parse_report(&p, &root);
	parse_preserve(&p, &root);

	if (xml_sub_node_by_type(&root, "parent-provides", &sub))
		c->num_parent_services = parse_service_names(&p, &sub, &c->parent_services);
	if (xml_sub_node_by_type(&root, "default-route", &sub))
		parse_route_table(&p, &sub, &c->default_route);

	parse_aliases(&p, &root);
	parse_starts(&p, &root);
	if (!p.nomem)
		check_references(&p);

	if (p.nomem || p.invalid) {
		if (!p.nomem)
			diagf(&p, INIT_DIAG_ERROR, "config rejected");
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

/* ---- comparison of start nodes across configs ---- */

static bool same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* text of the sub node `type` of a start node's text, empty if absent */
static struct str sub_text(const init_start *s, const char *type)
{
	struct xml_node n, sub;

	if (xml_parse(s->node, s->node_len, &n).error != XML_OK
	    || !xml_sub_node_by_type(&n, type, &sub))
		return (struct str){ "", 0 };
	return xml_node_text(&sub);
}

unsigned init_start_compare(const init_start *o, const init_start *n)
{
	unsigned diff = INIT_START_SAME;

	if (same_text(o->node, o->node_len, n->node, n->node_len))
		return INIT_START_SAME;
	if (!same_text(o->rest, o->rest_len, n->rest, n->rest_len)
	    || o->constrain_phys != n->constrain_phys || !o->config != !n->config)
		return INIT_START_RESTART;

	if (!same_text(o->config, o->config ? o->config_len : 0, n->config,
	               n->config ? n->config_len : 0))
		diff |= INIT_START_CONFIG;
	if (o->ram_quantum != n->ram_quantum || o->ram_limit != n->ram_limit)
		diff |= INIT_START_RAM;

	struct str ro = sub_text(o, "route"), rn = sub_text(n, "route");
	if (!same_text(ro.ptr, ro.len, rn.ptr, rn.len))
		diff |= INIT_START_ROUTE;

	/* whatever else differs lies in <exit>, the CPU resource or unknown attributes */
	if (!diff || o->exit_propagate != n->exit_propagate || o->cpu_quantum != n->cpu_quantum)
		diff |= INIT_START_OTHER;
	return diff;
}

const char *init_size_str(size_t bytes, char *buf, size_t len)
{
	static const struct { size_t unit; char suffix; } units[] = {
		{ (size_t)1 << 30, 'G' }, { (size_t)1 << 20, 'M' }, { (size_t)1 << 10, 'K' } };

	for (unsigned i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (bytes && bytes % units[i].unit == 0) {
			snprintf(buf, len, "%zu%c", bytes / units[i].unit, units[i].suffix);
			return buf;
		}
	}
	snprintf(buf, len, "%zu", bytes);
	return buf;
}
