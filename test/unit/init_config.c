/* init_config.c - unit test of init's configuration language beyond routing: refusal, affinity, report, priorities, start-node comparison */
#include "../../src/init/config.c"
#include "../../src/init/prio.c"

#include "init_harness.h"

/* the config is refused and the diagnostics contain `line` */
static bool refused(const char *xml, const char *line)
{
	init_config *c = parse_update(xml);
	if (c) {
		init_config_free(c);
		return false;
	}
	return strstr(diag_text, line) && strstr(diag_text, "Error: config rejected\n");
}

static void test_refusal(void)
{
	CHECK(refused("<config>\n <bogus/>\n</config>",
	              "Error: unknown element <bogus> in <config> at line 2, column 2\n"),
	      "top level: %s", diag_text);
	CHECK(refused("<config><start name=\"a\"><binray name=\"x\"/></start></config>",
	              "Error: unknown element <binray> in <start name=\"a\"> at line 1, column 25\n"),
	      "start: %s", diag_text);
	CHECK(refused("<config><default-route><any_service/></default-route></config>",
	              "Error: unknown element <any_service> in <default-route> at line 1, column 24\n"),
	      "route table: %s", diag_text);
	CHECK(refused("<config><start name=\"a\"><route><any-service><parnet/></any-service>"
	              "</route></start></config>",
	              "Error: unknown element <parnet> in <any-service> at line 1, column 45\n"),
	      "target: %s", diag_text);
	CHECK(refused("<config><parent-provides><srvice name=\"LOG\"/></parent-provides></config>",
	              "Error: unknown element <srvice> in <parent-provides>"),
	      "service list: %s", diag_text);
	CHECK(refused("<config><start name=\"a\"/>\n<start/></config>",
	              "Error: missing 'name' attribute in '<start>' entry at line 2, column 1\n"),
	      "nameless: %s", diag_text);
	CHECK(refused("<config><start name=\"a\"><route><service name=\"LOG\"><child name=\"b\"/>"
	              "</service></route></start></config>",
	              "Error: a: route to unknown child \"b\" at line 1, column 52\n"),
	      "unknown child: %s", diag_text);
	CHECK(refused("<config><default-route><any-service><child name=\"x\"/></any-service>"
	              "</default-route><start name=\"a\"/></config>",
	              "Error: <default-route>: route to unknown child \"x\""),
	      "default route: %s", diag_text);
	CHECK(refused("<config><alias name=\"x\" child=\"y\"/></config>",
	              "Error: alias \"x\" refers to unknown child \"y\" at line 1, column 9\n"),
	      "alias: %s", diag_text);
	CHECK(refused("<config><start name=\"a\"><route><service/></route></start></config>",
	              "Error: missing 'name' attribute in '<service>' route entry"),
	      "service without name: %s", diag_text);
	CHECK(refused("<config><start name=\"a\"><configfile/></start></config>",
	              "Error: missing 'name' attribute in '<configfile>' of \"a\""),
	      "configfile without name: %s", diag_text);

	/* every problem is named, not only the first */
	CHECK(refused("<config><x/><start name=\"a\"/><start name=\"a\"/></config>",
	              "Error: unknown element <x>") && strstr(diag_text, "is not unique"),
	      "all problems: %s", diag_text);

	/* the first config: a dangling name is a warning (16.08 denies at run time) */
	init_config *c = parse("<config><start name=\"a\"><route><service name=\"LOG\">"
	                       "<child name=\"b\"/></service></route></start></config>");
	CHECK(c && diag_max == INIT_DIAG_WARNING
	      && strstr(diag_text, "Warning: a: route to unknown child \"b\" at line 1, column 52\n"),
	      "first config: %s", diag_text);
	init_config_free(c);

	/* unknown attributes, <config> content, <if-arg> and 10.02 nodes are fine */
	c = parse_update("<config foo=\"1\"><priolevels>4</priolevels>"
	           "<start name=\"a\" bar=\"2\"><priority>-3</priority><config><anything/></config>"
	           "<route><any-service><if-arg key=\"k\" value=\"v\"/><parent/></any-service></route>"
	           "</start></config>");
	CHECK(c && diag_max == INIT_DIAG_NONE, "accepted: %s", diag_text);
	if (c) {
		CHECK(c->prio_levels == 4 && c->starts[0].priority == -3, "10.02 <priolevels>/<priority>");
		init_config_free(c);
	}

	/* the position counts from the start of the ROM, leading comment included */
	CHECK(refused("<!-- a\ncomment -->\n<config>\n\t<nix/></config>",
	              "unknown element <nix> in <config> at line 4, column 2\n"),
	      "position: %s", diag_text);
}

