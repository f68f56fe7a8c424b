/* init_routing.c - unit test of init's config parsing, routing (init.md 4.2) and priorities */
#include "../../src/init/config.c"
#include "../../src/init/route.c"
#include "../../src/init/prio.c"
#include "../../src/init/keep.c"

#include "init_harness.h"

/* ---- routing helpers ---- */

static bool all_present[64];

static init_route_result route_p(const init_config *c, const bool *present, const char *client,
                                 const char *service, const char *client_label)
{
	char              label[INIT_LABEL_MAX];
	init_route_result r;
	int idx = init_config_start_index(c, client);

	if (idx < 0) {
		printf("FAIL: no child %s\n", client);
		exit(1);
	}
	if (client_label && client_label[0])
		snprintf(label, sizeof label, "%s -> %s", client, client_label);
	else
		snprintf(label, sizeof label, "%s", client);
	init_route(c, present, (unsigned)idx, service, label, &r);
	return r;
}

static init_route_result route(const init_config *c, const char *client, const char *service,
                               const char *client_label)
{
	return route_p(c, all_present, client, service, client_label);
}

static bool to_child(const init_config *c, init_route_result r, const char *server)
{
	return r.kind == INIT_ROUTE_CHILD && strcmp(c->starts[r.server].name, server) == 0
	    && r.level == INIT_DIAG_NONE;
}

static bool to_parent(init_route_result r)
{
	return r.kind == INIT_ROUTE_PARENT && r.level == INIT_DIAG_NONE;
}

static bool denied(init_route_result r, init_diag_level level, const char *msg)
{
	return r.kind == INIT_ROUTE_DENIED && r.level == level && strcmp(r.msg, msg) == 0;
}

/* ---- the tests ---- */

static const char *routing_config =
	"<config>\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/>\n"
	"  </parent-provides>\n"
	"  <default-route>\n"
	"    <service name=\"Timer\"> <child name=\"timer\"/> </service>\n"
	"    <any-service> <parent/> <any-child/> </any-service>\n"
	"  </default-route>\n"
	"  <alias name=\"tim\" child=\"timer\"/>\n"
	"  <alias name=\"ghost\" child=\"nobody\"/>\n"
	"  <start name=\"timer\">\n"
	"    <resource name=\"RAM\" quantum=\"1M\"/>\n"
	"    <provides> <service name=\"Timer\"/> </provides>\n"
	"  </start>\n"
	"  <start name=\"fs1\"> <provides><service name=\"File_system\"/></provides> </start>\n"
	"  <start name=\"fs2\"> <provides><service name=\"File_system\"/></provides> </start>\n"
	"  <start name=\"nitlog\"> <provides><service name=\"LOG\"/><service name=\"Report\"/></provides> </start>\n"
	"  <start name=\"gui\"> <provides><service name=\"Nitpicker\"/><service name=\"ROM\"/></provides> </start>\n"
	"  <start name=\"app\">\n"
	"    <route>\n"
	"      <service name=\"LOG\" label=\"special\"> <child name=\"nitlog\"/> </service>\n"
	"      <service name=\"LOG\" label_prefix=\"pre\" label_suffix=\"suf\"> <child name=\"nitlog\"/> </service>\n"
	"      <service name=\"LOG\"> <parent/> </service>\n"
	"      <service name=\"ROM\" label=\"\"> <parent/> </service>\n"
	"      <service name=\"ROM\" label_suffix=\"ui\"> <child name=\"gui\"/> </service>\n"
	"      <service name=\"Report\"> <parent/> </service>\n"
	"      <service name=\"Block\"> <any-child/> </service>\n"
	"      <service name=\"Input\"> <child name=\"nobody\"/> </service>\n"
	"      <service name=\"Nic\"> <child name=\"gui\"/> </service>\n"
	"      <service name=\"Timer\"> <child name=\"tim\"/> </service>\n"
	"      <service name=\"Audio_out\"> <child name=\"ghost\"/> </service>\n"
	"      <service name=\"Nitpicker\"/>\n"
	"      <any-service label=\"try-gui\"> <child name=\"gui\"/> <parent/> </any-service>\n"
	"      <any-service label=\"ambiguous\"> <any-child/> <parent/> </any-service>\n"
	"      <any-service label=\"missing\"> <child name=\"nobody\"/> <parent/> </any-service>\n"
	"      <any-service> <any-child/> </any-service>\n"
	"      <any-service> <parent/> </any-service>\n"
	"      <service name=\"Gpu\"> <parent/> </service>\n"
	"    </route>\n"
	"  </start>\n"
	"  <start name=\"empty\"> <route/> </start>\n"
	"</config>\n";

