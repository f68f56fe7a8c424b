/* main.c - test-rom_client: a scripted ROM and Report client for the run scripts */

#include <base/dataspace.h>
#include <base/env.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/signal.h>
#include <rom/config.h>
#include <session/pd/pd.h>
#include <session/report/report.h>
#include <session/timer/timer.h>

#include <stdio.h>
#include <string.h>

/*
 * The config is a script of steps, run in document order. Steps that wait
 * (sleep, wait_rom) suspend the script until their condition holds; ROM
 * changes are logged meanwhile.
 *
 *   <report name="N" label="L" buffer_size="4K" ram_quota="Q"/>
 *        open a Report session (label default N) with cairn_reporter,
 *        or by hand if a donation is given; logs only failures:
 *        `report N: open failed: <error>`
 *   <submit report="N" [decode="yes"] [length="n"]>content</submit>
 *        write the raw content (entity-decoded with decode="yes") to the
 *        buffer and submit it, or submit `length` bytes of whatever is in
 *        the buffer; logs `submit N: <result>`
 *   <close_report name="N"/>
 *   <rom name="R" label="L" [log="no"]/>
 *        open ROM L (default R) and log `rom R (k): <content>` for the
 *        first version (k = 0) and after each of the k change signals;
 *        the content is shown on one line (newlines and tabs as spaces),
 *        `<invalid>` or `<empty>`. Failures: `rom R: open failed: <error>`
 *   <close_rom name="R"/>
 *   <probe_rom name="R"/>
 *        ask core whether the dataspace of ROM R is writable and log
 *        `rom R: writable` or `rom R: read-only`
 *   <remaps name="R"/>
 *        log how often ROM R came in a new dataspace after the first
 *        (`rom R: n new dataspaces`); updates that fit are made in place
 *   <write_rom name="R"/>
 *        attach the dataspace of ROM R asking for write access and write
 *        to it: must fault, the kernel maps ROMs read-only
 *   <wait_rom name="R" contains="text" signals="n"/>
 *        wait until ROM R contains text (if given) and received at
 *        least n change signals (if given)
 *   <sleep ms="N"/>                        wait N milliseconds (Timer)
 *   <quota/>                               log `quota: used U of Q` (our PD)
 *   <log string="text"/>
 *   <exit code="N"/>
 * After the last step the component stays, keeping its sessions open.
 */

struct report {
	char            name[64];
	cairn_reporter  r;         /* the helper, or filled by hand (custom quota) */
	bool            open;
	struct report  *next;
};

struct rom {
	char              name[64];
	cairn_watched_rom rom;
	bool              log;
	unsigned          signals;
	unsigned          remaps;    /* new dataspaces after the first */
	uint32_t          ds_id;
	struct rom       *next;
};

static cairn_env           *env;
static cairn_config         config;
static struct xml_iter      script;
static struct report       *reports;
static struct rom          *roms;
static cairn_timer          timer;
static bool                 timer_open;
static cairn_signal_handler timeout;
static bool                 sleeping;
static struct rom          *waiting;      /* wait_rom on this ROM */
static char                 wait_text[256];
static unsigned             wait_signals;

static void run(void);

static const char *err_str(int err)
{
	return err == CAIRN_REPORT_ERR_MALFORMED ? "Malformed_report" : cairn_err_str(err);
}

/* ------------------------------------------------------------ reports */

static struct report *report_lookup(const char *name)
{
	for (struct report *r = reports; r; r = r->next)
		if (!strcmp(r->name, name) && r->open) return r;
	return 0;
}

/* what cairn_reporter_open does, with a donation of our choice */
static int open_with_quota(cairn_reporter *r, const char *label, size_t bs, size_t quota)
{
	void *addr;
	*r = (cairn_reporter){ .env = env };
	int err = cairn_session(env, "Report", &r->session,
	                        "ram_quota=%zu, buffer_size=%zu, label=\"%s\"", quota, bs, label);
	if (err != CAIRN_OK) return err;
	err = cairn_report_dataspace(r->session, &r->ds);
	if (err == CAIRN_OK) err = cairn_ds_attach(r->ds, 0, 0, false, &addr, &r->mapped);
	if (err != CAIRN_OK) {
		(void)cairn_parent_close(env->parent, r->session);
		cairn_cap_release(r->session);
		return err;
	}
	r->buffer = addr;
	r->size   = bs;
	return CAIRN_OK;
}

