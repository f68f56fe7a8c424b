/* xml.c - validation of an XML node in place and navigation within it */
#include <util/xml.h>

#include <string.h>

/*
 * xml_parse validates the whole node once (iteratively, with a bounded
 * stack of open element names). Navigation then scans the validated bytes
 * again with a plain depth counter; those scanners still check every bound
 * so that a node never leads to a read outside [addr, limit).
 */

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool xml_is_name(struct str s)
{
	if (!s.len || !name_start(s.ptr[0]))
		return false;
	for (size_t i = 1; i < s.len; i++)
		if (!name_char(s.ptr[i]))
			return false;
	return true;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && str_is_space(*p)) p++;
	return p;
}

static const char *skip_name(const char *p, const char *end)
{
	while (p < end && name_char(*p)) p++;
	return p;
}

static bool starts(const char *p, const char *end, const char *lit)
{
	return str_starts_with(str_n(p, (size_t)(end - p)), str_z(lit));
}

static const char *find_char(const char *p, const char *end, char c)
{
	return p < end ? memchr(p, c, (size_t)(end - p)) : NULL;
}

/* p at the opening '"': the closing '"' (one not preceded by '\'), or NULL */
static const char *value_end(const char *p, const char *end)
{
	for (const char *q = p + 1; q < end; q++)
		if (*q == '"' && q[-1] != '\\')
			return q;
	return NULL;
}

/* p at "<!--": the byte after the terminating "-->", or NULL */
static const char *comment_end(const char *p, const char *end)
{
	for (const char *q = p + 4; q + 3 <= end; q++)
		if (q[0] == '-' && q[1] == '-' && q[2] == '>')
			return q + 3;
	return NULL;
}

static bool is_end_tag(const char *lt, const char *end)
{
	return lt + 1 < end && lt[1] == '/';
}

/* ---- validation ---- */

struct tag {
	struct str  name;
	const char *end;     /* byte after the tag's '>' */
	bool        empty;   /* `<t .../>` */
};

/* p at the '<' of a supposed start tag */
static enum xml_error scan_start_tag(const char *p, const char *end, struct tag *t,
                                     const char **err_at)
{
	t->name = str_n(NULL, 0);
	*err_at = p;
	const char *q = p + 1;
	if (q >= end)
		return XML_ERR_UNCLOSED_TAG;
	if (!name_start(*q))
		return XML_ERR_BAD_TAG;
	q = skip_name(q, end);
	t->name = str_n(p + 1, (size_t)(q - p - 1));

	for (;;) {
		const char *a = skip_space(q, end);
		if (a >= end)
			return XML_ERR_UNCLOSED_TAG;
		if (*a == '>') {
			t->end = a + 1;
			t->empty = false;
			return XML_OK;
		}
		if (*a == '/') {
			if (a + 1 >= end)
				return XML_ERR_UNCLOSED_TAG;
			if (a[1] != '>') {
				*err_at = a;
				return XML_ERR_BAD_TAG;
			}
			t->end = a + 2;
			t->empty = true;
			return XML_OK;
		}
		*err_at = a;
		if (a == q || !name_start(*a))
			return XML_ERR_BAD_ATTRIBUTE;
		q = skip_space(skip_name(a, end), end);
		if (q >= end) {
			*err_at = p;
			return XML_ERR_UNCLOSED_TAG;
		}
		*err_at = q;
		if (*q != '=')
			return XML_ERR_BAD_ATTRIBUTE;
		q = skip_space(q + 1, end);
		if (q >= end) {
			*err_at = p;
			return XML_ERR_UNCLOSED_TAG;
		}
		*err_at = q;
		if (*q != '"')
			return XML_ERR_BAD_ATTRIBUTE;
		const char *v = value_end(q, end);
		if (!v)
			return XML_ERR_UNCLOSED_VALUE;
		q = v + 1;
	}
}

static struct xml_parse_result result(enum xml_error e, const char *buf, const char *at,
                                      struct str element)
{
	struct xml_parse_result r = { e, (size_t)(at - buf), element };
	return r;
}

struct xml_parse_result xml_parse(const char *buf, size_t len, struct xml_node *out)
{
	struct str const none = str_n(NULL, 0);
	if (!buf) {
		struct xml_parse_result r = { XML_ERR_NO_NODE, 0, none };
		return r;
	}

	const char *const end = buf + strnlen(buf, len);
	const char *p = buf;
	const char *err_at;