static void test_routing(void)
{
	init_config *c = parse(routing_config);

	CHECK(c, "routing config parses: %s", diag_text);
	if (!c)
		return;
	/* routes and an alias to "nobody": warnings at start, denied at run time */
	CHECK(diag_max == INIT_DIAG_WARNING
	      && strstr(diag_text, "Warning: alias \"ghost\" refers to unknown child \"nobody\" at line 11, column 3\n")
	      && strstr(diag_text, "Warning: app: route to unknown child \"nobody\" at line 29, column 30\n"),
	      "dangling names are warnings: %s", diag_text);
	CHECK(c->num_starts == 7, "7 children, got %u", c->num_starts);
	CHECK(c->num_aliases == 2, "2 aliases");
	CHECK(c->starts[0].ram_quantum == 1024 * 1024, "quantum 1M");

	/* default route: first-match, explicit entry to a child */
	CHECK(to_child(c, route(c, "fs1", "Timer", ""), "timer"), "Timer via default route");
	CHECK(to_parent(route(c, "fs1", "LOG", "")), "LOG: parent first in <any-service>");
	CHECK(to_parent(route(c, "timer", "ROM", "x")), "ROM to parent");

	/* <any-service>: parent lacks it -> next target <any-child/> */
	CHECK(to_child(c, route(c, "fs1", "Nitpicker", ""), "gui"), "any-service falls to any-child");

	/* <any-child/> with two providers: ambiguity error naming both, even in <any-service> */
	CHECK(denied(route(c, "gui", "File_system", ""), INIT_DIAG_ERROR,
	             "gui: ambiguous routes to service \"File_system\" (provided by \"fs1\", \"fs2\")"),
	      "ambiguous any-child: %s", route(c, "gui", "File_system", "").msg);

	/* ambiguity resolved when one provider is absent */
	bool present[64];
	memcpy(present, all_present, sizeof present);
	present[init_config_start_index(c, "fs2")] = false;
	CHECK(to_child(c, route_p(c, present, "gui", "File_system", ""), "fs1"),
	      "single present provider");

	/* all targets of the only <any-service> fail -> no route */
	init_route_result r = route(c, "fs1", "Block", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "fs1: no route to service \"Block\""), "no route: %s", r.msg);

	/* own <route> replaces the default route; labels are scoped */
	CHECK(to_child(c, route(c, "app", "LOG", "special"), "nitlog"), "label= match");
	CHECK(to_parent(route(c, "app", "LOG", "special2")), "label= mismatch falls to parent");
	CHECK(to_child(c, route(c, "app", "LOG", "pre-x-suf"), "nitlog"), "prefix+suffix");
	CHECK(to_parent(route(c, "app", "LOG", "pre-x")), "suffix missing: no match");
	CHECK(to_parent(route(c, "app", "LOG", "x-suf")), "prefix missing: no match");
	CHECK(to_parent(route(c, "app", "LOG", "")), "unlabeled");
	CHECK(to_parent(route(c, "app", "ROM", "")), "label=\"\" matches the unlabeled request");
	CHECK(to_child(c, route(c, "app", "ROM", "x -> ui"), "gui"), "suffix on nested label");
	CHECK(to_child(c, route(c, "app", "ROM", "ui"), "gui"), "suffix equals label");

	/* label attributes see the scoped label, never the child's name */
	{
		char label[INIT_LABEL_MAX] = "app -> special";
		init_route(c, all_present, (unsigned)init_config_start_index(c, "app"), "LOG", label, &r);
		CHECK(to_child(c, r, "nitlog"), "scoped label");
		CHECK(strcmp(init_scoped_label("app", "app -> a -> b"), "a -> b") == 0, "scoped nested");
		CHECK(strcmp(init_scoped_label("app", "app"), "") == 0, "scoped empty");
	}

	/* explicit <service> to parent that lacks it: warning, deny, no fall-through */
	r = route(c, "app", "Report", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: service lookup for \"Report\" at parent failed"),
	      "parent lookup failed: %s", r.msg);

	/* explicit <service> with <any-child/> finding none */
	r = route(c, "app", "Block", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: lookup for service \"Block\" failed"),
	      "any-child none: %s", r.msg);

	/* non-existing server, directly and through an alias */
	r = route(c, "app", "Input", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: invalid route to non-existing server \"nobody\""),
	      "non-existing: %s", r.msg);
	r = route(c, "app", "Audio_out", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: invalid route to non-existing server \"nobody\""),
	      "alias to non-existing: %s", r.msg);

	/* server exists but lacks the service */
	r = route(c, "app", "Nic", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: lookup to child service \"Nic\" failed"),
	      "child lacks service: %s", r.msg);

	/* alias */
	CHECK(to_child(c, route(c, "app", "Timer", ""), "timer"), "alias resolves");

	/* absent server (binary missing): non-existing */
	memcpy(present, all_present, sizeof present);
	present[init_config_start_index(c, "timer")] = false;
	r = route_p(c, present, "app", "Timer", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: invalid route to non-existing server \"timer\""),
	      "absent server: %s", r.msg);

	/* <service> entry without targets denies */
	r = route(c, "app", "Nitpicker", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: no route to service \"Nitpicker\""),
	      "targetless entry: %s", r.msg);

	/* <any-service>: child lacks service -> next target (parent) */
	CHECK(to_parent(route(c, "app", "CPU", "try-gui")), "any-service child->parent");

	/* ambiguity inside <any-service> denies instead of falling through */
	r = route(c, "app", "File_system", "ambiguous");
	CHECK(denied(r, INIT_DIAG_ERROR,
	             "app: ambiguous routes to service \"File_system\" (provided by \"fs1\", \"fs2\")"),
	      "ambiguous in any-service: %s", r.msg);

	/* a non-existing server denies even inside <any-service> (16.08) */
	r = route(c, "app", "CPU", "missing");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: invalid route to non-existing server \"nobody\""),
	      "non-existing in any-service: %s", r.msg);

	/* all targets of <any-service> fail -> next entry */
	CHECK(to_parent(route(c, "app", "PD", "")), "any-child none -> next any-service -> parent");

	/* failing <any-service> entries fall through to a later explicit entry */
	r = route(c, "app", "Gpu", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "app: service lookup for \"Gpu\" at parent failed"),
	      "Gpu: %s", r.msg);

	/* empty own route table: nothing */
	r = route(c, "empty", "LOG", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "empty: no route to service \"LOG\""), "empty: %s", r.msg);

	init_config_free(c);
}

