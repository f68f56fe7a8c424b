/* main.c - dynamic_rom: ROM modules that change along a timeline, for testing ROM clients */

#include <base/env.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/signal.h>
#include <rom/config.h>
#include <rom/server.h>
#include <session/timer/timer.h>
#include <util/label.h>

#include <string.h>

/*
 * Each session runs the timeline of its module on its own: the steps of
 * the <rom name="X"> node in order, wrapping around at the end. <inline>
 * and <empty/> change the session's content (and signal the client),
 * <sleep> waits. All sessions share one Timer session: the earliest
 * deadline is programmed, expired sessions continue when it fires.
 *
 * The config is copied: inline content is served from the copy, so a new
 * version of the config ROM cannot pull it away underneath. A new config
 * restarts every timeline with the new definition (a session whose module
 * vanished becomes invalid).
 */
struct session {
	rom_session     rom;           /* first: the object's data points here */
	char            module[64];
	struct xml_node node;          /* <rom> node in the config copy */
	bool            defined;
	unsigned        step;          /* index of the next step */
	unsigned        idle;          /* steps run since the last change */
	const char     *data;
	size_t          len;
	bool            valid;
	uint64_t        version;
	bool            sleeping;
	uint64_t        deadline;      /* us on the timer's clock */
};

static cairn_env           *env;
static cairn_config         config;
static rom_service          service;
static cairn_timer          timer;
static cairn_signal_handler timeout;
static bool                 verbose;
static char                *cfg_text;   /* the config copy */
static struct xml_node      cfg;

/* ------------------------------------------------------------ config */

static bool rom_node(const char *name, struct xml_node *out)
{
	struct xml_iter it;
	xml_iter_init(&it, &cfg, "rom");
	while (xml_iter_next(&it, out))
		if (xml_attr_equals(out, "name", name)) return true;
	return false;
}

static void copy_config(void)
{
	static const char empty[] = "<config/>";
	struct xml_node n;
	bool ok = cairn_config_xml(&config, &n);
	struct str text = ok ? xml_node_text(&n) : str_n(empty, sizeof(empty) - 1);

	char *copy = cairn_heap_alloc(env->heap, text.len + 1);
	if (!copy) {
		cairn_error("no memory for a config of %zu bytes", text.len);
		return;
	}
	memcpy(copy, text.ptr, text.len);
	copy[text.len] = 0;
	struct xml_parse_result pr = xml_parse(copy, text.len, &cfg);
	(void)pr;   /* it parsed before */
	if (cfg_text) cairn_heap_free(env->heap, cfg_text);
	cfg_text = copy;
	verbose  = xml_attr_bool(&cfg, "verbose", false);
}

/* ------------------------------------------------------------ timelines */

static uint64_t now_us(void) { return cairn_timer_elapsed_us(&timer); }

static void schedule(void)
{
	bool any = false;
	uint64_t first = 0, now = now_us();
	for (struct session *s = rom_service_next(&service, 0); s; s = rom_service_next(&service, s)) {
		if (!s->sleeping) continue;
		if (!any || s->deadline < first) first = s->deadline;
		any = true;
	}
	if (any)
		(void)cairn_timer_trigger_once(&timer, first > now ? first - now : 0);
}

static void set_content(struct session *s, const char *data, size_t len, bool valid)
{
	/* invalid stays invalid: no new version, no signal */
	if (!valid && !s->valid)
		return;
	s->data  = data;
	s->len   = len;
	s->valid = valid;
	s->version++;
	rom_session_changed(&s->rom);
}

/*
 * Run the steps of the session's timeline up to the next sleep. A
 * timeline that went a whole round without a change stops: it would only
 * keep the timer busy (a round of zero sleeps would even spin).
 */
