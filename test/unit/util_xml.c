/* util_xml.c - unit test of the XML parser: navigation, attributes, quirks, errors */
#include <util/xml.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* parse a C string that must be valid */
static struct xml_node parse(const char *s)
{
	struct xml_node n = { 0 };
	struct xml_parse_result r = xml_parse(s, strlen(s), &n);
	if (r.error != XML_OK) {
		failures++;
		printf("  FAIL unexpected parse error '%s' at %zu in: %s\n",
		       xml_error_str(r.error), r.offset, s);
	}
	return n;
}

/* parse a C string that must be invalid with the given error, offset and element */
static void check_error(const char *s, size_t len, enum xml_error e, size_t offset,
                        const char *element, int line)
{
	struct xml_node n = { 0 };
	struct xml_parse_result r = xml_parse(s, len, &n);
	checks++;
	if (r.error != e || r.offset != offset || !str_eq_z(r.element, element) || n.addr) {
		failures++;
		printf("  FAIL line %d: got '%s' at %zu element '%.*s', expected '%s' at %zu element '%s'\n",
		       line, xml_error_str(r.error), r.offset, (int)r.element.len,
		       r.element.ptr ? r.element.ptr : "", xml_error_str(e), offset, element);
	}
}

#define ERR(s, e, off, el) check_error(s, strlen(s), e, off, el, __LINE__)

static const char config[] =
	"<!-- leading comment -->\n"
	"<config verbose=\"yes\">\n"
	"\t<parent-provides> <service name=\"LOG\"/> <service name=\"ROM\"/> </parent-provides>\n"
	"\t<!-- <start name=\"commented\"/> -->\n"
	"\ttext between nodes\n"
	"\t<start name=\"timer\" caps=\"100\">\n"
	"\t\t<resource name=\"RAM\" quantum=\"1M\"/>\n"
	"\t\t<provides><service name=\"Timer\"/></provides>\n"
	"\t</start>\n"
	"\t<default-route/>\n"
	"\t<start name=\"hello\"/>\n"
	"</config>\n"
	"trailing garbage <not parsed";