static void test_no_default_route(void)
{
	init_config *c = parse("<config><parent-provides><service name=\"LOG\"/></parent-provides>"
	                       "<start name=\"a\"/></config>");
	CHECK(c, "parses");
	if (!c)
		return;
	init_route_result r = route(c, "a", "LOG", "");
	CHECK(denied(r, INIT_DIAG_WARNING, "a: no route to service \"LOG\""), "no table: %s", r.msg);
	init_config_free(c);
}

static void test_request_label(void)
{
	init_config *c = parse(
		"<config>"
		"<start name=\"plain\"/>"
		"<start name=\"inline\"><config><x/></config></start>"
		"<start name=\"file\"><configfile name=\"config.dynamic\"/><config/></start>"
		"</config>");
	char label[INIT_LABEL_MAX];

	CHECK(c, "parses");
	if (!c)
		return;
	const init_start *plain = &c->starts[0], *in = &c->starts[1], *file = &c->starts[2];

	CHECK(init_request_label(plain, "LOG", "ram_quota=8K", label) == INIT_REQ_ROUTE
	      && strcmp(label, "plain") == 0, "empty label -> name: %s", label);
	CHECK(init_request_label(plain, "LOG", "ram_quota=8K, label=\"\"", label) == INIT_REQ_ROUTE
	      && strcmp(label, "plain") == 0, "empty quoted label");
	CHECK(init_request_label(plain, "LOG", "label=\"x -> y\"", label) == INIT_REQ_ROUTE
	      && strcmp(label, "plain -> x -> y") == 0, "prefixed: %s", label);
	CHECK(init_request_label(plain, "ROM", "label=\"config\"", label) == INIT_REQ_NO_CONFIG,
	      "no config");
	CHECK(init_request_label(in, "ROM", "label=\"config\"", label) == INIT_REQ_CONFIG,
	      "inline config");
	CHECK(init_request_label(in, "ROM", "label=\"a -> config\"", label) == INIT_REQ_CONFIG,
	      "last element config");
	CHECK(init_request_label(in, "LOG", "label=\"config\"", label) == INIT_REQ_ROUTE,
	      "only ROM is local");
	CHECK(init_request_label(in, "ROM", "label=\"binary\"", label) == INIT_REQ_BINARY, "binary");
	CHECK(init_request_label(in, "ROM", "label=\"configx\"", label) == INIT_REQ_ROUTE,
	      "configx is routed");
	CHECK(init_request_label(file, "ROM", "label=\"config\"", label) == INIT_REQ_ROUTE
	      && strcmp(label, "file -> config.dynamic") == 0, "configfile rewrite: %s", label);

	char longer[200];
	memset(longer, 'x', sizeof longer);
	snprintf(longer, sizeof longer, "label=\"%.*s\"", 157, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	CHECK(init_request_label(plain, "LOG", longer, label) == INIT_REQ_BAD_LABEL, "label too long");

	init_config_free(c);
}

static void test_config_errors(void)
{
	init_config *c;

	/* nameless start node: the config is refused (the brief of issue 6; 17.05 skips it) */
	c = parse("<config><start><binary name=\"x\"/></start><start name=\"b\"/></config>");
	CHECK(!c, "nameless refused");
	CHECK(strstr(diag_text, "Error: missing 'name' attribute in '<start>' entry at line 1, column 9\n")
	      && strstr(diag_text, "Error: config rejected\n"), "nameless: %s", diag_text);

	/* duplicate names: error, whole config refused */
	c = parse("<config><start name=\"a\"/><start name=\"a\"/></config>");
	CHECK(!c, "duplicate refused");
	CHECK(strstr(diag_text, "Error: child name \"a\" is not unique at line 1, column 26\n"),
	      "dup: %s", diag_text);

	/* child named like an alias */
	c = parse("<config><alias name=\"a\" child=\"b\"/><start name=\"b\"/><start name=\"a\"/></config>");
	CHECK(!c && strstr(diag_text, "Error: child name \"a\" is not unique at line 1, column 53\n"),
	      "alias clash: %s", diag_text);

	/* duplicate alias */
	c = parse("<config><alias name=\"a\" child=\"b\"/><alias name=\"a\" child=\"b\"/>"
	          "<start name=\"b\"/></config>");
	CHECK(!c && strstr(diag_text, "Error: alias name a is not unique at line 1, column 36\n"),
	      "alias dup: %s", diag_text);

	/* incomplete aliases */
	c = parse("<config><alias child=\"b\"/><alias name=\"x\"/><start name=\"b\"/></config>");
	CHECK(c && c->num_aliases == 0, "incomplete aliases skipped");
	CHECK(strstr(diag_text, "Warning: missing 'name' attribute in '<alias>' entry\n")
	      && strstr(diag_text, "Warning: missing 'child' attribute in '<alias>' entry\n"),
	      "alias warnings: %s", diag_text);
	init_config_free(c);

	/* unparseable: what and where */
	c = parse("<config>\n  <start name=\"a\">\n  </stat>\n</config>\n");
	CHECK(!c, "syntax error refused");
	CHECK(strstr(diag_text, "Error: config has invalid syntax:") && strstr(diag_text, "line 3"),
	      "syntax error names the place: %s", diag_text);
	CHECK(strstr(diag_text, "Error: no children to start\n"), "16.08 line: %s", diag_text);

	c = parse("no xml at all");
	CHECK(!c && strstr(diag_text, "invalid syntax"), "no node: %s", diag_text);

	/* prio_levels not a power of two */
	c = parse("<config prio_levels=\"3\"/>");
	CHECK(c && c->prio_levels == 0, "prio levels disabled");
	CHECK(strstr(diag_text, "Warning: prio levels is not power of two, priorities are disabled\n"),
	      "prio warning: %s", diag_text);
	init_config_free(c);
}

static void test_start_nodes(void)
{
	init_config *c = parse(
		"<config verbose=\"yes\" prio_levels=\"4\">"
		"<start name=\"a\" priority=\"-2\">"
		"  <binary name=\"dummy\"/>"
		"  <resource name=\"CPU\" quantum=\"10\"/>"
		"  <resource name=\"RAM\" quantum=\"16M\" constrain_phys=\"yes\"/>"
		"  <config verbose=\"yes\"><x a=\"1\"/></config>"
		"  <exit propagate=\"yes\"/>"
		"</start>"
		"<start name=\"b\"><resource name=\"RAM\" quantum=\"512K\"/></start>"
		"<start name=\"c\"><resource name=\"RAM\" quantum=\"0x1000\"/></start>"
		"<start name=\"d\"><resource name=\"RAM\" quantum=\"2G\"/><exit propagate=\"no\"/></start>"
		"<start name=\"e\"><resource name=\"RAM\"/></start>"
		"</config>");

	CHECK(c, "parses");
	if (!c)
		return;
	const init_start *a = &c->starts[0];
	CHECK(c->verbose && c->prio_levels == 4, "top-level attributes");
	CHECK(strcmp(a->binary, "dummy") == 0 && strcmp(c->starts[1].binary, "b") == 0, "binary");
	CHECK(a->ram_quantum == 16u << 20 && a->constrain_phys, "RAM 16M");
	CHECK(c->starts[1].ram_quantum == 512u << 10, "512K");
	CHECK(c->starts[2].ram_quantum == 0x1000, "hex");
	CHECK(c->starts[3].ram_quantum == (size_t)2 << 30, "2G");
	CHECK(c->starts[4].ram_quantum == 0, "missing quantum");
	CHECK(a->priority == -2, "priority");
	CHECK(a->exit_propagate && !c->starts[3].exit_propagate, "exit propagate");
	CHECK(a->config && a->config_len == strlen("<config verbose=\"yes\"><x a=\"1\"/></config>")
	      && memcmp(a->config, "<config verbose=\"yes\"><x a=\"1\"/></config>", a->config_len) == 0,
	      "whole config node");
	CHECK(!c->starts[1].config, "no config");
	CHECK(a->node_len > 0 && memcmp(a->node, "<start name=\"a\"", 15) == 0, "node text");

	/* comparison of start nodes across two parses */
	init_config *c2 = parse(
		"<config>  <start name=\"b\"><resource name=\"RAM\" quantum=\"512K\"/></start>"
		"<start name=\"c\"><resource name=\"RAM\" quantum=\"0x2000\"/></start></config>");
	CHECK(c2, "second parses");
	if (c2) {
		CHECK(c2->starts[0].node_len == c->starts[1].node_len
		      && memcmp(c2->starts[0].node, c->starts[1].node, c->starts[1].node_len) == 0,
		      "same node");
		CHECK(c2->starts[1].node_len != c->starts[2].node_len
		      || memcmp(c2->starts[1].node, c->starts[2].node, c->starts[2].node_len) != 0,
		      "changed node");
		init_config_free(c2);
	}
	init_config_free(c);
}

static void test_priorities(void)
{
	bool inv, lost;

	CHECK(init_prio_band(4, -2, &inv) == 2 && !inv, "band 2");
	CHECK(init_prio_band(4, -5, &inv) == 3 && inv, "clamped to -3");
	CHECK(init_prio_band(4, 1, &inv) == 0 && inv, "positive invalid");
	CHECK(init_prio_band(0, -1, &inv) == 0 && inv, "no levels");
	CHECK(init_prio_band(0, 0, &inv) == 0 && !inv, "no levels, 0");

	/* worked example of init.md 8.2 (core's composition: test/unit/init_config.c) */
	CHECK(init_prio_apply(4, 2, 0, &lost) == 32768 && !lost, "init.12 env");
	CHECK(init_prio_apply(2, 0, 32768, &lost) == 16384 && !lost, "init.121 at top");
	CHECK(init_prio_apply(4, 1, 0, &lost) == 16384, "init.11 at init.1");
	CHECK(init_prio_apply(2, 0, 16384, &lost) == 8192, "init.11 at top");
	CHECK(init_prio_apply(2, 1, 0, &lost) == 32768, "init.2");
	CHECK(init_prio_apply(2, 0, 3, &lost) == 1 && lost, "lost bits");
	CHECK(init_prio_apply(1, 0, 77, &lost) == 77 && !lost, "pass-through");
}

/* ---- reconfiguration: which children survive (keep.c) ---- */

static const char *keep_old =
	"<config>"
	" <parent-provides><service name=\"LOG\"/><service name=\"ROM\"/></parent-provides>"
	" <default-route><any-service><parent/><any-child/></any-service></default-route>"
	" <start name=\"timer\"><provides><service name=\"Timer\"/></provides></start>"
	" <start name=\"app\"><resource name=\"RAM\" quantum=\"1M\"/></start>"
	" <start name=\"app2\"/>"
	" <start name=\"crashed\"/>"
	" <start name=\"exited\"/>"
	" <start name=\"changed\"><config a=\"1\"/></start>"
	" <start name=\"removed\"/>"
	" <start name=\"s1\"><provides><service name=\"A\"/></provides></start>"
	" <start name=\"s2\"><provides><service name=\"B\"/></provides></start>"
	" <start name=\"c\"/>"
	"</config>";

enum { KEEP_CHILDREN = 10, KEEP_SESSIONS = 8 };

static init_child   kc[KEEP_CHILDREN];
static init_session ks[KEEP_SESSIONS];
static unsigned     num_ks;

static init_child *kchild(const char *name)
{
	for (unsigned i = 0; i < KEEP_CHILDREN; i++)
		if (strcmp(kc[i].name, name) == 0)
			return &kc[i];
	printf("FAIL: no child %s\n", name);
	exit(1);
}

static void ksession(const char *client, init_session_kind kind, const char *service,
                     const char *server)
{
	init_session *s = &ks[num_ks++];
	init_child   *c = kchild(client);

	s->kind   = kind;
	s->client = c;
	s->server = server ? kchild(server) : NULL;
	snprintf(s->service, sizeof s->service, "%s", service);
	snprintf(s->args, sizeof s->args, "ram_quota=8K");
	/* as forwarded: the label init prefixed (no target rewrites in these configs) */
	snprintf(s->fwd, sizeof s->fwd, "ram_quota=8K, label=\"%s\"", client);
	s->next = c->sessions;
	c->sessions = s;
}

/* children of the old config with the sessions they hold */
static void keep_setup(const init_config *old)
{
	memset(kc, 0, sizeof kc);
	memset(ks, 0, sizeof ks);
	num_ks = 0;
	for (unsigned i = 0; i < KEEP_CHILDREN; i++) {
		kc[i].start = &old->starts[i];
		kc[i].sched = init_placement(old, &old->starts[i]);
		kc[i].idx   = i;
		snprintf(kc[i].name, sizeof kc[i].name, "%s", old->starts[i].name);
		kc[i].next  = i + 1 < KEEP_CHILDREN ? &kc[i + 1] : NULL;
	}
	kchild("crashed")->gone = true;
	kchild("exited")->gone  = true;
	kchild("exited")->exit_called = true;

	ksession("app", INIT_SESSION_CHILD, "Timer", "timer");
	ksession("app", INIT_SESSION_PARENT, "LOG", NULL);
	ksession("app2", INIT_SESSION_PARENT, "LOG", NULL);
	ksession("changed", INIT_SESSION_LOCAL, "ROM", NULL);
	ksession("s2", INIT_SESSION_CHILD, "A", "s1");
	ksession("c", INIT_SESSION_CHILD, "B", "s2");
}

/* the names of the kept children, space separated */
static const char *kept(const char *new_xml)
{
	static char names[256];
	init_config *nc = parse_update(new_xml);

	names[0] = 0;
	if (!nc)
		return "(parse error)";
	init_select_kept(&kc[0], nc, all_present);
	for (unsigned i = 0; i < KEEP_CHILDREN; i++) {
		if (!kc[i].keep)
			continue;
		if (strcmp(nc->starts[kc[i].new_idx].name, kc[i].name) != 0)
			return "(wrong new_idx)";
		snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
		         names[0] ? " " : "", kc[i].name);
	}
	init_config_free(nc);
	return names;
}

