/* xml_expat.c - libFuzzer target: well-formedness of xml_parse compared with libexpat */
#include <util/xml.h>

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Differential fuzzing of well-formedness. xml_parse implements Genode's
 * dialect, which differs from XML 1.0 on purpose; the comparison is made
 * only on inputs where both definitions agree.
 *
 * 1. Mapping. Input bytes become an ASCII document:
 *    0x00-0x1f  -> whitespace " \t\n\r" (no other control characters)
 *    0x20-0x7e  -> the character itself, except
 *                  '&'  -> "&amp;"  (no undefined or malformed entities)
 *                  '\\' -> 'x'      (a \" in a value is Genode's escape quirk)
 *                  ']'  -> 'y'      ("]]>" is forbidden in XML content)
 *    0x7f-0xff  -> a token from the table below (tags, attributes, comments,
 *                  valid entities, and constructs that get filtered)
 *    So: no NUL (ends Genode input), no non-ASCII (XML name rules differ),
 *    no entity other than the predefined ones and &#65;.
 *
 * 2. Excluded inputs (return without comparing), known differences:
 *    - "<?" anywhere: processing instructions and the XML declaration are
 *      rejected by xml_parse, accepted by expat
 *    - "<!" not followed by "--": DOCTYPE and CDATA, likewise
 *    - "--" inside a comment other than in its "-->": XML forbids it,
 *      Genode ends a comment at the first "-->"
 *    - xml_parse accepts, but text other than whitespace and comments
 *      precedes the root (Genode skips it, XML forbids it)
 *    - xml_parse accepts, but an attribute value contains '<' (allowed by
 *      Genode, forbidden in XML)
 *    - xml_parse accepts and expat reports a duplicate attribute (Genode
 *      uses the first)
 *    - xml_parse rejects a single-quoted attribute value (XML allows it)
 *    - xml_parse rejects nesting deeper than XML_MAX_DEPTH
 *
 * 3. Comparison. Everything after the root node is ignored by xml_parse,
 *    while expat requires a single root followed by misc only. So if
 *    xml_parse accepts, expat gets the bytes up to the end of the root node
 *    and must accept them; if xml_parse rejects, expat gets the whole input
 *    and must reject it.
 */

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static const char *tokens[] = {
	"<a", "<b", "<a:b", "<_x-1.y", "</a>", "</b>", "</a:b>", "</_x-1.y>",
	"<a>", "<b>", "</a >", "<a/>", "<b/>", "/>", ">", " x=\"1\"", " y=\"v w\"",
	" x = \"2\"", " z=\"&lt;&#65;\"", "<!-- c -->", "<!--", "-->", "&lt;", "&gt;",
	"&quot;", "&apos;", "&amp;", "&#65;", " ", "\n", "\r\n", "\t", "=\"", "\"",
	"text", " x='1'", "<b x=\"1\" y=\"2\">", "<a x=\"1\"/>", "<?x?>", "<!DOCTYPE a>",
	"<![CDATA[x]]>", "<a x=\"<\"/>", "<", "</", "=",
};

static size_t map_input(const uint8_t *data, size_t size, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < size; i++) {
		uint8_t const b = data[i];
		const char *t = NULL;
		char c = (char)b;
		if (b < 0x20)
			c = " \t\n\r"[b % 4];
		else if (b == '&')
			t = "&amp;";
		else if (b == '\\')
			c = 'x';
		else if (b == ']')
			c = 'y';
		else if (b >= 0x7f)
			t = tokens[(b - 0x7f) % (sizeof(tokens) / sizeof(tokens[0]))];
		if (t) {
			size_t const len = strlen(t);
			memcpy(out + n, t, len);
			n += len;
		} else {
			out[n++] = c;
		}
	}
	return n;
}

/*
 * Filters of section 2 that look at the text only. Comments are tracked
 * lexically (a "<!--" inside an attribute value counts too, which only
 * excludes more inputs than necessary).
 */
static bool excluded_text(const char *s, size_t len)
{
	bool comment = false;
	for (size_t i = 0; i + 1 < len; i++) {
		if (!comment && s[i] == '<' && s[i + 1] == '?')
			return true;
		if (!comment && s[i] == '<' && s[i + 1] == '!') {
			if (!(i + 3 < len && s[i + 2] == '-' && s[i + 3] == '-'))
				return true;
			comment = true;
			i += 3;
		} else if (comment && s[i] == '-' && s[i + 1] == '-') {
			if (!(i + 2 < len && s[i + 2] == '>'))
				return true;
			comment = false;
			i += 2;
		}
	}
	return false;
}

/* the bytes before the root are whitespace and complete comments only */
static bool clean_prolog(const char *s, const char *root)
{
	while (s < root) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
		} else if (root - s >= 4 && memcmp(s, "<!--", 4) == 0) {
			const char *e = s + 4;
			while (e + 3 <= root && memcmp(e, "-->", 3) != 0) e++;
			if (e + 3 > root)
				return false;
			s = e + 3;
		} else {
			return false;
		}
	}
	return true;
}

static bool value_has_lt(const struct xml_node *n)
{
	struct xml_attr a;
	for (unsigned i = 0; xml_attribute_at(n, i, &a); i++)
		if (a.value.len && memchr(a.value.ptr, '<', a.value.len))
			return true;
	struct xml_iter it;
	struct xml_node sub;
	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub))
		if (value_has_lt(&sub))
			return true;
	return false;
}

static bool expat_accepts(const char *s, size_t len, enum XML_Error *error)
{
	XML_Parser p = XML_ParserCreate(NULL);
	REQUIRE(p);
	bool const ok = XML_Parse(p, s, (int)len, 1) == XML_STATUS_OK;
	*error = XML_GetErrorCode(p);
	XML_ParserFree(p);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *doc = malloc(size * 32 + 1);
	if (!doc)
		return 0;
	size_t const len = map_input(data, size, doc);

	if (excluded_text(doc, len)) {
		free(doc);
		return 0;
	}

	struct xml_node root;
	struct xml_parse_result r = xml_parse(doc, len, &root);
	enum XML_Error xe;

	if (r.error == XML_OK) {
		if (!clean_prolog(doc, root.addr) || value_has_lt(&root)) {
			free(doc);
			return 0;
		}
		size_t const prefix = (size_t)(root.addr + root.size - doc);
		if (!expat_accepts(doc, prefix, &xe) && xe != XML_ERROR_DUPLICATE_ATTRIBUTE) {
			fprintf(stderr, "accepted by xml_parse, rejected by expat (%s): %.*s\n",
			        XML_ErrorString(xe), (int)prefix, doc);
			abort();
		}
	} else {
		bool const quirk = r.error == XML_ERR_TOO_DEEP
		                || (r.error == XML_ERR_BAD_ATTRIBUTE && r.offset < len && doc[r.offset] == '\'');
		if (!quirk && expat_accepts(doc, len, &xe)) {
			fprintf(stderr, "rejected by xml_parse (%s at %zu), accepted by expat: %.*s\n",
			        xml_error_str(r.error), r.offset, (int)len, doc);
			abort();
		}
	}
	free(doc);
	return 0;
}
