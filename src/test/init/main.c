/* main.c - test-init: drives a sibling init through configs and checks its state report and log */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <rom/config.h>
#include <session/log/log.h>
#include <session/report/report.h>
#include <session/timer/timer.h>
#include <util/xml.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The scenario (run/init_test.run): test-init and an init instance are
 * siblings. test-init submits each config of the instance as its report
 * "init.config" (report_rom serves it as the instance's config ROM); the
 * instance's state report comes back through report_rom as the ROM
 * "init_state". test-init also provides the LOG service that the instance
 * and its children write to, so it sees their lines (and logs them
 * itself, for the run script).
 *
 * Config: the steps, executed in document order; a step that waits
 * (for a log line, a state, or time) lets the scenario run meanwhile.
 *
 *   <init_config [attrs]> ... </init_config>
 *       submit <config [attrs] version="<n>"> ... </config>, n counting
 *       the submitted configs (unless the step sets version itself);
 *       log lines seen so far are no longer considered
 *   <expect_log string="[init -> a] text"/> | <expect_log contains="..."/>
 *       wait for such a line (LOG label and text, colour sequences
 *       removed), and consume it; entities (&quot; &lt; &gt; &apos;
 *       &amp;) in the value are decoded
 *   <expect_no_log contains="..."/>
 *       no line since the last config contains it (does not wait)
 *   <expect_state [attrs]> pattern nodes </expect_state>
 *       wait for a state report matching (below)
 *   <save [child="name"] [sub="type"] attr="a" as="var"/>
 *       remember an attribute of the current report (of the <child>, of
 *       its or the root's sub node `sub`)
 *   <sleep ms="n"/>, <message string="..."/>
 *   timeout_ms="n" on waiting steps (default 10000)
 *
 * A pattern node matches a report node of the same type whose attributes
 * match every attribute of the pattern and that has, for every sub node
 * of the pattern, a matching sub node; <not> p... </not> inside a
 * pattern: no sub node matches any p. Attribute values: `text` (equal),
 * `-` (absent), `*` (present), `$var` (equal to a saved value), `!v`
 * (not equal to v or $var), `>=v`, `<=v`, `>v`, `<v` (numbers with K/M/G
 * suffixes; write &lt; and &gt; in XML). Pattern attributes
 * `_contains`/`_lacks` test the node's content text.
 *
 * Result: `test-init: all <n> steps passed` and exit 0, or
 * `Error: step <n> (<type>) failed: ...` with the last report, exit 1.
 */

enum {
	MAX_LINES   = 4096,
	LINE_MAX    = 512,
	MAX_VARS    = 64,
	CONFIG_MAX  = 16384,
	DEFAULT_TIMEOUT_MS = 10000,
};

struct line {
	char text[LINE_MAX];
	bool consumed;
};

struct var {
	char name[32];
	char value[64];
};

static struct {
	cairn_env           *env;
	cairn_config         config;
	cairn_watched_rom    state;
	cairn_reporter       reporter;
	cairn_timer          timer;
	cairn_signal_handler timeout;
	cairn_root           log_root;

	struct xml_node      steps;        /* the config node */
	struct xml_node      step;         /* the current one */
	bool                 have_step;
	unsigned             step_no;
	bool                 waiting;      /* current step waits */
	uint64_t             deadline_ms;
	unsigned             configs;      /* submitted so far */
	bool                 in_advance;

	struct line         *lines;
	unsigned             num_lines;
	unsigned             mark;         /* first line of the current config */

	struct var           vars[MAX_VARS];
	unsigned             num_vars;
	char                 why[512];     /* reason of the last mismatch */
} t;

/* ------------------------------------------------------------ helpers */

static const char *step_type(char *buf, size_t len)
{
	str_copy(buf, len, xml_type(&t.step));
	return buf;
}

static void dump_state(void)
{
	if (!cairn_watched_rom_valid(&t.state)) {
		cairn_log("(no state report)");
		return;
	}
	cairn_log("last state report:\n%.*s", (int)cairn_watched_rom_len(&t.state), t.state.data);
}

static _Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void fail(const char *fmt, ...)
{
	char    msg[600], type[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cairn_error("step %u (%s) failed: %s", t.step_no, step_type(type, sizeof type), msg);
	dump_state();
	cairn_env_exit(t.env, 1);
}

static const char *var_get(const char *name)
{
	for (unsigned i = 0; i < t.num_vars; i++)
		if (strcmp(t.vars[i].name, name) == 0)
			return t.vars[i].value;
	return NULL;
}

static void var_set(const char *name, struct str value)
{
	struct var *v = NULL;
	for (unsigned i = 0; i < t.num_vars && !v; i++)
		if (strcmp(t.vars[i].name, name) == 0)
			v = &t.vars[i];
	if (!v) {
		if (t.num_vars == MAX_VARS)
			fail("too many variables");
		v = &t.vars[t.num_vars++];
		snprintf(v->name, sizeof v->name, "%s", name);
	}
	str_copy(v->value, sizeof v->value, value);
}

static uint64_t now_ms(void) { return cairn_timer_elapsed_ms(&t.timer); }

static unsigned long timeout_of(const struct xml_node *n)
{
	return xml_attr_ulong(n, "timeout_ms", DEFAULT_TIMEOUT_MS);
}

/* `raw` with the entities &quot; &lt; &gt; &apos; &amp; decoded */
static void decode(struct str raw, char *dst, size_t len)
{
	static const struct { const char *entity; char c; } map[] = {
		{ "&quot;", '"' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&apos;", '\'' }, { "&amp;", '&' } };
	size_t at = 0;

	for (size_t i = 0; i < raw.len && at + 1 < len;) {
		bool done = false;
		for (unsigned j = 0; j < sizeof map / sizeof map[0] && !done; j++) {
			size_t l = strlen(map[j].entity);
			if (raw.len - i >= l && strncmp(raw.ptr + i, map[j].entity, l) == 0) {
				dst[at++] = map[j].c;
				i += l;
				done = true;
			}
		}
		if (!done)
			dst[at++] = raw.ptr[i++];
	}
	dst[at] = '\0';
}

static void attr_decoded(const struct xml_node *n, const char *name, char *dst, size_t len)
{
	struct xml_attr a;
	if (xml_attribute(n, name, &a))
		decode(a.value, dst, len);
	else
		dst[0] = '\0';
}

/* ------------------------------------------------------------ patterns */

/* does value `got` (present or not) satisfy the pattern value `want`? */
static bool value_matches(const char *want, bool present, struct str got)
{
	if (strcmp(want, "-") == 0)
		return !present;
	if (!present)
		return false;
	if (strcmp(want, "*") == 0)
		return true;

	bool negate = want[0] == '!';
	if (negate)
		want++;

	const char *op = "";
	if (!strncmp(want, ">=", 2) || !strncmp(want, "<=", 2)) {
		op = want[0] == '>' ? ">=" : "<=";
		want += 2;
	} else if (want[0] == '>' || want[0] == '<') {
		op = want[0] == '>' ? ">" : "<";
		want++;
	}
	if (want[0] == '$') {
		const char *v = var_get(want + 1);
		if (!v)
			fail("variable %s not saved", want + 1);
		want = v;
	}
	bool r;
	if (op[0]) {
		size_t a = xml_value_size(got, 0), b = xml_value_size(str_z(want), 0);
		r = !strcmp(op, ">=") ? a >= b : !strcmp(op, "<=") ? a <= b
		  : !strcmp(op, ">")  ? a > b  : a < b;
	} else {
		r = str_eq(got, str_z(want));
	}
	return negate ? !r : r;
}

static bool content_has(const struct xml_node *n, const char *what)
{
	char text[CAIRN_ARGS_MAX * 2];
	xml_decoded_content(n, text, sizeof text);
	return strstr(text, what) != NULL;
}

static bool node_matches(const struct xml_node *pat, const struct xml_node *node);

/* some sub node of `node` matches `pat` */
static bool some_sub_matches(const struct xml_node *pat, const struct xml_node *node)
{
	struct xml_iter it;
	struct xml_node sub;

	xml_iter_init(&it, node, NULL);
	while (xml_iter_next(&it, &sub))
		if (node_matches(pat, &sub))
			return true;
	return false;
}

static bool attrs_and_subs_match(const struct xml_node *pat, const struct xml_node *node)
{
	struct xml_attr a, got;
	char            name[64], want[128];

	for (unsigned i = 0; xml_attribute_at(pat, i, &a); i++) {
		str_copy(name, sizeof name, a.name);
		decode(a.value, want, sizeof want);
		if (!strcmp(name, "timeout_ms"))
			continue;  /* of the step, not of the pattern */
		if (!strcmp(name, "_contains") || !strcmp(name, "_lacks")) {
			if (content_has(node, want) != !strcmp(name, "_contains"))
				return false;
			continue;
		}
		bool present = xml_attribute(node, name, &got);
		if (!value_matches(want, present, present ? got.value : (struct str){ "", 0 }))
			return false;
	}

	struct xml_iter it;
	struct xml_node sub;
	xml_iter_init(&it, pat, NULL);
	while (xml_iter_next(&it, &sub)) {
		if (xml_has_type(&sub, "not")) {
			struct xml_iter nit;
			struct xml_node neg;
			xml_iter_init(&nit, &sub, NULL);
			while (xml_iter_next(&nit, &neg))
				if (some_sub_matches(&neg, node))
					return false;
		} else if (!some_sub_matches(&sub, node)) {
			return false;
		}
	}
	return true;
}

static bool node_matches(const struct xml_node *pat, const struct xml_node *node)
{
	struct str type = xml_type(pat);
	if (type.len != node->type_len || memcmp(type.ptr, node->addr + 1, type.len) != 0)
		return false;
	return attrs_and_subs_match(pat, node);
}

static bool current_state(struct xml_node *out)
{
	return cairn_watched_rom_valid(&t.state) && cairn_watched_rom_xml(&t.state, out);
}

/* ------------------------------------------------------------ steps */

static void submit_config(const struct xml_node *n)
{
	static char     buf[CONFIG_MAX];
	struct xml_attr a;
	size_t          len = 0;
	char            name[64];

	t.configs++;
	len += (size_t)snprintf(buf + len, sizeof buf - len, "<config");
	bool has_version = false;
	for (unsigned i = 0; xml_attribute_at(n, i, &a); i++) {
		str_copy(name, sizeof name, a.name);
		has_version |= !strcmp(name, "version");
		len += (size_t)snprintf(buf + len, sizeof buf - len, " %s=\"%.*s\"", name,
		                        (int)a.value.len, a.value.ptr);
	}
	if (!has_version)
		len += (size_t)snprintf(buf + len, sizeof buf - len, " version=\"%u\"", t.configs);
	struct str content = xml_content(n);
	len += (size_t)snprintf(buf + len, sizeof buf - len, ">%.*s</config>",
	                        (int)content.len, content.ptr);
	if (len >= sizeof buf)
		fail("config too large");

	t.mark = t.num_lines;
	int r = cairn_reporter_submit(&t.reporter, buf, len);
	if (r != CAIRN_OK)
		fail("submitting the config: %s", cairn_err_str(r));
	cairn_log("config %u submitted", t.configs);
}


static bool find_line(const struct xml_node *n, bool consume)
{
	char exact[LINE_MAX], part[LINE_MAX];
	attr_decoded(n, "string", exact, sizeof exact);
	attr_decoded(n, "contains", part, sizeof part);

	for (unsigned i = t.mark; i < t.num_lines; i++) {
		struct line *l = &t.lines[i];
		if (l->consumed)
			continue;
		if ((exact[0] && !strcmp(l->text, exact)) || (part[0] && strstr(l->text, part))) {
			l->consumed = consume;
			return true;
		}
	}
	return false;
}

static void save(const struct xml_node *n)
{
	struct xml_node state, node, sub;
	struct xml_attr a;
	char child[64], type[32], attr[32], as[32];

	if (!current_state(&state))
		fail("no state report to save from");
	xml_attr_string(n, "child", child, sizeof child, "");
	xml_attr_string(n, "sub", type, sizeof type, "");
	xml_attr_string(n, "attr", attr, sizeof attr, "");
	xml_attr_string(n, "as", as, sizeof as, attr);

	node = state;
	if (child[0]) {
		struct xml_iter it;
		bool found = false;
		xml_iter_init(&it, &state, "child");
		while (!found && xml_iter_next(&it, &node))
			found = xml_attr_equals(&node, "name", child);
		if (!found)
			fail("no child %s in the state report", child);
	}
	if (type[0]) {
		if (!xml_sub_node_by_type(&node, type, &sub))
			fail("no <%s> to save from", type);
		node = sub;
	}
	if (!xml_attribute(&node, attr, &a))
		fail("no attribute %s to save", attr);
	var_set(as, a.value);
	char v[64];
	str_copy(v, sizeof v, a.value);
	cairn_log("saved %s = %s", as, v);
}

/* start step n; returns true when it is done at once */
static bool begin(const struct xml_node *n)
{
	char buf[256];

	t.deadline_ms = now_ms() + timeout_of(n);
	if (xml_has_type(n, "init_config")) {
		submit_config(n);
		return true;
	}
	if (xml_has_type(n, "message")) {
		xml_attr_string(n, "string", buf, sizeof buf, "");
		cairn_log("-- %s", buf);
		return true;
	}
	if (xml_has_type(n, "save")) {
		save(n);
		return true;
	}
	if (xml_has_type(n, "expect_no_log")) {
		if (find_line(n, false))
			fail("unexpected line");
		return true;
	}
	if (xml_has_type(n, "sleep")) {
		t.deadline_ms = now_ms() + xml_attr_ulong(n, "ms", 0);
		return false;
	}
	if (xml_has_type(n, "expect_log") || xml_has_type(n, "expect_state"))
		return false;
	fail("unknown step");
}

/* check a waiting step: true when satisfied */
static bool check(const struct xml_node *n)
{
	if (xml_has_type(n, "sleep"))
		return now_ms() >= t.deadline_ms;
	if (xml_has_type(n, "expect_log"))
		return find_line(n, true);
	if (xml_has_type(n, "expect_state")) {
		struct xml_node state;
		return current_state(&state) && attrs_and_subs_match(n, &state);
	}
	return true;
}

static void finish(void)
{
	cairn_log("test-init: all %u steps passed", t.step_no);
	cairn_env_exit(t.env, 0);
}

static void advance(void)
{
	if (t.in_advance)
		return;  /* a step's own RPCs may bring events */
	t.in_advance = true;
	for (;;) {
		if (t.waiting) {
			if (!check(&t.step)) {
				uint64_t now = now_ms();
				if (now >= t.deadline_ms) {
					if (xml_has_type(&t.step, "sleep"))
						continue;
					fail("timed out");
				}
				(void)cairn_timer_trigger_once(&t.timer, (t.deadline_ms - now) * 1000);
				break;
			}
			t.waiting = false;
			char type[32];
			if (!xml_has_type(&t.step, "sleep"))
				cairn_log("step %u: %s ok", t.step_no, step_type(type, sizeof type));
		}
		struct xml_node next;
		bool more = t.have_step ? xml_next(&t.step, NULL, &next)
		                        : xml_sub_node(&t.steps, 0, &next);
		if (!more)
			finish();
		t.step      = next;
		t.have_step = true;
		t.step_no++;
		t.waiting = !begin(&t.step);
	}
	t.in_advance = false;
}

/* ------------------------------------------------------------ LOG service */

struct log_session {
	cairn_rpc_obj obj;
	char          label[160];
};

static void add_line(const char *label, const char *text, size_t len)
{
	if (t.num_lines == MAX_LINES) {
		cairn_error("too many log lines");
		return;
	}
	struct line *l = &t.lines[t.num_lines++];
	size_t       at = (size_t)snprintf(l->text, sizeof l->text, "[%s] ", label);

	if (at >= sizeof l->text)
		at = sizeof l->text - 1;

	/* without colour sequences (ESC [ ... m) */
	for (size_t i = 0; i < len && at + 1 < sizeof l->text; i++) {
		if (text[i] == '\033' && i + 1 < len && text[i + 1] == '[') {
			while (i < len && text[i] != 'm')
				i++;
			continue;
		}
		l->text[at++] = text[i];
	}
	l->text[at] = '\0';
	l->consumed = false;
	cairn_log("%s", l->text);
}

static int log_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct log_session *s = obj->data;
	static char         text[CAIRN_LOG_MAX];

	if (req->code != CAIRN_LOG_WRITE) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	if (!cairn_msg_get_str(req, text, sizeof text)) { reply->code = CAIRN_ERR_MSG; return CAIRN_RPC_REPLY; }

	size_t n = strlen(text);
	for (char *p = text; *p;) {
		char  *nl  = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		add_line(s->label, p, len);
		p += len + (nl ? 1 : 0);
	}
	cairn_msg_put_u32(reply, (uint32_t)n);
	reply->code = CAIRN_OK;
	advance();
	return CAIRN_RPC_REPLY;
}

static int log_create(cairn_root *root, const char *args, const char *label,
                      cairn_heap *heap, cairn_rpc_obj **obj)
{
	int err;
	struct log_session *s = cairn_root_session_alloc(root, heap, sizeof(*s), log_dispatch, &err);
	if (!s) return err;
	snprintf(s->label, sizeof(s->label), "%s", label);
	*obj = &s->obj;
	return CAIRN_OK;
}

static const cairn_root_ops log_ops = {
	.session_size = sizeof(struct log_session),
	.create       = log_create,
};

/* ------------------------------------------------------------ start-up */

static void on_timeout(cairn_signal_handler *h, unsigned count) { advance(); }

static void on_state(cairn_watched_rom *r, void *arg) { advance(); }

void cairn_component_construct(cairn_env *env)
{
	t.env   = env;
	t.lines = cairn_heap_calloc(env->heap, MAX_LINES, sizeof *t.lines);
	if (!t.lines)
		cairn_fatal("out of memory");

	if (cairn_config_open(&t.config, env, NULL, NULL) != CAIRN_OK
	    || !cairn_config_xml(&t.config, &t.steps))
		cairn_fatal("no config");
	if (cairn_timer_open(&t.timer, env, "") != CAIRN_OK)
		cairn_fatal("no Timer session");
	cairn_cap sigh = cairn_signal_handler_init(&t.timeout, env->ep, on_timeout, NULL);
	(void)cairn_timer_sigh(&t.timer, sigh);
	if (cairn_reporter_open(&t.reporter, env, "init.config", CONFIG_MAX) != CAIRN_OK)
		cairn_fatal("no Report session");
	if (cairn_watched_rom_open(&t.state, env, "init_state", on_state, NULL) != CAIRN_OK)
		cairn_fatal("no ROM session for the state report");
	if (cairn_root_announce(&t.log_root, env, "LOG", &log_ops, NULL) != CAIRN_OK)
		cairn_fatal("could not announce the LOG service");

	advance();
}
