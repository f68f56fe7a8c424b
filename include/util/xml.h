/* xml.h - in-place XML parser with the semantics of Genode's Xml_node */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <util/string.h>

/*
 * Syntax accepted (framework.md 11.1)
 *
 * The input is a byte range; a NUL byte ends it early (ROM dataspaces are
 * NUL-padded). The first start tag found is the node: leading whitespace,
 * comments and other non-tag characters before it are skipped, everything
 * after its end tag is ignored. A node is `<name attr="value" .../>` or
 * `<name ...>content</name>`.
 *
 *  - Names of elements and attributes: first character a letter, '_' or
 *    ':', then also digits, '-' and '.' (ASCII only).
 *  - Whitespace: space, tab, newline and CR.
 *  - Attributes are separated by whitespace; `name = "value"` may have
 *    whitespace around '='. Values are double-quoted; a '"' preceded by a
 *    backslash does not end the value (Genode quirk). Values are not
 *    entity-decoded and may contain any byte except an unescaped '"'.
 *    Duplicate attribute names are accepted; lookups find the first.
 *  - Content is text, sub nodes and comments `<!-- ... -->` (a comment
 *    ends at the first "-->"). Text is not interpreted ('&' and '>' are
 *    ordinary bytes), but every '<' in content must start a start tag, an
 *    end tag or a comment.
 *  - End tags are `</name>` with optional whitespace before '>' and must
 *    match the start tag at the same depth.
 *  - Not supported (rejected with XML_ERR_BAD_TAG): processing
 *    instructions `<?...?>` (including an `<?xml?>` declaration), DOCTYPE
 *    and CDATA sections; single-quoted attribute values are rejected with
 *    XML_ERR_BAD_ATTRIBUTE.
 *
 * xml_parse validates the whole node once, without recursion, and rejects
 * nesting deeper than XML_MAX_DEPTH. Every other function works on nodes
 * obtained from xml_parse (or from navigating them) and never reads outside
 * the bytes of the parsed root node. Navigation costs time linear in the
 * parent's content: iterate with xml_iter rather than xml_sub_node(i) in a
 * loop.
 */

enum { XML_MAX_DEPTH = 64 };   /* open elements, root included */

enum xml_error {
	XML_OK = 0,
	XML_ERR_NO_NODE,           /* no start tag in the input (offset: end of input) */
	XML_ERR_BAD_TAG,           /* '<' not followed by a valid name, '/' or "!--",
	                              or '/' in a tag not followed by '>' (offset: that byte) */
	XML_ERR_BAD_ATTRIBUTE,     /* attribute not separated by whitespace, bad name,
	                              missing '=' or opening '"' (offset: that byte) */
	XML_ERR_UNCLOSED_VALUE,    /* input ends inside an attribute value (offset: its '"') */
	XML_ERR_UNCLOSED_TAG,      /* input ends inside a tag (offset: its '<') */
	XML_ERR_UNCLOSED_COMMENT,  /* input ends inside a comment (offset: its '<') */
	XML_ERR_NO_END_TAG,        /* input ends before the element's end tag
	                              (offset: end of input, element: the open element) */
	XML_ERR_END_TAG_MISMATCH,  /* end tag of another element (offset: its '<',
	                              element: the element that should end) */
	XML_ERR_UNEXPECTED_END_TAG,/* end tag before the first start tag (offset: its '<') */
	XML_ERR_TOO_DEEP,          /* more than XML_MAX_DEPTH nested elements (offset: the
	                              start tag that is too deep) */
};

/*
 * Outcome of xml_parse: on error, `offset` is the byte offset into the
 * input where the problem is (see the codes above), `element` the name of
 * the element the error belongs to: the tag being parsed if its name was
 * read, otherwise the innermost open element (empty at the top level).
 */
struct xml_parse_result {
	enum xml_error error;
	size_t         offset;
	struct str     element;
};

/*
 * A node: a value type that refers into the parsed bytes, which must stay
 * unchanged while the node is used. Fields are readable; nodes are only
 * created by xml_parse and the navigation functions. A zero-initialized
 * node is safe to pass to every function: it has an empty type and no
 * attributes, content, sub nodes or siblings.
 */
struct xml_node {
	const char *addr;          /* '<' of the start tag */
	size_t      size;          /* bytes of the whole node, both tags included */
	size_t      content_off;   /* offset of the content from addr */
	size_t      content_size;  /* bytes between the tags, 0 for `<t/>` */
	size_t      type_len;      /* length of the name at addr + 1 */
	const char *limit;         /* end of the enclosing content: siblings lie
	                              before it (addr + size for the root node) */
};

/* an attribute: name and raw value (without quotes, not decoded) */
struct xml_attr {
	struct str name;
	struct str value;
};

/*
 * Parse the first node of buf[0, len). On success *out is the node; on
 * failure *out is left untouched and the result tells what and where.
 */