static void test_navigation(void)
{
	section("navigation");
	struct xml_node root = parse(config), n, m, k;

	CHECK(xml_has_type(&root, "config"));
	CHECK(!xml_has_type(&root, "confi"));
	CHECK(!xml_has_type(&root, "config2"));
	CHECK(str_eq_z(xml_type(&root), "config"));
	CHECK(root.addr == strstr(config, "<config"));
	CHECK(root.size == (size_t)(strstr(config, "</config>") + 9 - root.addr));
	CHECK(xml_num_sub_nodes(&root) == 4);

	CHECK(xml_sub_node(&root, 0, &n) && xml_has_type(&n, "parent-provides"));
	CHECK(xml_num_sub_nodes(&n) == 2);
	CHECK(xml_sub_node(&root, 1, &n) && xml_has_type(&n, "start"));
	CHECK(xml_attr_equals(&n, "name", "timer"));
	CHECK(xml_sub_node(&root, 3, &n) && xml_attr_equals(&n, "name", "hello"));
	n.addr = NULL;
	CHECK(!xml_sub_node(&root, 4, &n) && n.addr == NULL);

	CHECK(xml_sub_node_by_type(&root, "start", &n) && xml_attr_equals(&n, "name", "timer"));
	CHECK(xml_next(&n, NULL, &m) && xml_has_type(&m, "default-route"));
	CHECK(xml_next(&n, "start", &m) && xml_attr_equals(&m, "name", "hello"));
	CHECK(!xml_is_last(&n, "start"));
	CHECK(xml_is_last(&m, "start"));
	CHECK(xml_is_last(&m, NULL));
	CHECK(!xml_next(&m, NULL, &k));
	CHECK(!xml_sub_node_by_type(&root, "commented", &k));
	CHECK(!xml_sub_node_by_type(&root, "resource", &k));   /* grandchild, not child */
	CHECK(xml_has_sub_node(&root, "default-route"));
	CHECK(!xml_has_sub_node(&root, "route"));
	CHECK(xml_has_sub_node(&root, NULL));

	/* the timer's resource and nested provides */
	CHECK(xml_num_sub_nodes(&n) == 2);
	CHECK(xml_sub_node_by_type(&n, "resource", &k) && xml_attr_size(&k, "quantum", 0) == 1 << 20);
	CHECK(xml_sub_node_by_type(&n, "provides", &k) && xml_num_sub_nodes(&k) == 1);
	CHECK(xml_sub_node(&k, 0, &k) && xml_attr_equals(&k, "name", "Timer"));
	CHECK(xml_is_last(&k, NULL));

	/* the root has no siblings, the trailing text is not looked at */
	CHECK(xml_is_last(&root, NULL));
	CHECK(root.limit == root.addr + root.size);

	/* iteration */
	struct xml_iter it;
	unsigned count = 0;
	xml_iter_init(&it, &root, "start");
	while (xml_iter_next(&it, &n)) count++;
	CHECK(count == 2);
	CHECK(!xml_iter_next(&it, &n));
	count = 0;
	xml_iter_init(&it, &root, NULL);
	while (xml_iter_next(&it, &n)) count++;
	CHECK(count == 4);
	xml_iter_init(&it, &root, "nothing");
	CHECK(!xml_iter_next(&it, &n));

	/* an empty node has no sub nodes and no content */
	struct xml_node e = parse("<empty a=\"1\"/>");
	CHECK(xml_num_sub_nodes(&e) == 0 && e.content_size == 0);
	CHECK(e.size == 14 && e.content_off == 14);
	xml_iter_init(&it, &e, NULL);
	CHECK(!xml_iter_next(&it, &n));

	/* a node's text parses to the same node */
	CHECK(xml_sub_node_by_type(&root, "start", &n));
	struct xml_node again;
	struct xml_parse_result r = xml_parse(n.addr, n.size, &again);
	CHECK(r.error == XML_OK && again.addr == n.addr && again.size == n.size);
	CHECK(again.content_size == n.content_size && xml_num_sub_nodes(&again) == 2);
}

static void test_content(void)
{
	section("content");
	struct xml_node n = parse("<a>  hello <b/> world</a>");
	CHECK(str_eq_z(xml_content(&n), "  hello <b/> world"));
	CHECK(str_eq_z(xml_node_text(&n), "<a>  hello <b/> world</a>"));

	n = parse("<a></a>");
	CHECK(n.content_size == 0 && n.content_off == 3 && n.size == 7);
	n = parse("<a ></a   >");
	CHECK(n.content_size == 0 && n.size == 11 && xml_has_type(&n, "a"));

	/* typed content (Xml_node::value) */
	n = parse("<ram>16M</ram>");
	CHECK(xml_value_size(xml_content(&n), 0) == 16 << 20);
	n = parse("<n>42</n>");
	CHECK(xml_value_ulong(xml_content(&n), 0) == 42);
	CHECK(xml_value_long(xml_content(&n), 0) == 42);

	/* comments in content are kept raw; sub nodes after comments count */
	n = parse("<a><!-- <b/> --><c/><!----><d/></a>");
	CHECK(xml_num_sub_nodes(&n) == 2);
	struct xml_node s;
	CHECK(xml_sub_node(&n, 0, &s) && xml_has_type(&s, "c"));
	CHECK(xml_sub_node(&n, 1, &s) && xml_has_type(&s, "d"));

	/* '>' and '&' and quotes are plain text in content */
	n = parse("<a>x > y && \"z\" 'w'</a>");
	CHECK(str_eq_z(xml_content(&n), "x > y && \"z\" 'w'"));

	/* a '/' or '>' inside an attribute value does not end the tag */
	n = parse("<a x=\"/>\"><b y=\"a>b/\"/></a>");
	CHECK(xml_num_sub_nodes(&n) == 1);
	CHECK(xml_sub_node(&n, 0, &s) && xml_attr_equals(&s, "y", "a>b/"));
	CHECK(xml_attr_equals(&n, "x", "/>"));
}

