/* xml_gen.c - XML generator writing into a caller buffer */
#include <util/xml_gen.h>

#include <string.h>

enum {
	TAG_OPEN      = 1,  /* start tag not yet closed by '>' */
	HAS_SUB_NODES = 2,  /* end tag goes on a line of its own */
};

static void put(struct xml_gen *g, const char *s, size_t n)
{
	if (g->error)
		return;
	if (g->size - g->used <= n) {   /* one byte stays reserved for the NUL */
		g->error = XML_GEN_ERR_OVERFLOW;
		return;
	}
	if (n)
		memcpy(g->buf + g->used, s, n);
	g->used += n;
	g->buf[g->used] = 0;
}

static void put_z(struct xml_gen *g, const char *z)
{
	put(g, z, strlen(z));
}

static void put_tabs(struct xml_gen *g, unsigned n)
{
	while (n--)
		put(g, "\t", 1);
}

static enum xml_gen_error fail(struct xml_gen *g, enum xml_gen_error e)
{
	if (!g->error)
		g->error = e;
	return g->error;
}

/* common precondition of every call that adds to the innermost open node */
static bool usable(struct xml_gen *g)
{
	if (!g->error && (g->finished || g->depth == 0))
		g->error = XML_GEN_ERR_ORDER;
	return !g->error;
}

/* terminate the start tag of the innermost node, which gets content now */
static void start_content(struct xml_gen *g)
{
	unsigned char *f = &g->flags[g->depth - 1];
	if (*f & TAG_OPEN) {
		put(g, ">", 1);
		*f &= (unsigned char)~TAG_OPEN;
	}
}

static void open_node(struct xml_gen *g, const char *type)
{
	if (!xml_is_name(str_z(type))) {
		fail(g, XML_GEN_ERR_NAME);
		return;
	}
	if (g->depth == XML_MAX_DEPTH) {
		fail(g, XML_GEN_ERR_DEPTH);
		return;
	}
	if (g->depth) {
		start_content(g);
		g->flags[g->depth - 1] |= HAS_SUB_NODES;
		put(g, "\n", 1);
		put_tabs(g, g->depth);
	}
	g->open[g->depth] = g->used;
	g->flags[g->depth] = TAG_OPEN;
	g->depth++;
	put(g, "<", 1);
	put_z(g, type);
}

static void close_node(struct xml_gen *g)
{
	unsigned const i = g->depth - 1;
	if (g->flags[i] & TAG_OPEN) {
		put(g, "/>", 2);
	} else {
		if (g->flags[i] & HAS_SUB_NODES) {
			put(g, "\n", 1);
			put_tabs(g, i);
		}
		/* the name is still in the buffer, right after the start tag's '<' */
		const char *name = g->buf + g->open[i] + 1;
		size_t len = 0;
		while (g->open[i] + 1 + len < g->used && name[len] != ' ' && name[len] != '>'
		       && name[len] != '/')
			len++;
		put(g, "</", 2);
		put(g, name, len);
		put(g, ">", 1);
	}
	g->depth--;
}

void xml_gen_init(struct xml_gen *g, char *buf, size_t size, const char *root_type)
{
	g->buf = buf;
	g->size = buf ? size : 0;
	g->used = 0;
	g->depth = 0;
	g->finished = false;
	g->error = XML_GEN_OK;
	if (g->size == 0) {
		g->error = XML_GEN_ERR_OVERFLOW;
		return;
	}
	buf[0] = 0;
	open_node(g, root_type);
}

enum xml_gen_error xml_gen_node_open(struct xml_gen *g, const char *type)
{
	if (usable(g))
		open_node(g, type);
	return g->error;
}

enum xml_gen_error xml_gen_node_close(struct xml_gen *g)
{
	if (!usable(g))
		return g->error;
	if (g->depth < 2)
		return fail(g, XML_GEN_ERR_ORDER);   /* the root is closed by finish */
	close_node(g);
	return g->error;
}

enum xml_gen_error xml_gen_attr_str(struct xml_gen *g, const char *name, struct str value)
{
	if (!usable(g))
		return g->error;
	if (!(g->flags[g->depth - 1] & TAG_OPEN))
		return fail(g, XML_GEN_ERR_ORDER);
	if (!xml_is_name(str_z(name)))
		return fail(g, XML_GEN_ERR_NAME);
	put(g, " ", 1);
	put_z(g, name);
	put(g, "=\"", 2);
	put(g, value.ptr, value.len);
	put(g, "\"", 1);
	return g->error;
}

enum xml_gen_error xml_gen_attr(struct xml_gen *g, const char *name, const char *value)
{
	return xml_gen_attr_str(g, name, str_z(value));
}

/* decimal digits of v at the end of a buffer of 24 bytes */
static struct str format_ulong(char *tmp, unsigned long v)
{
	char *p = tmp + 24;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return str_n(p, (size_t)(tmp + 24 - p));
}

enum xml_gen_error xml_gen_attr_ulong(struct xml_gen *g, const char *name, unsigned long value)
{
	char tmp[24];
	return xml_gen_attr_str(g, name, format_ulong(tmp, value));
}

enum xml_gen_error xml_gen_attr_long(struct xml_gen *g, const char *name, long value)
{
	char tmp[24];
	unsigned long mag = value < 0 ? 0UL - (unsigned long)value : (unsigned long)value;
	struct str s = format_ulong(tmp, mag);
	if (value < 0) {
		s.ptr--;
		s.len++;
		tmp[24 - s.len] = '-';
	}
	return xml_gen_attr_str(g, name, s);
}

enum xml_gen_error xml_gen_attr_bool(struct xml_gen *g, const char *name, bool value)
{
	return xml_gen_attr(g, name, value ? "true" : "false");
}

enum xml_gen_error xml_gen_append(struct xml_gen *g, const char *text, size_t len)
{
	if (!usable(g))
		return g->error;
	start_content(g);
	put(g, text, len);
	return g->error;
}

enum xml_gen_error xml_gen_append_sanitized(struct xml_gen *g, const char *text, size_t len)
{
	if (!usable(g))
		return g->error;
	start_content(g);
	size_t run = 0;   /* start of the bytes not yet written */
	for (size_t i = 0; i < len; i++) {
		const char *entity;
		switch (text[i]) {
		case '&':  entity = "&amp;";  break;
		case '<':  entity = "&lt;";   break;
		case '>':  entity = "&gt;";   break;
		case '"':  entity = "&quot;"; break;
		case '\'': entity = "&apos;"; break;
		case 0:    entity = "&#x00;"; break;
		default:   continue;
		}
		put(g, text + run, i - run);
		put_z(g, entity);
		run = i + 1;
	}
	put(g, text + run, len - run);
	return g->error;
}

enum xml_gen_error xml_gen_finish(struct xml_gen *g)
{
	if (g->finished)
		return g->error;
	while (!g->error && g->depth)
		close_node(g);
	put(g, "\n", 1);
	g->finished = true;
	return g->error;
}

size_t xml_gen_used(const struct xml_gen *g)
{
	return g->used;
}

const char *xml_gen_error_str(enum xml_gen_error error)
{
	switch (error) {
	case XML_GEN_OK:           return "ok";
	case XML_GEN_ERR_OVERFLOW: return "buffer exceeded";
	case XML_GEN_ERR_NAME:     return "invalid name";
	case XML_GEN_ERR_ORDER:    return "invalid order of generator calls";
	case XML_GEN_ERR_DEPTH:    return "nesting too deep";
	}
	return "unknown error";
}