static void test_affinity(void)
{
	init_config *c = parse(
		"<config><affinity-space width=\"4\" height=\"2\"/>"
		"<start name=\"all\"/>"
		"<start name=\"x1\"><affinity xpos=\"1\"/></start>"
		"<start name=\"y1\"><affinity ypos=\"1\"/></start>"
		"<start name=\"box\"><affinity xpos=\"2\" ypos=\"0\" width=\"2\" height=\"2\"/></start>"
		"<start name=\"clip\"><affinity xpos=\"3\" ypos=\"5\" width=\"9\" height=\"9\"/></start>"
		"<start name=\"neg\"><affinity xpos=\"-2\" width=\"2\"/></start>"
		"</config>");
	CHECK(c, "parses: %s", diag_text);
	if (!c)
		return;
	CHECK(c->space_width == 4 && c->space_height == 2, "space");
	const init_affinity *a;
#define AFF(i, x, y, w, h) (a = &c->starts[i].affinity, \
	a->xpos == (x) && a->ypos == (y) && a->width == (w) && a->height == (h))
	CHECK(AFF(0, 0, 0, 4, 2), "no <affinity>: the whole space");
	CHECK(AFF(1, 1, 0, 1, 2), "xpos given: width 1, height H");
	CHECK(AFF(2, 0, 1, 4, 1), "ypos given: height 1, width W");
	CHECK(AFF(3, 2, 0, 2, 2), "rectangle");
	CHECK(AFF(4, 3, 1, 1, 1), "clipped to the space");
	CHECK(AFF(5, 0, 0, 2, 2), "negative clips to 0");
#undef AFF
	init_config_free(c);

	c = parse("<config><affinity-space width=\"3\"/><start name=\"a\"/></config>");
	CHECK(c && c->space_width == 3 && c->space_height == 1, "missing dimension is 1");
	init_config_free(c);
	c = parse("<config><start name=\"a\"><affinity xpos=\"1\"/></start></config>");
	CHECK(c && c->starts[0].affinity.xpos == 0 && c->starts[0].affinity.width == 1,
	      "default 1x1 space");
	init_config_free(c);
}

static void test_report_and_resources(void)
{
	init_config *c = parse("<config version=\"7\"><report/><start name=\"a\" version=\"2\">"
	                       "<resource name=\"RAM\" quantum=\"1M\" limit=\"3M\"/>"
	                       "<resource name=\"CPU\" quantum=\"20\"/></start></config>");
	CHECK(c, "parses");
	if (c) {
		const init_report_config *r = &c->report;
		CHECK(r->enabled && r->delay_ms == 100 && r->buffer == 4096 && !r->ids && !r->requested
		      && !r->provided && !r->session_args && !r->child_ram && !r->init_ram,
		      "report defaults");
		CHECK(strcmp(c->version, "7") == 0 && strcmp(c->starts[0].version, "2") == 0, "versions");
		CHECK(c->starts[0].ram_limit == 3u << 20 && c->starts[0].cpu_quantum == 20, "limit, CPU");
		CHECK(c->ram_preserve == INIT_RAM_RESERVE, "default reserve");
		init_config_free(c);
	}
	c = parse("<config><resource name=\"RAM\" preserve=\"1M\"/>"
	          "<report delay_ms=\"250\" buffer=\"16K\" ids=\"yes\" requested=\"yes\" provided=\"yes\""
	          " session_args=\"yes\" child_ram=\"yes\" init_ram=\"yes\" child_caps=\"yes\"/></config>");
	CHECK(c, "parses");
	if (c) {
		const init_report_config *r = &c->report;
		CHECK(r->delay_ms == 250 && r->buffer == 16384 && r->ids && r->requested && r->provided
		      && r->session_args && r->child_ram && r->init_ram, "report attributes");
		CHECK(c->ram_preserve == 1u << 20 && !c->version, "preserve");
		init_config_free(c);
	}
	c = parse("<config/>");
	CHECK(c && !c->report.enabled, "no report");
	init_config_free(c);
}