static void test_equal(void)
{
	section("node equality");
	struct xml_node a = parse("<x><s a=\"1\"/><s a=\"1\"/><s a=\"2\"/><s  a=\"1\"/></x>");
	struct xml_node s0, s1, s2, s3;
	CHECK(xml_sub_node(&a, 0, &s0) && xml_sub_node(&a, 1, &s1));
	CHECK(xml_sub_node(&a, 2, &s2) && xml_sub_node(&a, 3, &s3));
	CHECK(xml_node_equal(&s0, &s1));
	CHECK(!xml_node_equal(&s0, &s2));
	CHECK(!xml_node_equal(&s0, &s3));
}

static void test_leading_trailing(void)
{
	section("leading, trailing bytes, NUL, CR");
	struct xml_node n = parse("  \n junk text <!-- c1 --> more <!--c2--><a/><b/>");
	CHECK(xml_has_type(&n, "a") && n.size == 4);
	CHECK(xml_is_last(&n, NULL));

	/* a NUL byte ends the input (NUL-padded ROM dataspaces) */
	static const char padded[] = "<a><b/></a>\0\0\0\0<c/>";
	struct xml_parse_result r = xml_parse(padded, sizeof(padded), &n);
	CHECK(r.error == XML_OK && n.size == 11);
	static const char cut[] = "<a>\0</a>";
	r = xml_parse(cut, sizeof(cut), &n);
	CHECK(r.error == XML_ERR_NO_END_TAG && r.offset == 3);

	/* the length bounds the input: nothing after len is read */
	r = xml_parse("<a/>", 3, &n);
	CHECK(r.error == XML_ERR_UNCLOSED_TAG && r.offset == 0);
	r = xml_parse("<a></a>", 6, &n);
	CHECK(r.error == XML_ERR_UNCLOSED_TAG && r.offset == 3);
	r = xml_parse(NULL, 10, &n);
	CHECK(r.error == XML_ERR_NO_NODE);

	/* CR counts as whitespace */
	n = parse("<a\r\nx\r\n=\r\n\"1\"\r\n>\r\n<b\r/>\r\n</a\r\n>");
	CHECK(xml_attr_ulong(&n, "x", 0) == 1 && xml_num_sub_nodes(&n) == 1);
}

static void test_attributes(void)
{
	section("attributes");
	struct xml_node n = parse("<a one=\"1\" two = \"zwei\"\tthree=\"\" one=\"dup\" q=\"a\\\"b\" lt=\"<\"/>");
	struct xml_attr a;
	CHECK(xml_num_attributes(&n) == 6);
	CHECK(xml_attribute(&n, "one", &a) && str_eq_z(a.value, "1") && str_eq_z(a.name, "one"));
	CHECK(xml_attribute(&n, "two", &a) && str_eq_z(a.value, "zwei"));
	CHECK(xml_attribute(&n, "three", &a) && a.value.len == 0);
	CHECK(xml_attribute_at(&n, 3, &a) && str_eq_z(a.name, "one") && str_eq_z(a.value, "dup"));
	CHECK(xml_attribute_at(&n, 0, &a) && str_eq_z(a.name, "one"));
	a.name.ptr = NULL;
	CHECK(!xml_attribute_at(&n, 6, &a) && a.name.ptr == NULL);
	CHECK(!xml_attribute(&n, "four", &a));
	CHECK(!xml_attribute(&n, "on", &a));
	CHECK(xml_has_attribute(&n, "three"));
	CHECK(!xml_has_attribute(&n, "thre"));
	/* backslash-quote does not end a value and is not decoded */
	CHECK(xml_attribute(&n, "q", &a) && str_eq_z(a.value, "a\\\"b"));
	CHECK(xml_attr_equals(&n, "lt", "<"));
	CHECK(!xml_attr_equals(&n, "missing", ""));
	CHECK(xml_attr_equals(&n, "three", ""));

	/* no entity decoding in attribute values */
	n = parse("<a v=\"&lt;x&gt;\"/>");
	CHECK(xml_attr_equals(&n, "v", "&lt;x&gt;"));

	/* names with ':' '-' '.' '_' digits */
	n = parse("<ns:node-1.x _a=\"1\" b-2.c=\"2\" :d=\"3\"/>");
	CHECK(xml_has_type(&n, "ns:node-1.x"));
	CHECK(xml_attr_ulong(&n, "_a", 0) == 1 && xml_attr_ulong(&n, "b-2.c", 0) == 2);
	CHECK(xml_attr_ulong(&n, ":d", 0) == 3);

	/* attributes of a node with content */
	n = parse("<a x=\"1\"><b x=\"2\"/></a>");
	CHECK(xml_num_attributes(&n) == 1 && xml_attr_ulong(&n, "x", 0) == 1);
	n = parse("<a><b/></a>");
	CHECK(xml_num_attributes(&n) == 0 && !xml_attribute_at(&n, 0, &a));
}