	/* skip everything up to the first start tag */
	for (;;) {
		const char *lt = find_char(p, end, '<');
		if (!lt)
			return result(XML_ERR_NO_NODE, buf, end, none);
		if (starts(lt, end, "<!--")) {
			p = comment_end(lt, end);
			if (!p)
				return result(XML_ERR_UNCLOSED_COMMENT, buf, lt, none);
			continue;
		}
		if (is_end_tag(lt, end))
			return result(XML_ERR_UNEXPECTED_END_TAG, buf, lt, none);
		p = lt;
		break;
	}

	const char *const root = p;
	struct tag t;
	enum xml_error e = scan_start_tag(root, end, &t, &err_at);
	if (e)
		return result(e, buf, err_at, t.name);

	const char *const root_tag_end = t.end;
	const char *content_end = t.end;
	struct str open[XML_MAX_DEPTH];
	unsigned depth = 0;
	if (!t.empty)
		open[depth++] = t.name;

	const char *q = t.end;
	while (depth) {
		struct str const top = open[depth - 1];
		const char *lt = find_char(q, end, '<');
		if (!lt)
			return result(XML_ERR_NO_END_TAG, buf, end, top);

		if (starts(lt, end, "<!--")) {
			q = comment_end(lt, end);
			if (!q)
				return result(XML_ERR_UNCLOSED_COMMENT, buf, lt, top);
			continue;
		}

		if (is_end_tag(lt, end)) {
			const char *name = lt + 2;
			if (name >= end)
				return result(XML_ERR_UNCLOSED_TAG, buf, lt, top);
			if (!name_start(*name))
				return result(XML_ERR_BAD_TAG, buf, lt, top);
			const char *name_end = skip_name(name, end);
			const char *gt = skip_space(name_end, end);
			if (gt >= end)
				return result(XML_ERR_UNCLOSED_TAG, buf, lt, top);
			if (*gt != '>')
				return result(XML_ERR_BAD_TAG, buf, gt, top);
			if (!str_eq(str_n(name, (size_t)(name_end - name)), top))
				return result(XML_ERR_END_TAG_MISMATCH, buf, lt, top);
			depth--;
			content_end = lt;
			q = gt + 1;
			continue;
		}

		e = scan_start_tag(lt, end, &t, &err_at);
		if (e)
			return result(e, buf, err_at, t.name.len ? t.name : top);
		if (!t.empty) {
			if (depth == XML_MAX_DEPTH)
				return result(XML_ERR_TOO_DEEP, buf, lt, t.name);
			open[depth++] = t.name;
		}
		q = t.end;
	}

	out->addr         = root;
	out->size         = (size_t)(q - root);
	out->content_off  = (size_t)(root_tag_end - root);
	out->content_size = (size_t)(content_end - root_tag_end);
	out->type_len     = (size_t)(skip_name(root + 1, end) - root - 1);
	out->limit        = q;
	return result(XML_OK, buf, buf, none);
}

const char *xml_error_str(enum xml_error error)
{
	switch (error) {
	case XML_OK:                     return "ok";
	case XML_ERR_NO_NODE:            return "no XML node found";
	case XML_ERR_BAD_TAG:            return "invalid tag";
	case XML_ERR_BAD_ATTRIBUTE:      return "invalid attribute";
	case XML_ERR_UNCLOSED_VALUE:     return "unterminated attribute value";
	case XML_ERR_UNCLOSED_TAG:       return "unterminated tag";
	case XML_ERR_UNCLOSED_COMMENT:   return "unterminated comment";
	case XML_ERR_NO_END_TAG:         return "missing end tag";
	case XML_ERR_END_TAG_MISMATCH:   return "end tag does not match start tag";
	case XML_ERR_UNEXPECTED_END_TAG: return "end tag without start tag";
	case XML_ERR_TOO_DEEP:           return "nesting too deep";
	}
	return "unknown error";
}

/* ---- navigation over validated bytes ---- */

/* p at the '<' of a start tag: the byte after its '>', *empty for `<t/>` */
static const char *tag_end(const char *p, const char *end, bool *empty)
{
	for (const char *q = p + 1; q < end; q++) {
		if (*q == '"') {
			q = value_end(q, end);
			if (!q)
				break;
		} else if (*q == '>') {
			*empty = q[-1] == '/';
			return q + 1;
		}
	}
	*empty = true;
	return end;
}

