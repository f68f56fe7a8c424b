/* util_xml_gen.c - unit test of the XML generator: format, escaping, overflow, misuse */
#include <util/xml_gen.h>
#include <util/xml.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* the example document of xml_gen.h plus text and nesting */
static enum xml_gen_error generate(char *buf, size_t size, size_t *used)
{
	struct xml_gen g;
	xml_gen_init(&g, buf, size, "state");
	xml_gen_attr_ulong(&g, "version", 3);
	xml_gen_node_open(&g, "child");
	xml_gen_attr(&g, "name", "init -> timer");
	xml_gen_attr_bool(&g, "up", true);
	xml_gen_node_close(&g);
	xml_gen_node_open(&g, "text");
	xml_gen_append(&g, "raw <b/>", 8);
	xml_gen_node_close(&g);
	xml_gen_node_open(&g, "deep");
	xml_gen_node_open(&g, "deeper");
	xml_gen_attr_long(&g, "n", -12);
	xml_gen_node_open(&g, "deepest");
	xml_gen_node_close(&g);
	xml_gen_node_close(&g);
	xml_gen_node_close(&g);
	enum xml_gen_error e = xml_gen_finish(&g);
	*used = xml_gen_used(&g);
	return e;
}

static const char expected[] =
	"<state version=\"3\">\n"
	"\t<child name=\"init -> timer\" up=\"true\"/>\n"
	"\t<text>raw <b/></text>\n"
	"\t<deep>\n"
	"\t\t<deeper n=\"-12\">\n"
	"\t\t\t<deepest/>\n"
	"\t\t</deeper>\n"
	"\t</deep>\n"
	"</state>\n";

static void test_format(void)
{
	section("output format");
	char buf[512];
	size_t used = 0;
	CHECK(generate(buf, sizeof(buf), &used) == XML_GEN_OK);
	CHECK(strcmp(buf, expected) == 0);
	CHECK(used == sizeof(expected) - 1);
	if (strcmp(buf, expected))
		printf("  got:\n%s", buf);

	/* the result parses back */
	struct xml_node n, s;
	struct xml_parse_result r = xml_parse(buf, used, &n);
	CHECK(r.error == XML_OK && xml_attr_ulong(&n, "version", 0) == 3);
	CHECK(xml_num_sub_nodes(&n) == 3);
	CHECK(xml_sub_node_by_type(&n, "child", &s) && xml_attr_bool(&s, "up", false));
	CHECK(xml_attr_equals(&s, "name", "init -> timer"));
	CHECK(xml_sub_node_by_type(&n, "text", &s) && str_eq_z(xml_content(&s), "raw <b/>"));

	/* empty root */
	struct xml_gen g;
	xml_gen_init(&g, buf, sizeof(buf), "empty");
	CHECK(xml_gen_finish(&g) == XML_GEN_OK && strcmp(buf, "<empty/>\n") == 0);
	CHECK(xml_gen_used(&g) == 9);

	/* root with attributes only, and text only */
	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_attr(&g, "a", "");
	CHECK(xml_gen_finish(&g) == XML_GEN_OK && strcmp(buf, "<r a=\"\"/>\n") == 0);
	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_append(&g, "text", 4);
	CHECK(xml_gen_finish(&g) == XML_GEN_OK && strcmp(buf, "<r>text</r>\n") == 0);
	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_append(&g, "", 0);
	CHECK(xml_gen_finish(&g) == XML_GEN_OK && strcmp(buf, "<r></r>\n") == 0);

	/* mixed content: text, then a sub node */
	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_append(&g, "t", 1);
	xml_gen_node_open(&g, "s");
	xml_gen_node_close(&g);
	CHECK(xml_gen_finish(&g) == XML_GEN_OK && strcmp(buf, "<r>t\n\t<s/>\n</r>\n") == 0);

	/* finish closes open nodes */
	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_node_open(&g, "a");
	xml_gen_node_open(&g, "b");
	CHECK(xml_gen_finish(&g) == XML_GEN_OK && strcmp(buf, "<r>\n\t<a>\n\t\t<b/>\n\t</a>\n</r>\n") == 0);
	CHECK(xml_gen_finish(&g) == XML_GEN_OK);   /* idempotent */
}