static void test_typed(void)
{
	section("typed attribute values and Genode quirks");
	struct xml_node n = parse(
		"<a dec=\"123\" hex=\"0x1f\" hexonly=\"0x\" empty=\"\" word=\"abc\" num_word=\"2x\""
		" neg=\"-5\" plus=\"+7\" size_m=\"16M\" size_mb=\"16MB\" size_k=\"4K\" size_g=\"1G\""
		" size_hex=\"0x10K\" size_low=\"4k\" huge=\"99999999999999999999999\""
		" yes=\"yes\" true=\"true\" on=\"on\" no=\"no\" false=\"false\" off=\"off\""
		" yesno=\"yesno\" onx=\"onx\" Yes=\"Yes\" nonsense=\"nonsense\" one=\"1\""
		" str=\"hello world\" sp=\" 5\"/>");

	/* unsigned */
	CHECK(xml_attr_ulong(&n, "dec", 9) == 123);
	CHECK(xml_attr_ulong(&n, "hex", 9) == 0x1f);
	CHECK(xml_attr_ulong(&n, "hexonly", 9) == 0);
	CHECK(xml_attr_ulong(&n, "empty", 9) == 9);      /* empty keeps the default */
	CHECK(xml_attr_ulong(&n, "word", 9) == 0);       /* no digits reads as 0 */
	CHECK(xml_attr_ulong(&n, "num_word", 9) == 2);   /* longest valid prefix */
	CHECK(xml_attr_ulong(&n, "neg", 9) == 0);
	CHECK(xml_attr_ulong(&n, "missing", 9) == 9);
	CHECK(xml_attr_ulong(&n, "huge", 9) == ULONG_MAX);
	CHECK(xml_attr_ulong(&n, "sp", 9) == 0);
	CHECK(xml_attr_ulong(&n, "size_m", 9) == 16);

	/* number of bytes */
	CHECK(xml_attr_size(&n, "size_m", 0) == 16UL << 20);
	CHECK(xml_attr_size(&n, "size_mb", 0) == 16UL << 20);
	CHECK(xml_attr_size(&n, "size_k", 0) == 4096);
	CHECK(xml_attr_size(&n, "size_g", 0) == 1UL << 30);
	CHECK(xml_attr_size(&n, "size_hex", 0) == 16 << 10);
	CHECK(xml_attr_size(&n, "size_low", 0) == 4);
	CHECK(xml_attr_size(&n, "empty", 77) == 77);
	CHECK(xml_attr_size(&n, "word", 77) == 0);
	CHECK(xml_attr_size(&n, "missing", 77) == 77);

	/* signed */
	CHECK(xml_attr_long(&n, "neg", 9) == -5);
	CHECK(xml_attr_long(&n, "plus", 9) == 7);
	CHECK(xml_attr_long(&n, "dec", 9) == 123);
	CHECK(xml_attr_long(&n, "num_word", 9) == 2);
	CHECK(xml_attr_long(&n, "hex", 9) == 0);         /* decimal only: "0" */
	CHECK(xml_attr_long(&n, "word", 9) == 9);        /* no valid prefix: default */
	CHECK(xml_attr_long(&n, "empty", 9) == 9);
	CHECK(xml_attr_long(&n, "huge", 9) == LONG_MAX);

	/* bool */
	CHECK(xml_attr_bool(&n, "yes", false));
	CHECK(xml_attr_bool(&n, "true", false));
	CHECK(xml_attr_bool(&n, "on", false));
	CHECK(!xml_attr_bool(&n, "no", true));
	CHECK(!xml_attr_bool(&n, "false", true));
	CHECK(!xml_attr_bool(&n, "off", true));
	CHECK(xml_attr_bool(&n, "yesno", false));        /* prefix "yes" */
	CHECK(xml_attr_bool(&n, "onx", false));
	CHECK(!xml_attr_bool(&n, "nonsense", true));     /* prefix "no" */
	CHECK(xml_attr_bool(&n, "Yes", false) == false); /* case-sensitive */
	CHECK(xml_attr_bool(&n, "Yes", true) == true);
	CHECK(xml_attr_bool(&n, "one", false) == false); /* numbers are no bools */
	CHECK(xml_attr_bool(&n, "empty", true) == true);
	CHECK(xml_attr_bool(&n, "missing", true) == true);

	/* string */
	char buf[8];
	CHECK(xml_attr_string(&n, "word", buf, sizeof(buf), "def") == 3 && strcmp(buf, "abc") == 0);
	CHECK(xml_attr_string(&n, "str", buf, sizeof(buf), "def") == 11 && strcmp(buf, "hello w") == 0);
	CHECK(xml_attr_string(&n, "missing", buf, sizeof(buf), "def") == 3 && strcmp(buf, "def") == 0);
	CHECK(xml_attr_string(&n, "missing", buf, sizeof(buf), NULL) == 0 && buf[0] == 0);
	CHECK(xml_attr_string(&n, "empty", buf, sizeof(buf), "def") == 0 && buf[0] == 0);
	CHECK(xml_attr_equals(&n, "str", "hello world"));
	CHECK(!xml_attr_equals(&n, "str", "hello"));
}

