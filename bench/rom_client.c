/* rom_client.c - bench_rom: ROM update propagation through report_rom, against its parts */

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/signal.h>
#include <session/report/report.h>
#include <session/rom/rom.h>

#include "component.h"

#include <stdio.h>

/*
 * One update: write report number n into the Report buffer, SUBMIT it to
 * report_rom and dispatch signals until the watched ROM "bench" - the
 * same module, read back through report_rom's policy - was updated by its
 * handler (UPDATE RPC) and parsed; it must carry n and the report's
 * length. A small report (23 bytes) and one of 3974 bytes (a node with
 * 136 sub nodes). Baselines in the same rounds, against report_rom:
 *
 *   rpc      a null RPC (OBTAIN_RESPONSES of the Report session)
 *   update   the UPDATE RPC of the ROM session alone (the small report again)
 *   signal   submit-to-handler latency of a signal to bench_server
 *
 * and the time until SUBMIT returned as a part of each update (aux series).
 */
enum { BATCH_NS = 2000000, MAX_K = 100000, BIG = 4000 };

/* a report whose number n starts at N_AT; ten digits, so the length stays */
struct report_text {
	char   text[BIG + 1];
	size_t len;
};
enum { N_AT = 10, N_DIGITS = 10 };
static const uint64_t N_FIRST = 1000000000ull;

static cairn_env         *env;
static cairn_reporter     reporter;
static cairn_watched_rom  rom;
static struct sig_stamp  *stamp;
static cairn_cap          stamp_sigh;
static struct report_text small_report, big_report;
static uint64_t           counter = N_FIRST;   /* the last report submitted */
static bool               fresh;               /* the ROM handler ran since */
static unsigned long      seen;                /* what it read: n and length */
static size_t             seen_len;

static void changed(cairn_watched_rom *r, void *arg)
{
	struct xml_node n;
	if (!cairn_watched_rom_xml(r, &n))
		cairn_fatal("ROM 'bench' holds no XML after report %llu", (unsigned long long)counter);
	seen     = xml_attr_ulong(&n, "n", 0);
	seen_len = cairn_watched_rom_len(r);
	fresh    = true;
}

static void make_reports(void)
{
	struct report_text *s = &small_report, *b = &big_report;
	s->len = (size_t)snprintf(s->text, sizeof(s->text), "<bench n=\"%llu\"/>", (unsigned long long)N_FIRST);
	b->len = (size_t)snprintf(b->text, sizeof(b->text), "<bench n=\"%llu\">", (unsigned long long)N_FIRST);
	for (unsigned i = 0; b->len + 40 < BIG; i++)
		b->len += (size_t)snprintf(b->text + b->len, sizeof(b->text) - b->len,
		                           "<entry id=\"%04u\" state=\"up\"/>", i);
	b->len += (size_t)snprintf(b->text + b->len, sizeof(b->text) - b->len, "</bench>");
}

/* one update of report `t`, verified; returns the ns until SUBMIT returned */
static uint64_t update_once(const struct report_text *t)
{
	char n[N_DIGITS + 1];
	uint64_t t0 = now_ns();
	memcpy(reporter.buffer, t->text, t->len);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)++counter);
	memcpy(reporter.buffer + N_AT, n, N_DIGITS);
	fresh = false;
	int err = cairn_reporter_submit_buffer(&reporter, t->len);
	if (err != CAIRN_OK)
		cairn_fatal("submit of report %llu: %s", (unsigned long long)counter, cairn_err_str(err));
	uint64_t submitted = now_ns() - t0;
	while (!fresh)
		cairn_ep_dispatch_one(env->ep);
	if (seen != counter || seen_len != t->len)
		cairn_fatal("report %llu of %zu bytes submitted, ROM read %lu of %zu bytes",
		            (unsigned long long)counter, t->len, seen, seen_len);
	return submitted;
}