static void report_open(const struct xml_node *n)
{
	char label[LABEL_MAX + 1];
	struct report *rep = cairn_heap_calloc(env->heap, 1, sizeof(*rep));
	if (!rep) return;
	xml_attr_string(n, "name", rep->name, sizeof(rep->name), "");
	xml_attr_string(n, "label", label, sizeof(label), rep->name);
	size_t bs = xml_attr_size(n, "buffer_size", CAIRN_REPORT_BUFFER);

	int err = xml_has_attribute(n, "ram_quota")
	        ? open_with_quota(&rep->r, label, bs, xml_attr_size(n, "ram_quota", 0))
	        : cairn_reporter_open(&rep->r, env, label, bs);
	if (err != CAIRN_OK) {
		cairn_log("report %s: open failed: %s", rep->name, err_str(err));
		cairn_heap_free(env->heap, rep);
		return;
	}
	rep->open = true;
	rep->next = reports;
	reports   = rep;
}

static void submit(const struct xml_node *n)
{
	char name[64];
	int err;
	xml_attr_string(n, "report", name, sizeof(name), "");
	struct report *rep = report_lookup(name);
	if (!rep) { cairn_log("submit %s: no such report", name); return; }
	cairn_reporter *r = &rep->r;

	if (xml_has_attribute(n, "length")) {
		/* whatever the buffer holds, as long as the server accepts */
		err = cairn_reporter_submit_buffer(r, xml_attr_size(n, "length", 0));
	} else if (xml_attr_bool(n, "decode", false)) {
		size_t len = xml_decoded_content(n, r->buffer, r->mapped);
		err = cairn_reporter_submit_buffer(r, len < r->mapped ? len : r->mapped - 1);
	} else {
		struct str s = xml_content(n);
		err = cairn_reporter_submit(r, s.ptr, s.len);
	}
	cairn_log("submit %s: %s", name, err_str(err));
}

static void report_close(const struct xml_node *n)
{
	char name[64];
	xml_attr_string(n, "name", name, sizeof(name), "");
	struct report *rep = report_lookup(name);
	if (!rep) return;
	cairn_reporter_close(&rep->r);
	rep->open = false;
}

/* ------------------------------------------------------------ ROMs */

static void rom_print(struct rom *r)
{
	char line[512];
	if (!r->log) return;
	if (!cairn_watched_rom_valid(&r->rom)) {
		cairn_log("rom %s (%u): <invalid>", r->name, r->signals);
		return;
	}
	size_t len = cairn_watched_rom_len(&r->rom), o = 0;
	for (size_t i = 0; i < len && o + 1 < sizeof(line); i++) {
		char c = r->rom.data[i];
		if (c == '\n' || c == '\t' || c == '\r') c = ' ';
		if (c == ' ' && (o == 0 || line[o - 1] == ' ')) continue;
		line[o++] = c;
	}
	while (o && line[o - 1] == ' ') o--;
	line[o] = 0;
	cairn_log("rom %s (%u): %s", r->name, r->signals, o ? line : "<empty>");
}

static bool rom_contains(struct rom *r, const char *text)
{
	if (!text[0]) return true;
	if (!cairn_watched_rom_valid(&r->rom)) return false;
	return memmem(r->rom.data, cairn_watched_rom_len(&r->rom), text, strlen(text)) != 0;
}

static void rom_changed(cairn_watched_rom *w, void *arg)
{
	struct rom *r = arg;
	r->signals++;
	if (r->rom.ds.id != r->ds_id) r->remaps++;
	r->ds_id = r->rom.ds.id;
	rom_print(r);
	if (waiting == r && rom_contains(r, wait_text) && r->signals >= wait_signals) {
		waiting = 0;
		run();
	}
}

static struct rom *rom_lookup(const char *name)
{
	for (struct rom *r = roms; r; r = r->next)
		if (!strcmp(r->name, name)) return r;
	return 0;
}

static void rom_open(const struct xml_node *n)
{
	char label[LABEL_MAX + 1];
	struct rom *r = cairn_heap_calloc(env->heap, 1, sizeof(*r));
	if (!r) return;
	xml_attr_string(n, "name", r->name, sizeof(r->name), "");
	xml_attr_string(n, "label", label, sizeof(label), r->name);
	r->log = xml_attr_bool(n, "log", true);
	int err = cairn_watched_rom_open(&r->rom, env, label, rom_changed, r);
	if (err != CAIRN_OK) {
		cairn_log("rom %s: open failed: %s", r->name, cairn_err_str(err));
		cairn_heap_free(env->heap, r);
		return;
	}
	r->ds_id = r->rom.ds.id;
	r->next  = roms;
	roms     = r;
	rom_print(r);
}

static void rom_close(const struct xml_node *n)
{
	char name[64];
	xml_attr_string(n, "name", name, sizeof(name), "");
	for (struct rom **p = &roms; *p; p = &(*p)->next) {
		struct rom *r = *p;
		if (strcmp(r->name, name)) continue;
		*p = r->next;
		cairn_watched_rom_close(&r->rom);
		cairn_heap_free(env->heap, r);
		return;
	}
}