static void test_decoded(void)
{
	section("decoded content");
	struct xml_node n = parse("<c>&lt;a&gt; &amp;&quot;&apos;&#x00;|&foo; &amp &#x0;&</c>");
	char buf[64];
	size_t len = xml_decoded_content(&n, buf, sizeof(buf));
	static const char expect[] = "<a> &\"'\0|&foo; &amp &#x0;&";
	CHECK(len == sizeof(expect) - 1);
	CHECK(memcmp(buf, expect, sizeof(expect)) == 0);

	/* truncation: the length of the whole text is returned, dst NUL-terminated */
	char small[4];
	memset(small, 'x', sizeof(small));
	CHECK(xml_decoded_content(&n, small, sizeof(small)) == sizeof(expect) - 1);
	CHECK(memcmp(small, "<a>", 4) == 0);
	CHECK(xml_decoded_content(&n, NULL, 0) == sizeof(expect) - 1);

	n = parse("<c/>");
	buf[0] = 'x';
	CHECK(xml_decoded_content(&n, buf, sizeof(buf)) == 0 && buf[0] == 0);
}

static void test_errors(void)
{
	section("syntax errors, their positions and elements");
	ERR("", XML_ERR_NO_NODE, 0, "");
	ERR("  just text", XML_ERR_NO_NODE, 11, "");
	ERR("<!-- only a comment -->", XML_ERR_NO_NODE, 23, "");
	ERR("<!-- unterminated", XML_ERR_UNCLOSED_COMMENT, 0, "");
	ERR("<!--->", XML_ERR_UNCLOSED_COMMENT, 0, "");
	ERR("</a>", XML_ERR_UNEXPECTED_END_TAG, 0, "");
	ERR("x </a><a/>", XML_ERR_UNEXPECTED_END_TAG, 2, "");
	ERR("<?xml version=\"1.0\"?><a/>", XML_ERR_BAD_TAG, 0, "");
	ERR("<!DOCTYPE a><a/>", XML_ERR_BAD_TAG, 0, "");
	ERR("< a/>", XML_ERR_BAD_TAG, 0, "");
	ERR("<1a/>", XML_ERR_BAD_TAG, 0, "");
	ERR("<-a/>", XML_ERR_BAD_TAG, 0, "");
	ERR("<", XML_ERR_UNCLOSED_TAG, 0, "");
	ERR("<a", XML_ERR_UNCLOSED_TAG, 0, "a");
	ERR("<a x", XML_ERR_UNCLOSED_TAG, 0, "a");
	ERR("<a x=", XML_ERR_UNCLOSED_TAG, 0, "a");
	ERR("<a /", XML_ERR_UNCLOSED_TAG, 0, "a");
	ERR("<a/ >", XML_ERR_BAD_TAG, 2, "a");
	ERR("<a x=\"1", XML_ERR_UNCLOSED_VALUE, 5, "a");
	ERR("<a x=\"1\\\"/>", XML_ERR_UNCLOSED_VALUE, 5, "a");
	ERR("<a x=1/>", XML_ERR_BAD_ATTRIBUTE, 5, "a");
	ERR("<a x='1'/>", XML_ERR_BAD_ATTRIBUTE, 5, "a");
	ERR("<a x/>", XML_ERR_BAD_ATTRIBUTE, 4, "a");
	ERR("<a x y=\"1\"/>", XML_ERR_BAD_ATTRIBUTE, 5, "a");
	ERR("<a x=\"1\"y=\"2\"/>", XML_ERR_BAD_ATTRIBUTE, 8, "a");
	ERR("<a=\"1\"/>", XML_ERR_BAD_ATTRIBUTE, 2, "a");
	ERR("<a 1=\"1\"/>", XML_ERR_BAD_ATTRIBUTE, 3, "a");
	ERR("<a \"x\"/>", XML_ERR_BAD_ATTRIBUTE, 3, "a");
	ERR("<config>", XML_ERR_NO_END_TAG, 8, "config");
	ERR("<config><a>", XML_ERR_NO_END_TAG, 11, "a");
	ERR("<config><a></a>  ", XML_ERR_NO_END_TAG, 17, "config");
	ERR("<config><a></config>", XML_ERR_END_TAG_MISMATCH, 11, "a");
	ERR("<config></configx>", XML_ERR_END_TAG_MISMATCH, 8, "config");
	ERR("<config></conf>", XML_ERR_END_TAG_MISMATCH, 8, "config");
	ERR("<a></ a>", XML_ERR_BAD_TAG, 3, "a");
	ERR("<a></a x>", XML_ERR_BAD_TAG, 7, "a");
	ERR("<a></a/>", XML_ERR_BAD_TAG, 6, "a");
	ERR("<a></a", XML_ERR_UNCLOSED_TAG, 3, "a");
	ERR("<a></", XML_ERR_UNCLOSED_TAG, 3, "a");
	ERR("<a>1 < 2</a>", XML_ERR_BAD_TAG, 5, "a");
	ERR("<a><![CDATA[x]]></a>", XML_ERR_BAD_TAG, 3, "a");
	ERR("<a><?pi?></a>", XML_ERR_BAD_TAG, 3, "a");
	ERR("<a><!-- x</a>", XML_ERR_UNCLOSED_COMMENT, 3, "a");
	ERR("<a><b x=\"1></b></a>", XML_ERR_UNCLOSED_VALUE, 8, "b");
	ERR("<a><b x></b></a>", XML_ERR_BAD_ATTRIBUTE, 7, "b");
	ERR("<a><b></a></b>", XML_ERR_END_TAG_MISMATCH, 6, "b");
	ERR("<a><b/><c></b></a>", XML_ERR_END_TAG_MISMATCH, 10, "c");
	ERR("<a><", XML_ERR_UNCLOSED_TAG, 3, "a");
	ERR("<a><b", XML_ERR_UNCLOSED_TAG, 3, "b");
	ERR("<a>\xff<\x01/></a>", XML_ERR_BAD_TAG, 4, "a");

	/* after a NUL nothing counts */
	static const char nul_tag[] = "<a>\0<b/></a>";
	check_error(nul_tag, sizeof(nul_tag), XML_ERR_NO_END_TAG, 3, "a", __LINE__);

	for (int e = XML_OK; e <= XML_ERR_TOO_DEEP; e++)
		CHECK(strcmp(xml_error_str((enum xml_error)e), "unknown error") != 0);
}