static void test_attr_values(void)
{
	section("attribute value formats");
	char buf[256];
	struct xml_gen g;
	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_attr_ulong(&g, "u0", 0);
	xml_gen_attr_ulong(&g, "umax", ULONG_MAX);
	xml_gen_attr_long(&g, "lmin", LONG_MIN);
	xml_gen_attr_long(&g, "lmax", LONG_MAX);
	xml_gen_attr_long(&g, "zero", 0);
	xml_gen_attr_bool(&g, "f", false);
	xml_gen_attr_str(&g, "s", str_n("abcdef", 3));
	xml_gen_attr(&g, "v", "a\\\"b");   /* verbatim, parses back thanks to the quirk */
	CHECK(xml_gen_finish(&g) == XML_GEN_OK);
	CHECK(strcmp(buf, "<r u0=\"0\" umax=\"18446744073709551615\" lmin=\"-9223372036854775808\""
	                  " lmax=\"9223372036854775807\" zero=\"0\" f=\"false\" s=\"abc\" v=\"a\\\"b\"/>\n") == 0);
	struct xml_node n;
	struct xml_parse_result r = xml_parse(buf, xml_gen_used(&g), &n);
	CHECK(r.error == XML_OK);
	CHECK(xml_attr_ulong(&n, "umax", 0) == ULONG_MAX);
	CHECK(xml_attr_long(&n, "lmin", 0) == LONG_MIN);
	CHECK(xml_attr_equals(&n, "v", "a\\\"b"));
}

static void test_sanitized(void)
{
	section("append_sanitized and decoded_content round trip");
	static const char text[] = "a&b<c>d\"e'f\0g&amp;";
	char buf[256];
	struct xml_gen g;
	xml_gen_init(&g, buf, sizeof(buf), "clipboard");
	xml_gen_append_sanitized(&g, text, sizeof(text) - 1);
	CHECK(xml_gen_finish(&g) == XML_GEN_OK);
	CHECK(strcmp(buf, "<clipboard>a&amp;b&lt;c&gt;d&quot;e&apos;f&#x00;g&amp;amp;</clipboard>\n") == 0);

	struct xml_node n;
	struct xml_parse_result r = xml_parse(buf, xml_gen_used(&g), &n);
	CHECK(r.error == XML_OK);
	char out[64];
	size_t len = xml_decoded_content(&n, out, sizeof(out));
	CHECK(len == sizeof(text) - 1 && memcmp(out, text, sizeof(text)) == 0);

	/* every byte value survives the round trip */
	char all[256];
	for (int i = 0; i < 256; i++) all[i] = (char)i;
	static char big[2048];
	xml_gen_init(&g, big, sizeof(big), "c");
	xml_gen_append_sanitized(&g, all, sizeof(all));
	CHECK(xml_gen_finish(&g) == XML_GEN_OK);
	r = xml_parse(big, xml_gen_used(&g), &n);
	CHECK(r.error == XML_OK);
	char back[300];
	CHECK(xml_decoded_content(&n, back, sizeof(back)) == 256 && memcmp(back, all, 256) == 0);
}

