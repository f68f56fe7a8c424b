/* util_policy.c - unit test of label matching and server-side policy selection */
#include <util/policy.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

static struct xml_node parse(const char *s)
{
	struct xml_node n = { 0 };
	struct xml_parse_result r = xml_parse(s, strlen(s), &n);
	if (r.error != XML_OK) {
		failures++;
		printf("  FAIL parse error %s at %zu\n", xml_error_str(r.error), r.offset);
	}
	return n;
}

/* id attribute of the policy selected for label, "none" or "default" */
static const char *select_id(const struct xml_node *config, const char *label, char *buf, size_t size)
{
	struct policy_result r = policy_select(config, str_z(label));
	if (r.kind == POLICY_NONE)
		return "none";
	(void)xml_attr_string(&r.node, "id", buf, size, "?");
	if (r.kind == POLICY_DEFAULT)
		return xml_has_type(&r.node, "default-policy") ? buf : "bad default";
	return xml_has_type(&r.node, "policy") ? buf : "bad policy";
}

#define SELECT(config, label, expect) do { \
	char b_[32]; \
	const char *got_ = select_id(config, label, b_, sizeof(b_)); \
	checks++; \
	if (strcmp(got_, expect)) { \
		failures++; \
		printf("  FAIL %s:%d: label '%s' selected '%s', expected '%s'\n", \
		       __FILE__, __LINE__, label, got_, expect); \
	} \
} while (0)

static void test_specificity(void)
{
	section("most specific policy");
	struct xml_node c = parse(
		"<config>"
		" <policy id=\"suffix\"      label_suffix=\"-> app\"/>"
		" <policy id=\"longsuffix\"  label_suffix=\"launcher -> app\"/>"
		" <policy id=\"prefix\"      label_prefix=\"init\"/>"
		" <policy id=\"longprefix\"  label_prefix=\"init -> launcher\"/>"
		" <policy id=\"exact\"       label=\"init -> launcher -> app\"/>"
		" <policy id=\"exact2\"      label=\"init -> launcher -> app\"/>"
		" <policy id=\"prefsuf\"     label_prefix=\"init -> launcher\" label_suffix=\"b\"/>"
		" <policy id=\"emptyprefix\" label_prefix=\"\"/>"
		" <policy id=\"emptysuffix\" label_suffix=\"\"/>"
		" <policy id=\"x-suffix\"    label_suffix=\"xyz\"/>"
		"</config>");

	SELECT(&c, "init -> launcher -> app", "exact");       /* exact beats all, first of ties */
	SELECT(&c, "init -> launcher -> b", "prefsuf");       /* same prefix, suffix breaks the tie */
	SELECT(&c, "init -> launcher -> c", "longprefix");    /* longer prefix beats shorter */
	SELECT(&c, "init -> other -> app", "prefix");         /* prefix beats (longer) suffix */
	SELECT(&c, "other -> launcher -> app", "emptyprefix");/* empty prefix: prefix-bearing */
	SELECT(&c, "init", "prefix");
	SELECT(&c, "", "emptyprefix");

	struct xml_node s = parse(
		"<config>"
		" <policy id=\"empty\"  label_suffix=\"\"/>"
		" <policy id=\"short\"  label_suffix=\"app\"/>"
		" <policy id=\"long\"   label_suffix=\"-> app\"/>"
		" <policy id=\"long2\"  label_suffix=\"r app\"/>"
		"</config>");
	SELECT(&s, "x -> app", "long");       /* longest suffix, first of equal length */
	SELECT(&s, "xapp", "short");
	SELECT(&s, "r app", "long2");
	SELECT(&s, "other", "empty");         /* empty suffix matches with lowest weight */

	/* label beats longer prefix; prefix+suffix beats prefix of same length */
	struct xml_node l = parse(
		"<config>"
		" <policy id=\"pre\"  label_prefix=\"abcdefgh\"/>"
		" <policy id=\"ps\"   label_prefix=\"abcdefgh\" label_suffix=\"h\"/>"
		" <policy id=\"lab\"  label=\"abcdefgh\"/>"
		"</config>");
	SELECT(&l, "abcdefgh", "lab");
	SELECT(&l, "abcdefghh", "ps");
	SELECT(&l, "abcdefghi", "pre");
}