static void execute(struct session *s)
{
	unsigned n = s->defined ? xml_num_sub_nodes(&s->node) : 0;
	bool slept = false;
	char desc[128];

	for (unsigned done = 0; done < n; done++, s->step = (s->step + 1) % n) {
		struct xml_node step;
		if (s->idle >= n || !xml_sub_node(&s->node, s->step % n, &step)) break;
		s->idle++;
		if (xml_has_type(&step, "inline") || xml_has_type(&step, "empty"))
			s->idle = 0;

		if (xml_has_type(&step, "inline")) {
			struct str c = xml_content(&step);
			if (verbose) {
				if (xml_attr_string(&step, "description", desc, sizeof(desc), "") && desc[0])
					cairn_log("%s: change (%s)", s->module, desc);
				else
					cairn_log("%s: change", s->module);
			}
			set_content(s, c.ptr, c.len, true);
		} else if (xml_has_type(&step, "empty")) {
			if (verbose) cairn_log("%s: remove", s->module);
			set_content(s, 0, 0, false);
		} else if (xml_has_type(&step, "sleep")) {
			unsigned long ms = xml_attr_ulong(&step, "milliseconds", 0);
			if (verbose) cairn_log("%s: sleep %lu milliseconds", s->module, ms);
			s->sleeping = true;
			/* at least 1 ms: a loop of zero sleeps must not spin */
			uint64_t us = ms ? (uint64_t)ms * 1000 : 1000;
			if (ms > CAIRN_TIMER_MAX_US / 1000) us = CAIRN_TIMER_MAX_US;
			s->deadline = now_us() + us;
			s->step     = (s->step + 1) % n;
			slept = true;
			break;
		}
	}
	/* a timeline without <sleep> runs once and stays at its last state */
	if (!slept) s->sleeping = false;
}

static void timeout_fn(cairn_signal_handler *h, unsigned count)
{
	uint64_t now = now_us();
	for (struct session *s = rom_service_next(&service, 0); s; s = rom_service_next(&service, s)) {
		if (!s->sleeping || s->deadline > now) continue;
		s->sleeping = false;
		execute(s);
	}
	schedule();
}

static void restart(struct session *s)
{
	s->defined  = rom_node(s->module, &s->node);
	s->step     = 0;
	s->idle     = 0;
	s->sleeping = false;
	if (!s->defined) {
		set_content(s, 0, 0, false);
		return;
	}
	/* the timeline starts over: invalid until its first content step */
	if (s->valid) {
		s->data  = 0;
		s->len   = 0;
		s->valid = false;
		s->version++;
	}
	execute(s);
	rom_session_changed(&s->rom);
}

static void apply_config(cairn_watched_rom *c, void *arg)
{
	copy_config();
	for (struct session *s = rom_service_next(&service, 0); s; s = rom_service_next(&service, s))
		restart(s);
	schedule();
}

/* ------------------------------------------------------------ ROM service */

static void content(rom_session *r, struct rom_content *out)
{
	struct session *s = (struct session *)r;
	out->data    = s->data;
	out->len     = s->len;
	out->valid   = s->valid;
	out->version = s->version;
}

static int session_open(rom_service *svc, void *session, const char *label)
{
	struct session *s = session;
	char module[64];
	struct xml_node node;
	struct str last = label_last_element(str_z(label));
	if (str_copy(module, sizeof(module), last) >= sizeof(module) || !rom_node(module, &node)) {
		cairn_error("ROM module lookup of '%s' failed", label);
		return CAIRN_ERR_DENIED;
	}
	memcpy(s->module, module, sizeof(module));
	s->defined = true;
	s->node    = node;
	s->version = 1;
	/* the steps up to the first sleep happen before the client looks */
	execute(s);
	return CAIRN_OK;
}

static void session_opened(rom_service *svc, void *session)
{
	schedule();
}

static const rom_service_ops ops = {
	.session_size = sizeof(struct session),
	.content      = content,
	.open         = session_open,
	.opened       = session_opened,
};

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int err = cairn_timer_open(&timer, env, "");
	if (err != CAIRN_OK) {
		cairn_error("no Timer session (%s)", cairn_err_str(err));
		return;
	}
	(void)cairn_timer_sigh(&timer, cairn_signal_handler_init(&timeout, env->ep, timeout_fn, 0));
	err = cairn_config_open(&config, env, apply_config, 0);
	if (err != CAIRN_OK) {
		cairn_error("no config (%s)", cairn_err_str(err));
		return;
	}
	copy_config();
	if (rom_service_announce(&service, env, &ops, 0) != CAIRN_OK)
		cairn_error("could not announce the ROM service");
}