/* ---- how a <start> node changed ---- */

static unsigned compare(const char *old_start, const char *new_start)
{
	char a[1024], b[1024];
	snprintf(a, sizeof a, "<config>%s</config>", old_start);
	snprintf(b, sizeof b, "<config>%s</config>", new_start);
	init_config *ca = parse(a), *cb = parse(b);
	unsigned r = ca && cb ? init_start_compare(&ca->starts[0], &cb->starts[0]) : 0xffff;
	init_config_free(ca);
	init_config_free(cb);
	return r;
}

static void test_compare(void)
{
	const char *base = "<start name=\"a\"><binary name=\"x\"/>"
	                   "<resource name=\"RAM\" quantum=\"1M\"/><config v=\"1\"/>"
	                   "<route><any-service><parent/></any-service></route></start>";
	char alt[1024];

#define WITH(from, to) (snprintf(alt, sizeof alt, "%.*s%s%s", (int)(strstr(base, from) - base), \
	base, to, strstr(base, from) + strlen(from)), alt)

	CHECK(compare(base, base) == INIT_START_SAME, "same");
	CHECK(compare(base, WITH("v=\"1\"", "v=\"2\"")) == INIT_START_CONFIG, "config");
	CHECK(compare(base, WITH("quantum=\"1M\"", "quantum=\"2M\"")) == INIT_START_RAM, "RAM");
	CHECK(compare(base, WITH("quantum=\"1M\"", "quantum=\"1M\" limit=\"2M\"")) == INIT_START_RAM,
	      "limit");
	CHECK(compare(base, WITH("<parent/>", "<parent/> <any-child/>")) == INIT_START_ROUTE, "route");
	CHECK(compare(base, WITH("</route>", "</route><exit propagate=\"yes\"/>")) == INIT_START_OTHER,
	      "exit");
	CHECK(compare(base, WITH("quantum=\"1M\"/>", "quantum=\"1M\"/><resource name=\"CPU\" quantum=\"5\"/>"))
	      == INIT_START_OTHER, "CPU");
	CHECK(compare(base, WITH("v=\"1\"", "v=\"2\"")) == INIT_START_CONFIG, "config");
	CHECK(compare(base, WITH("quantum=\"1M\"", "quantum=\"2M\" constrain_phys=\"yes\""))
	      == INIT_START_RESTART, "constrain_phys");
	CHECK(compare(base, WITH("name=\"x\"", "name=\"y\"")) == INIT_START_RESTART, "binary");
	CHECK(compare(base, WITH("<start name=\"a\">", "<start name=\"a\" version=\"1\">"))
	      == INIT_START_RESTART, "version");
	CHECK(compare(base, WITH("<start name=\"a\">", "<start name=\"a\" priority=\"-1\">"))
	      == INIT_START_RESTART, "priority");
	CHECK(compare(base, WITH("<config v=\"1\"/>", "<config v=\"1\"/><configfile name=\"c\"/>"))
	      == INIT_START_RESTART, "configfile");
	CHECK(compare(base, WITH("<config v=\"1\"/>", "")) == INIT_START_RESTART, "config removed");
	CHECK(compare(base, WITH("<config v=\"1\"/>", "<affinity xpos=\"0\"/><config v=\"1\"/>"))
	      == INIT_START_RESTART, "affinity");
	CHECK(compare(base, WITH("<config v=\"1\"/>", "<provides><service name=\"S\"/></provides>"
	                         "<config v=\"1\"/>")) == INIT_START_RESTART, "provides");
	CHECK(compare(base, WITH("v=\"1\"/>", "v=\"2\"/><resource name=\"RAM\" quantum=\"3M\"/>"))
	      == (INIT_START_CONFIG | INIT_START_RAM), "config and RAM (last resource wins)");