static void test_depth(void)
{
	section("nesting depth bound");
	char buf[XML_MAX_DEPTH * 8 + 64];
	size_t len = 0;
	for (unsigned i = 0; i < XML_MAX_DEPTH; i++) len += (size_t)sprintf(buf + len, "<n>");
	for (unsigned i = 0; i < XML_MAX_DEPTH; i++) len += (size_t)sprintf(buf + len, "</n>");
	struct xml_node n;
	struct xml_parse_result r = xml_parse(buf, len, &n);
	CHECK(r.error == XML_OK);
	unsigned depth = 1;
	while (xml_sub_node(&n, 0, &n)) depth++;
	CHECK(depth == XML_MAX_DEPTH);

	/* empty nodes at the deepest level are fine */
	len = 0;
	for (unsigned i = 0; i < XML_MAX_DEPTH; i++) len += (size_t)sprintf(buf + len, "<n>");
	len += (size_t)sprintf(buf + len, "<e/>");
	for (unsigned i = 0; i < XML_MAX_DEPTH; i++) len += (size_t)sprintf(buf + len, "</n>");
	r = xml_parse(buf, len, &n);
	CHECK(r.error == XML_OK);

	len = 0;
	for (unsigned i = 0; i <= XML_MAX_DEPTH; i++) len += (size_t)sprintf(buf + len, "<n>");
	for (unsigned i = 0; i <= XML_MAX_DEPTH; i++) len += (size_t)sprintf(buf + len, "</n>");
	r = xml_parse(buf, len, &n);
	CHECK(r.error == XML_ERR_TOO_DEEP && r.offset == XML_MAX_DEPTH * 3 && str_eq_z(r.element, "n"));
}