static char *replace(const char *text, const char *from, const char *to)
{
	static char bufs[2][4096];
	static int  which;
	char       *buf = bufs[which ^= 1];  /* nested calls read the other one */
	const char *at  = strstr(text, from);

	if (!at) {
		printf("FAIL: '%s' not in config\n", from);
		exit(1);
	}
	snprintf(buf, sizeof bufs[0], "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return buf;
}

static void test_keep(void)
{
	init_config *old = parse(keep_old);
	const char  *k;

	CHECK(old && old->num_starts == KEEP_CHILDREN, "keep config parses: %s", diag_text);
	if (!old)
		return;

	keep_setup(old);
	k = kept(keep_old);
	CHECK(strcmp(k, "timer app app2 exited changed removed s1 s2 c") == 0,
	      "same config: all but the crashed one kept: %s", k);

	/* a changed server restarts its client, not the others */
	keep_setup(old);
	k = kept(replace(keep_old, "<start name=\"timer\">", "<start name=\"timer\" priority=\"0\">"));
	CHECK(strcmp(k, "app2 exited changed removed s1 s2 c") == 0, "timer changed: %s", k);

	/* a changed <config> keeps the child: it gets a config-ROM update (17.02) */
	keep_setup(old);
	k = kept(replace(keep_old, "<config a=\"1\"/>", "<config a=\"2\"/>"));
	CHECK(strcmp(k, "timer app app2 exited changed removed s1 s2 c") == 0, "config changed: %s", k);
	CHECK(kchild("changed")->diff == INIT_START_CONFIG, "diff: config only (%u)",
	      kchild("changed")->diff);

	/* a new RAM quantum keeps the child (upgrade or yield) */
	keep_setup(old);
	k = kept(replace(keep_old, "quantum=\"1M\"", "quantum=\"2M\" limit=\"4M\""));
	CHECK(strcmp(k, "timer app app2 exited changed removed s1 s2 c") == 0, "RAM changed: %s", k);
	CHECK(kchild("app")->diff == INIT_START_RAM, "diff: RAM only (%u)", kchild("app")->diff);

	/* a changed binary, and a new prio_levels, restart */
	keep_setup(old);
	k = kept(replace(keep_old, "<start name=\"app2\"/>",
	                 "<start name=\"app2\"><binary name=\"x\"/></start>"));
	CHECK(strcmp(k, "timer app exited changed removed s1 s2 c") == 0, "binary changed: %s", k);
	keep_setup(old);
	k = kept(replace(replace(keep_old, "<config>", "<config prio_levels=\"2\">"),
	                 "<start name=\"app2\"/>", "<start name=\"app2\" priority=\"-1\"/>"));
	CHECK(strcmp(k, "") == 0, "new prio_levels: every band changes: %s", k);
	keep_setup(old);
	k = kept(replace(keep_old, "<config>",
	                 "<config><affinity-space width=\"2\"/>"));
	CHECK(strcmp(k, "") == 0, "new affinity space moves everybody: %s", k);

	/* a removed <start> node */
	keep_setup(old);
	k = kept(replace(keep_old, " <start name=\"removed\"/>", ""));
	CHECK(strcmp(k, "timer app app2 exited changed s1 s2 c") == 0, "removed: %s", k);

	/* avalanche: s1 -> s2 -> c */
	keep_setup(old);
	k = kept(replace(keep_old, "<start name=\"s1\">", "<start name=\"s1\" x=\"\">"));
	CHECK(strcmp(k, "timer app app2 exited changed removed") == 0, "avalanche: %s", k);

	/* new default route: LOG now goes to a new child - the LOG clients restart */
	keep_setup(old);
	k = kept(replace(replace(keep_old,
	                         "<any-service><parent/><any-child/></any-service>",
	                         "<service name=\"LOG\"><child name=\"logger\"/></service>"
	                         "<any-service><parent/><any-child/></any-service>"),
	                 "<start name=\"c\"/>",
	                 "<start name=\"c\"/><start name=\"logger\"><provides>"
	                 "<service name=\"LOG\"/></provides></start>"));
	CHECK(strcmp(k, "timer exited changed removed s1 s2 c") == 0, "LOG rerouted: %s", k);

	/* a route that is denied now restarts the client */
	keep_setup(old);
	k = kept(replace(keep_old, "<service name=\"LOG\"/><service name=\"ROM\"/>",
	                 "<service name=\"ROM\"/>"));
	CHECK(strcmp(k, "timer exited changed removed s1 s2 c") == 0, "LOG gone: %s", k);

	/* moved in document order: still kept, with the new index */
	keep_setup(old);
	k = kept(replace(replace(keep_old, " <start name=\"app2\"/>", ""),
	                 "<start name=\"c\"/>", "<start name=\"c\"/> <start name=\"app2\"/>"));
	CHECK(strcmp(k, "timer app app2 exited changed removed s1 s2 c") == 0, "moved: %s", k);

	/* an alias takes over the name of a server: its client restarts */
	keep_setup(old);
	k = kept(replace(replace(keep_old, "<start name=\"timer\"><provides><service name=\"Timer\"/></provides></start>",
	                         "<start name=\"timer2\"><provides><service name=\"Timer\"/></provides></start>"),
	                 "<default-route>", "<alias name=\"timer\" child=\"timer2\"/><default-route>"));
	CHECK(strcmp(k, "app2 exited changed removed s1 s2 c") == 0, "alias: %s", k);

	init_config_free(old);
}

/* a target's label="L" (17.02): the server sees exactly L */
static void test_label_rewrite(void)
{
	init_config *c = parse(
		"<config>"
		" <parent-provides> <service name=\"LOG\"/> <service name=\"ROM\"/> </parent-provides>"
		" <start name=\"logger\"> <provides> <service name=\"LOG\"/> </provides> </start>"
		" <start name=\"app\">"
		"  <route>"
		"   <service name=\"LOG\" label=\"diag\"> <child name=\"logger\" label=\"fixed\"/> </service>"
		"   <service name=\"LOG\"> <child name=\"logger\"/> </service>"
		"   <service name=\"ROM\"> <parent label=\"renamed\"/> </service>"
		"  </route>"
		" </start>"
		"</config>");
	CHECK(c != NULL, "label-rewrite config parses: %s", diag_text);
	if (!c)
		return;
	init_route_result r = route(c, "app", "LOG", "diag");
	CHECK(to_child(c, r, "logger") && r.label && strcmp(r.label, "fixed") == 0,
	      "child target with label: server sees \"fixed\"");
	r = route(c, "app", "LOG", "other");
	CHECK(to_child(c, r, "logger") && r.label == NULL, "target without label: the client's label");
	r = route(c, "app", "ROM", "x");
	CHECK(to_parent(r) && r.label && strcmp(r.label, "renamed") == 0,
	      "parent target with label: parent sees \"renamed\"");
	init_config_free(c);
}

int main(void)
{
	for (unsigned i = 0; i < sizeof all_present / sizeof *all_present; i++)
		all_present[i] = true;

	test_routing();
	test_no_default_route();
	test_request_label();
	test_config_errors();
	test_start_nodes();
	test_priorities();
	test_keep();
	test_label_rewrite();

	CHECK(live_allocs == 0, "all config memory freed (%ld left)", live_allocs);

	printf("init_routing: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