/* p at the '<' of a start tag within [p, limit): the node found there */
static void node_at(const char *p, const char *limit, struct xml_node *n)
{
	bool empty;
	const char *const content = tag_end(p, limit, &empty);
	const char *content_end = content;
	const char *q = content;

	if (!empty) {
		for (size_t depth = 1; depth; ) {
			const char *lt = find_char(q, limit, '<');
			if (!lt) {
				content_end = q = limit;
				break;
			}
			if (starts(lt, limit, "<!--")) {
				q = comment_end(lt, limit);
				if (!q) {
					content_end = q = limit;
					break;
				}
			} else if (is_end_tag(lt, limit)) {
				const char *gt = find_char(lt, limit, '>');
				content_end = lt;
				if (!gt) {
					q = limit;
					break;
				}
				q = gt + 1;
				depth--;
			} else {
				bool e;
				q = tag_end(lt, limit, &e);
				if (!e)
					depth++;
			}
		}
	}
	n->addr         = p;
	n->size         = (size_t)(q - p);
	n->content_off  = (size_t)(content - p);
	n->content_size = (size_t)(content_end - content);
	n->type_len     = (size_t)(skip_name(p + 1, limit) - p - 1);
	n->limit        = limit;
}

/* first start tag in [p, end), skipping text and comments, NULL if none */
static const char *next_start_tag(const char *p, const char *end)
{
	for (;;) {
		const char *lt = find_char(p, end, '<');
		if (!lt || lt + 1 >= end || lt[1] == '/')
			return NULL;
		if (!starts(lt, end, "<!--"))
			return lt;
		p = comment_end(lt, end);
		if (!p)
			return NULL;
	}
}

static bool type_is(const struct xml_node *n, const char *type)
{
	return !type || str_eq_z(xml_type(n), type);
}

struct str xml_type(const struct xml_node *n)
{
	return n->addr ? str_n(n->addr + 1, n->type_len) : str_n(NULL, 0);
}

bool xml_has_type(const struct xml_node *n, const char *type)
{
	return str_eq_z(xml_type(n), type);
}

struct str xml_node_text(const struct xml_node *n)
{
	return str_n(n->addr, n->size);
}

struct str xml_content(const struct xml_node *n)
{
	return n->addr ? str_n(n->addr + n->content_off, n->content_size) : str_n(NULL, 0);
}

bool xml_node_equal(const struct xml_node *a, const struct xml_node *b)
{
	return str_eq(xml_node_text(a), xml_node_text(b));
}

size_t xml_decoded_content(const struct xml_node *n, char *dst, size_t dst_size)
{
	static const struct { const char *entity; char c; } entities[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' }, { "&#x00;", 0 },
	};
	struct str const c = xml_content(n);
	size_t out = 0;
	for (size_t i = 0; i < c.len; out++) {
		char ch = c.ptr[i];
		size_t step = 1;
		for (size_t k = 0; ch == '&' && k < sizeof(entities) / sizeof(entities[0]); k++) {
			struct str const e = str_z(entities[k].entity);
			if (str_starts_with(str_n(c.ptr + i, c.len - i), e)) {
				ch = entities[k].c;
				step = e.len;
				break;
			}
		}
		if (out + 1 < dst_size)
			dst[out] = ch;
		i += step;
	}
	if (dst_size)
		dst[out < dst_size ? out : dst_size - 1] = 0;
	return out;
}

void xml_iter_init(struct xml_iter *it, const struct xml_node *parent, const char *type)
{
	struct str const c = xml_content(parent);
	it->pos  = c.ptr;
	it->end  = c.ptr ? c.ptr + c.len : NULL;
	it->type = type;
}

bool xml_iter_next(struct xml_iter *it, struct xml_node *out)
{
	for (;;) {
		const char *lt = next_start_tag(it->pos, it->end);
		if (!lt) {
			it->pos = it->end;
			return false;
		}
		struct xml_node n;
		node_at(lt, it->end, &n);
		it->pos = lt + n.size;
		if (type_is(&n, it->type)) {
			*out = n;
			return true;
		}
	}
}

unsigned xml_num_sub_nodes(const struct xml_node *n)
{
	struct xml_iter it;
	struct xml_node sub;
	unsigned count = 0;
	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub))
		count++;
	return count;
}

bool xml_sub_node(const struct xml_node *n, unsigned index, struct xml_node *out)
{
	struct xml_iter it;
	struct xml_node sub;
	xml_iter_init(&it, n, NULL);
	for (unsigned i = 0; xml_iter_next(&it, &sub); i++) {
		if (i == index) {
			*out = sub;
			return true;
		}
	}
	return false;
}

bool xml_sub_node_by_type(const struct xml_node *n, const char *type, struct xml_node *out)
{
	struct xml_iter it;
	xml_iter_init(&it, n, type);
	return xml_iter_next(&it, out);
}