static void test_zero_node(void)
{
	section("zero-initialized node");
	struct xml_node z = { 0 }, n;
	struct xml_attr a;
	struct xml_iter it;
	char buf[4] = "xyz";
	CHECK(xml_type(&z).len == 0 && !xml_has_type(&z, "a"));
	CHECK(xml_content(&z).len == 0 && xml_num_sub_nodes(&z) == 0);
	CHECK(!xml_sub_node(&z, 0, &n) && !xml_sub_node_by_type(&z, NULL, &n));
	CHECK(!xml_next(&z, NULL, &n) && xml_is_last(&z, NULL));
	CHECK(xml_num_attributes(&z) == 0 && !xml_attribute(&z, "a", &a) && !xml_attribute_at(&z, 0, &a));
	CHECK(xml_attr_ulong(&z, "a", 7) == 7);
	CHECK(xml_decoded_content(&z, buf, sizeof(buf)) == 0 && buf[0] == 0);
	xml_iter_init(&it, &z, NULL);
	CHECK(!xml_iter_next(&it, &n));
	CHECK(xml_node_equal(&z, &z));
}

int main(void)
{
	test_navigation();
	test_content();
	test_equal();
	test_leading_trailing();
	test_attributes();
	test_typed();
	test_decoded();
	test_errors();
	test_depth();
	test_zero_node();
	return check_summary("util_xml");
}