static double run_update_propagation(void *arg, int n)
{
	struct bench_op *op = arg;
	const struct report_text *t = op->size > small_report.len ? &big_report : &small_report;
	uint64_t submitted = 0, t0 = now_ns();
	for (int i = 0; i < n; i++)
		submitted += update_once(t);
	op->aux = (double)submitted / n;
	return (double)(now_ns() - t0) / n;
}

static double run_null_rpc(void *arg, int n)
{
	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++) {
		size_t len;
		int err = cairn_report_obtain_responses(reporter.session, &len);
		if (err != CAIRN_OK || len) cairn_fatal("OBTAIN_RESPONSES: %s", cairn_err_str(err));
	}
	return (double)(now_ns() - t0) / n;
}

static double run_update_rpc(void *arg, int n)
{
	update_once(&small_report);   /* the same content for every batch */
	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++)
		if (!cairn_rom_update(rom.session)) cairn_fatal("UPDATE did not fit");
	return (double)(now_ns() - t0) / n;
}

static void submit_stamp(void *arg)
{
	cairn_signal_submit(stamp_sigh, 1);
}

static double run_signal(void *arg, int n)
{
	struct bench_op *op = arg;
	uint64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += sig_stamp_once(stamp, submit_stamp, 0, !op->same_core);
	return (double)sum / n;
}

/* the stamp page and signal context of bench_server */
static void open_stamp(void)
{
	cairn_cap session, ds;
	cairn_msg m;
	void     *addr;
	size_t    size;

	if (cairn_session(env, "Bench", &session, "ram_quota=%d", 16 * 1024) != CAIRN_OK)
		cairn_fatal("no Bench session");
	cairn_msg_init(&m, BENCH_STAMP);
	if (cairn_rpc_call(session, &m, &m) != CAIRN_OK || m.ncaps != 2)
		cairn_fatal("BENCH_STAMP failed");
	ds         = cairn_msg_get_cap(&m);
	stamp_sigh = cairn_msg_get_cap(&m);
	if (cairn_ds_attach(ds, 0, 0, false, &addr, &size) != CAIRN_OK || size < sizeof(*stamp))
		cairn_fatal("cannot attach the stamp page");
	stamp = addr;
}

static struct bench_op ops[] = {
	{ .name = "rom.x",    .run = run_update_propagation, .aux_name = "rom.x.submit" },
	{ .name = "rom4k.x",  .run = run_update_propagation, .aux_name = "rom4k.x.submit", .size = BIG },
	{ .name = "rpc.x",    .run = run_null_rpc },
	{ .name = "update.x", .run = run_update_rpc },
	{ .name = "signal.x", .run = run_signal },
	{ .name = "rom.s",    .run = run_update_propagation, .aux_name = "rom.s.submit", .same_core = true },
	{ .name = "rom4k.s",  .run = run_update_propagation, .aux_name = "rom4k.s.submit", .size = BIG,
	  .same_core = true },
	{ .name = "rpc.s",    .run = run_null_rpc,    .same_core = true },
	{ .name = "update.s", .run = run_update_rpc,  .same_core = true },
	{ .name = "signal.s", .run = run_signal,      .same_core = true },
};

void cairn_component_construct(cairn_env *e)
{
	static struct bench_client c;

	env = e;
	bench_client_init(&c, env, BATCH_NS, MAX_K);
	make_reports();
	int err = cairn_reporter_open(&reporter, env, "bench", CAIRN_REPORT_BUFFER);
	if (err == CAIRN_OK)
		err = cairn_watched_rom_open(&rom, env, "bench", changed, 0);
	if (err != CAIRN_OK)
		cairn_fatal("cannot open the Report and ROM sessions: %s", cairn_err_str(err));
	/* room for the big report from the start (the helper would upgrade, with a warning) */
	if (cairn_parent_upgrade(env->parent, rom.session, "ram_quota=8192") == CAIRN_OK)
		rom.quota += 8192;
	open_stamp();
	cairn_log("reports of %zu and %zu bytes", small_report.len, big_report.len);
	bench_client_run(&c, ops, sizeof(ops) / sizeof(ops[0]));
}