#undef WITH
}

static void test_sizes(void)
{
	char buf[32];
	CHECK(strcmp(init_size_str(1u << 20, buf, sizeof buf), "1M") == 0, "1M");
	CHECK(strcmp(init_size_str(3u << 30, buf, sizeof buf), "3G") == 0, "3G");
	CHECK(strcmp(init_size_str(1536 * 1024, buf, sizeof buf), "1536K") == 0, "1536K");
	CHECK(strcmp(init_size_str(1000, buf, sizeof buf), "1000") == 0, "bytes");
	CHECK(strcmp(init_size_str(0, buf, sizeof buf), "0") == 0, "zero");
}

/*
 * The 10.02 worked example (init.md 8.2): init computes each child's place
 * in its own band (init_placement); core composes along the tree as pd.h
 * documents (child at B + p*W/65536, its band W/levels wide). The oracle
 * below is that documented formula, independent of core's code.
 */
struct band { unsigned long base, width; };

static struct band place(struct band parent, cairn_pd_sched s)
{
	unsigned long levels = s.prio_levels > 1 ? s.prio_levels : 1;
	struct band   b = { parent.base + ((unsigned long)s.priority * parent.width >> 16),
	                    parent.width / levels };
	return b;
}

static unsigned long kernel(unsigned long generic) { return init_kernel_priority(generic); }

static void test_worked_example(void)
{
	init_config *top  = parse("<config prio_levels=\"2\"><start name=\"init.1\" priority=\"0\"/>"
	                          "<start name=\"init.2\" priority=\"-1\"/></config>");
	init_config *i1   = parse("<config prio_levels=\"4\"><start name=\"init.11\" priority=\"-1\"/>"
	                          "<start name=\"init.12\" priority=\"-2\"/></config>");
	init_config *i12  = parse("<config><start name=\"init.121\"/></config>");

	CHECK(top && i1 && i12, "configs parse");
	if (top && i1 && i12) {
		struct band core = { 0, 65536 };
		struct band b1   = place(core, init_placement(top, &top->starts[0]));
		struct band b2   = place(core, init_placement(top, &top->starts[1]));
		struct band b11  = place(b1, init_placement(i1, &i1->starts[0]));
		struct band b12  = place(b1, init_placement(i1, &i1->starts[1]));
		struct band b121 = place(b12, init_placement(i12, &i12->starts[0]));

		CHECK(b1.base == 0 && kernel(b1.base) == 128, "init.1: %lu", kernel(b1.base));
		CHECK(b2.base == 32768 && kernel(b2.base) == 64, "init.2: %lu", kernel(b2.base));
		CHECK(b11.base == 8192 && kernel(b11.base) == 112, "init.11: %lu", kernel(b11.base));
		CHECK(b12.base == 16384 && kernel(b12.base) == 96, "init.12: %lu", kernel(b12.base));
		CHECK(b121.base == 16384 && kernel(b121.base) == 96, "init.121: %lu", kernel(b121.base));
		CHECK(b1.width == 32768 && b11.width == 8192, "band widths");
	}
	init_config_free(top);
	init_config_free(i1);
	init_config_free(i12);

	/* an invalid priority is clamped, the placement tells the affinity too */
	init_config *c = parse("<config prio_levels=\"4\"><affinity-space width=\"2\"/>"
	                       "<start name=\"a\" priority=\"-9\"><affinity xpos=\"1\"/></start></config>");
	CHECK(c, "parses");
	if (c) {
		cairn_pd_sched s = init_placement(c, &c->starts[0]);
		CHECK(s.priority == 3 * 16384 && s.prio_levels == 4, "clamped to -3");
		CHECK(s.space_w == 2 && s.space_h == 1 && s.xpos == 1 && s.width == 1 && s.height == 1,
		      "affinity words");
		init_config_free(c);
	}
}

int main(void)
{
	test_refusal();
	test_affinity();
	test_report_and_resources();
	test_compare();
	test_sizes();
	test_worked_example();

	CHECK(live_allocs == 0, "all config memory freed (%ld left)", live_allocs);
	printf("init_config: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