static void rom_probe(const struct xml_node *n)
{
	char name[64];
	cairn_msg m;
	xml_attr_string(n, "name", name, sizeof(name), "");
	struct rom *r = rom_lookup(name);
	if (!r || !cairn_cap_valid(r->rom.ds)) { cairn_log("rom %s: no dataspace", name); return; }
	cairn_msg_init(&m, CAIRN_DS_WRITABLE);
	int err = cairn_rpc_call(r->rom.ds, &m, &m);
	if (err != CAIRN_OK) { cairn_log("rom %s: %s", name, cairn_err_str(err)); return; }
	cairn_log("rom %s: %s", name, cairn_msg_get_u32(&m) ? "writable" : "read-only");
}

static void rom_remaps(const struct xml_node *n)
{
	char name[64];
	xml_attr_string(n, "name", name, sizeof(name), "");
	struct rom *r = rom_lookup(name);
	if (r) cairn_log("rom %s: %u new dataspaces", name, r->remaps);
}

static void rom_write(const struct xml_node *n)
{
	char name[64];
	void *addr;
	size_t size;
	xml_attr_string(n, "name", name, sizeof(name), "");
	struct rom *r = rom_lookup(name);
	if (!r || !cairn_cap_valid(r->rom.ds)) { cairn_log("rom %s: no dataspace", name); return; }
	int err = cairn_ds_attach(r->rom.ds, 0, 0, false, &addr, &size);
	if (err != CAIRN_OK) { cairn_log("rom %s: attach: %s", name, cairn_err_str(err)); return; }
	cairn_log("rom %s: writing", name);
	*(volatile char *)addr = 'X';
	cairn_log("rom %s: written", name);
}

/* true if the script has to wait */
static bool wait_rom(const struct xml_node *n)
{
	char name[64];
	xml_attr_string(n, "name", name, sizeof(name), "");
	xml_attr_string(n, "contains", wait_text, sizeof(wait_text), "");
	wait_signals = (unsigned)xml_attr_ulong(n, "signals", 0);
	struct rom *r = rom_lookup(name);
	if (!r) { cairn_log("wait_rom %s: no such ROM", name); return false; }
	if (rom_contains(r, wait_text) && r->signals >= wait_signals) return false;
	waiting = r;
	return true;
}

/* ------------------------------------------------------------ sleeping */

static void timeout_fn(cairn_signal_handler *h, unsigned count)
{
	if (!sleeping) return;
	sleeping = false;
	run();
}

static bool sleep_ms(const struct xml_node *n)
{
	if (!timer_open) {
		int err = cairn_timer_open(&timer, env, "");
		if (err != CAIRN_OK) {
			cairn_error("no timer (%s)", cairn_err_str(err));
			return false;
		}
		timer_open = true;
		(void)cairn_timer_sigh(&timer, cairn_signal_handler_init(&timeout, env->ep, timeout_fn, 0));
	}
	sleeping = true;
	(void)cairn_timer_trigger_once(&timer, (uint64_t)xml_attr_ulong(n, "ms", 0) * 1000);
	return true;
}

/* ------------------------------------------------------------ the script */

static void run(void)
{
	struct xml_node n;
	char buf[512];

	while (xml_iter_next(&script, &n)) {
		if (xml_has_type(&n, "report"))            report_open(&n);
		else if (xml_has_type(&n, "submit"))       submit(&n);
		else if (xml_has_type(&n, "close_report")) report_close(&n);
		else if (xml_has_type(&n, "rom"))          rom_open(&n);
		else if (xml_has_type(&n, "close_rom"))    rom_close(&n);
		else if (xml_has_type(&n, "probe_rom"))    rom_probe(&n);
		else if (xml_has_type(&n, "write_rom"))    rom_write(&n);
		else if (xml_has_type(&n, "remaps"))       rom_remaps(&n);
		else if (xml_has_type(&n, "wait_rom"))   { if (wait_rom(&n)) return; }
		else if (xml_has_type(&n, "sleep"))      { if (sleep_ms(&n)) return; }
		else if (xml_has_type(&n, "quota")) {
			size_t q = 0, u = 0;
			(void)cairn_pd_quota(env->pd, &q, &u);
			cairn_log("quota: used %zu of %zu", u, q);
		} else if (xml_has_type(&n, "log")) {
			xml_attr_string(&n, "string", buf, sizeof(buf), "");
			cairn_log("%s", buf);
		} else if (xml_has_type(&n, "exit")) {
			cairn_env_exit(env, (int)xml_attr_long(&n, "code", 0));
		}
	}
}

void cairn_component_construct(cairn_env *e)
{
	struct xml_node cfg;
	env = e;
	if (cairn_config_open(&config, env, 0, 0) != CAIRN_OK) {
		cairn_error("no config");
		return;
	}
	if (!cairn_config_xml(&config, &cfg)) {
		cairn_error("unusable config");
		return;
	}
	xml_iter_init(&script, &cfg, 0);
	run();
}