static void test_conflicts(void)
{
	section("conflicts, missing attributes, default policy");
	struct xml_node c = parse(
		"<config>"
		" <policy id=\"noattr\" root=\"/\" writeable=\"yes\"/>"
		" <policy id=\"misspelled\" prefix_label=\"trusted\"/>"
		" <policy id=\"both\" label=\"a\" label_prefix=\"b\"/>"
		" <policy id=\"ps\" label_prefix=\"x\" label_suffix=\"y\"/>"
		" <default-policy id=\"default\"/>"
		" <default-policy id=\"second-default\"/>"
		"</config>");
	SELECT(&c, "trusted -> client", "default");  /* misspelled attribute never matches */
	SELECT(&c, "a", "default");                  /* one attribute mismatches */
	SELECT(&c, "b", "default");
	SELECT(&c, "x -> z", "default");
	SELECT(&c, "x -> y", "ps");
	SELECT(&c, "xy", "ps");
	SELECT(&c, "x", "default");                  /* the suffix mismatches */

	struct xml_node none = parse("<config><policy id=\"p\" label=\"a\"/></config>");
	SELECT(&none, "b", "none");
	SELECT(&none, "a", "p");
	SELECT(&none, "a ", "none");
	SELECT(&none, "", "none");

	struct xml_node empty = parse("<config/>");
	SELECT(&empty, "a", "none");

	/* only direct <policy> children count; comments are skipped */
	struct xml_node nested = parse(
		"<config><!-- <policy id=\"c\" label=\"a\"/> -->"
		"<sub><policy id=\"deep\" label=\"a\"/></sub>"
		"<policyx id=\"px\" label=\"a\"/></config>");
	SELECT(&nested, "a", "none");

	/* label values are compared raw, no entity decoding */
	struct xml_node raw = parse("<config><policy id=\"r\" label=\"a&amp;b\"/></config>");
	SELECT(&raw, "a&b", "none");
	SELECT(&raw, "a&amp;b", "r");
}

static void test_node_matches(void)
{
	section("init-style node matching and scores");
	struct xml_node r = parse(
		"<route>"
		" <service name=\"LOG\"/>"
		" <service name=\"ROM\" label=\"config\"/>"
		" <service name=\"ROM\" label_prefix=\"fonts\" label_suffix=\".tff\"/>"
		" <any-service label_suffix=\"\"/>"
		"</route>");
	struct xml_node s0, s1, s2, s3;
	CHECK(xml_sub_node(&r, 0, &s0) && xml_sub_node(&r, 1, &s1));
	CHECK(xml_sub_node(&r, 2, &s2) && xml_sub_node(&r, 3, &s3));
	CHECK(policy_node_matches(&s0, str_z("anything")));   /* no attributes: any label */
	CHECK(policy_node_matches(&s0, str_z("")));
	CHECK(policy_node_matches(&s1, str_z("config")));
	CHECK(!policy_node_matches(&s1, str_z("config2")));
	CHECK(!policy_node_matches(&s1, str_z("")));
	CHECK(policy_node_matches(&s2, str_z("fonts -> a.tff")));
	CHECK(!policy_node_matches(&s2, str_z("fonts -> a.ttf")));
	CHECK(!policy_node_matches(&s2, str_z("font -> a.tff")));
	CHECK(policy_node_matches(&s3, str_z("")));

	struct policy_score a = policy_score(&s2, str_z("fonts -> a.tff"));
	CHECK(a.prefix_present && a.suffix_present && !a.label_present && !a.conflict);
	CHECK(a.prefix_len == 5 && a.suffix_len == 4);
	struct policy_score b = policy_score(&s1, str_z("config"));
	CHECK(b.label_present && !b.conflict);
	CHECK(policy_score_stronger(&b, &a) && !policy_score_stronger(&a, &b));
	CHECK(!policy_score_stronger(&a, &a));
	struct policy_score z = policy_score(&s0, str_z("x"));
	CHECK(!z.label_present && !z.prefix_present && !z.suffix_present && !z.conflict);
}

int main(void)
{
	test_specificity();
	test_conflicts();
	test_node_matches();
	return check_summary("util_policy");
}