struct xml_parse_result xml_parse(const char *buf, size_t len, struct xml_node *out)
	__attribute__((warn_unused_result));

/* short English description of an error code, e.g. "missing end tag" */
const char *xml_error_str(enum xml_error error);

/* s is a valid element or attribute name (see above) */
bool xml_is_name(struct str s);

/* ---- node type, content, identity ---- */

struct str xml_type(const struct xml_node *n);                 /* the element name */
bool       xml_has_type(const struct xml_node *n, const char *type);
struct str xml_node_text(const struct xml_node *n);            /* addr, size */
struct str xml_content(const struct xml_node *n);              /* raw content bytes, Genode's
                                                                  content_base()/content_size() */

/* byte-identical node text (init compares old and new <start> nodes so) */
bool xml_node_equal(const struct xml_node *a, const struct xml_node *b);

/*
 * Copy the content to dst translating the entities &lt; &gt; &amp; &quot;
 * &apos; and &#x00; (a NUL byte); any other '&' is copied as is. Writes at
 * most dst_size - 1 bytes plus a terminating NUL (dst_size > 0) and returns
 * the length of the whole decoded content: the result was truncated iff the
 * return value is >= dst_size. The decoded text may itself contain NULs.
 */
size_t xml_decoded_content(const struct xml_node *n, char *dst, size_t dst_size);

/* ---- sub nodes ---- */

/*
 * `type` NULL means any type. Functions returning bool return false (and
 * leave *out untouched) if there is no such node - Genode's
 * Nonexistent_sub_node.
 */
unsigned xml_num_sub_nodes(const struct xml_node *n);
bool xml_sub_node(const struct xml_node *n, unsigned index, struct xml_node *out)
	__attribute__((warn_unused_result));
bool xml_sub_node_by_type(const struct xml_node *n, const char *type, struct xml_node *out)
	__attribute__((warn_unused_result));
bool xml_has_sub_node(const struct xml_node *n, const char *type);

/* the following sibling (of the given type); the root has no siblings */
bool xml_next(const struct xml_node *n, const char *type, struct xml_node *out)
	__attribute__((warn_unused_result));

/* true if no sibling (of the given type) follows n */
bool xml_is_last(const struct xml_node *n, const char *type);

/*
 * Iteration over sub nodes (of a type, NULL for all), in document order:
 *
 *     struct xml_iter it;
 *     struct xml_node start;
 *     xml_iter_init(&it, &config, "start");
 *     while (xml_iter_next(&it, &start)) { ... }
 */
struct xml_iter {
	const char *pos;
	const char *end;
	const char *type;
};
void xml_iter_init(struct xml_iter *it, const struct xml_node *parent, const char *type);
bool xml_iter_next(struct xml_iter *it, struct xml_node *out);

/* ---- attributes ---- */

unsigned xml_num_attributes(const struct xml_node *n);
bool xml_attribute(const struct xml_node *n, const char *name, struct xml_attr *out)
	__attribute__((warn_unused_result));
bool xml_attribute_at(const struct xml_node *n, unsigned index, struct xml_attr *out)
	__attribute__((warn_unused_result));
bool xml_has_attribute(const struct xml_node *n, const char *name);

/*
 * Typed reads of attribute values, with Genode's quirks: the number of the
 * longest valid prefix is kept even if other characters follow ("16MB"
 * reads as 16M, "2x" as 2).
 *
 *  ulong: decimal or 0x hex; a value without leading digits reads as 0, an
 *         empty value keeps the default
 *  size:  like ulong plus suffix K/M/G (Number_of_bytes)
 *  long:  optional sign, decimal; no leading digits keeps the default
 *  bool:  yes/true/on, no/false/off as prefix (case-sensitive); anything
 *         else keeps the default
 *  string: the raw value copied like str_copy (returns the value's length,
 *         truncated iff >= dst_size); a missing attribute copies `def`
 *         (NULL: empty)
 *  equals: attribute present and its raw value equals `value`
 *
 * A missing attribute always yields the default.
 */
unsigned long xml_attr_ulong(const struct xml_node *n, const char *name, unsigned long def);
size_t        xml_attr_size(const struct xml_node *n, const char *name, size_t def);
long          xml_attr_long(const struct xml_node *n, const char *name, long def);
bool          xml_attr_bool(const struct xml_node *n, const char *name, bool def);
size_t        xml_attr_string(const struct xml_node *n, const char *name,
                              char *dst, size_t dst_size, const char *def);
bool          xml_attr_equals(const struct xml_node *n, const char *name, const char *value);

/*
 * The same conversions for any value, e.g. a node's content
 * (Genode's Xml_node::value): xml_value_ulong(xml_content(&n), 0).
 */
unsigned long xml_value_ulong(struct str v, unsigned long def);
size_t        xml_value_size(struct str v, size_t def);
long          xml_value_long(struct str v, long def);
bool          xml_value_bool(struct str v, bool def);