bool xml_has_sub_node(const struct xml_node *n, const char *type)
{
	struct xml_node sub;
	return xml_sub_node_by_type(n, type, &sub);
}

bool xml_next(const struct xml_node *n, const char *type, struct xml_node *out)
{
	if (!n->addr)
		return false;
	struct xml_iter it = { n->addr + n->size, n->limit, type };
	return xml_iter_next(&it, out);
}

bool xml_is_last(const struct xml_node *n, const char *type)
{
	struct xml_node sibling;
	return !xml_next(n, type, &sibling);
}

/* ---- attributes ---- */

/* attribute at *p within a validated start tag ending at end; advances *p */
static bool attr_next(const char **p, const char *end, struct xml_attr *a)
{
	const char *q = skip_space(*p, end);
	if (q >= end || !name_start(*q))
		return false;
	const char *name = q;
	q = skip_name(q, end);
	a->name = str_n(name, (size_t)(q - name));
	q = skip_space(q, end);
	if (q >= end || *q != '=')
		return false;
	q = skip_space(q + 1, end);
	if (q >= end || *q != '"')
		return false;
	const char *v = value_end(q, end);
	if (!v)
		return false;
	a->value = str_n(q + 1, (size_t)(v - q - 1));
	*p = v + 1;
	return true;
}

struct attr_scan {
	const char *pos;
	const char *end;
};

static struct attr_scan attr_scan(const struct xml_node *n)
{
	struct attr_scan s = { NULL, NULL };
	if (n->addr) {
		s.pos = n->addr + 1 + n->type_len;
		s.end = n->addr + n->content_off;
	}
	return s;
}

unsigned xml_num_attributes(const struct xml_node *n)
{
	struct attr_scan s = attr_scan(n);
	struct xml_attr a;
	unsigned count = 0;
	while (attr_next(&s.pos, s.end, &a))
		count++;
	return count;
}

bool xml_attribute(const struct xml_node *n, const char *name, struct xml_attr *out)
{
	struct attr_scan s = attr_scan(n);
	struct xml_attr a;
	while (attr_next(&s.pos, s.end, &a)) {
		if (str_eq_z(a.name, name)) {
			*out = a;
			return true;
		}
	}
	return false;
}

bool xml_attribute_at(const struct xml_node *n, unsigned index, struct xml_attr *out)
{
	struct attr_scan s = attr_scan(n);
	struct xml_attr a;
	for (unsigned i = 0; attr_next(&s.pos, s.end, &a); i++) {
		if (i == index) {
			*out = a;
			return true;
		}
	}
	return false;
}

bool xml_has_attribute(const struct xml_node *n, const char *name)
{
	struct xml_attr a;
	return xml_attribute(n, name, &a);
}

unsigned long xml_value_ulong(struct str v, unsigned long def)
{
	unsigned long r = 0;
	if (!v.len)
		return def;
	(void)str_parse_ulong(v, &r);
	return r;
}

size_t xml_value_size(struct str v, size_t def)
{
	size_t r = 0;
	if (!v.len)
		return def;
	(void)str_parse_size(v, &r);
	return r;
}

long xml_value_long(struct str v, long def)
{
	long r = def;
	(void)str_parse_long(v, &r);
	return r;
}

bool xml_value_bool(struct str v, bool def)
{
	bool r = def;
	(void)str_parse_bool(v, &r);
	return r;
}

unsigned long xml_attr_ulong(const struct xml_node *n, const char *name, unsigned long def)
{
	struct xml_attr a;
	return xml_attribute(n, name, &a) ? xml_value_ulong(a.value, def) : def;
}

size_t xml_attr_size(const struct xml_node *n, const char *name, size_t def)
{
	struct xml_attr a;
	return xml_attribute(n, name, &a) ? xml_value_size(a.value, def) : def;
}

long xml_attr_long(const struct xml_node *n, const char *name, long def)
{
	struct xml_attr a;
	return xml_attribute(n, name, &a) ? xml_value_long(a.value, def) : def;
}

bool xml_attr_bool(const struct xml_node *n, const char *name, bool def)
{
	struct xml_attr a;
	return xml_attribute(n, name, &a) ? xml_value_bool(a.value, def) : def;
}

size_t xml_attr_string(const struct xml_node *n, const char *name,
                       char *dst, size_t dst_size, const char *def)
{
	struct xml_attr a;
	return str_copy(dst, dst_size, xml_attribute(n, name, &a) ? a.value : str_z(def));
}

bool xml_attr_equals(const struct xml_node *n, const char *name, const char *value)
{
	struct xml_attr a;
	return xml_attribute(n, name, &a) && str_eq_z(a.value, value);
}