static void test_overflow(void)
{
	section("buffer overflow at every size");
	size_t const need = sizeof(expected);   /* text plus NUL */
	char buf[sizeof(expected) + 16];
	unsigned bad = 0;
	for (size_t size = 0; size <= need + 4; size++) {
		memset(buf, '#', sizeof(buf));
		size_t used = 0;
		enum xml_gen_error e = generate(buf, size, &used);
		bool ok = size >= need ? e == XML_GEN_OK && strcmp(buf, expected) == 0
		                       : e == XML_GEN_ERR_OVERFLOW;
		/* nothing written beyond the buffer, always NUL-terminated inside it */
		for (size_t i = size; i < sizeof(buf); i++)
			ok = ok && buf[i] == '#';
		if (size)
			ok = ok && memchr(buf, 0, size) && used < size && strlen(buf) == used;
		if (!ok) {
			bad++;
			printf("  FAIL size %zu: %s\n", size, xml_gen_error_str(e));
		}
	}
	CHECK(bad == 0);

	struct xml_gen g;
	xml_gen_init(&g, NULL, 100, "r");
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_OVERFLOW);

	/* the error is sticky: later calls return it and write nothing */
	char small[8];
	xml_gen_init(&g, small, sizeof(small), "root");
	CHECK(xml_gen_attr(&g, "attribute", "value") == XML_GEN_ERR_OVERFLOW);
	size_t used = xml_gen_used(&g);
	CHECK(xml_gen_node_open(&g, "x") == XML_GEN_ERR_OVERFLOW);
	CHECK(xml_gen_append(&g, "x", 1) == XML_GEN_ERR_OVERFLOW);
	CHECK(xml_gen_used(&g) == used);
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_OVERFLOW);
	CHECK(strlen(small) == used);

	/* sanitized text that overflows only by its escapes */
	char esc[16];
	xml_gen_init(&g, esc, sizeof(esc), "r");
	xml_gen_append_sanitized(&g, "<<<<", 4);
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_OVERFLOW);
}

static void test_misuse(void)
{
	section("invalid names and call order");
	char buf[256];
	struct xml_gen g;

	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_append(&g, "x", 1);
	CHECK(xml_gen_attr(&g, "late", "1") == XML_GEN_ERR_ORDER);
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_ORDER);

	xml_gen_init(&g, buf, sizeof(buf), "r");
	xml_gen_node_open(&g, "s");
	xml_gen_node_close(&g);
	CHECK(xml_gen_attr(&g, "late", "1") == XML_GEN_ERR_ORDER);

	xml_gen_init(&g, buf, sizeof(buf), "r");
	CHECK(xml_gen_node_close(&g) == XML_GEN_ERR_ORDER);

	xml_gen_init(&g, buf, sizeof(buf), "r");
	CHECK(xml_gen_finish(&g) == XML_GEN_OK);
	CHECK(xml_gen_node_open(&g, "after") == XML_GEN_ERR_ORDER);
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_ORDER);

	xml_gen_init(&g, buf, sizeof(buf), "1root");
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_NAME);
	xml_gen_init(&g, buf, sizeof(buf), "");
	CHECK(xml_gen_finish(&g) == XML_GEN_ERR_NAME);
	xml_gen_init(&g, buf, sizeof(buf), "r");
	CHECK(xml_gen_node_open(&g, "a b") == XML_GEN_ERR_NAME);
	xml_gen_init(&g, buf, sizeof(buf), "r");
	CHECK(xml_gen_attr(&g, "a=\"x\" b", "1") == XML_GEN_ERR_NAME);
	xml_gen_init(&g, buf, sizeof(buf), "r");
	CHECK(xml_gen_attr(&g, NULL, "1") == XML_GEN_ERR_NAME);

	static char big[16384];
	xml_gen_init(&g, big, sizeof(big), "r");
	for (unsigned i = 1; i < XML_MAX_DEPTH; i++)
		CHECK(xml_gen_node_open(&g, "n") == XML_GEN_OK);
	CHECK(xml_gen_node_open(&g, "n") == XML_GEN_ERR_DEPTH);

	xml_gen_init(&g, big, sizeof(big), "r");
	for (unsigned i = 1; i < XML_MAX_DEPTH; i++)
		xml_gen_node_open(&g, "n");
	CHECK(xml_gen_finish(&g) == XML_GEN_OK);
	struct xml_node n;
	struct xml_parse_result r = xml_parse(big, xml_gen_used(&g), &n);
	CHECK(r.error == XML_OK);

	for (int e = XML_GEN_OK; e <= XML_GEN_ERR_DEPTH; e++)
		CHECK(strcmp(xml_gen_error_str((enum xml_gen_error)e), "unknown error") != 0);
}

int main(void)
{
	test_format();
	test_attr_values();
	test_sanitized();
	test_overflow();
	test_misuse();
	return check_summary("util_xml_gen");
}
