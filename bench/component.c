/* component.c - the client side of the component benchmarks: placement, rounds, data to the driver */

#include <base/log.h>

#include "component.h"

#include <sched.h>
#include <stdio.h>
#include <time.h>

enum { PIN_WAIT_MS = 20000, VALUES_PER_LINE = 200, LINE_MAX = 3000 };   /* 200 values fit a line */

void bench_client_init(struct bench_client *c, cairn_env *env, uint64_t batch_ns, int max_k)
{
	struct xml_node cfg;

	*c = (struct bench_client){ .env = env, .placed = -1, .batch_ns = batch_ns, .max_k = max_k };
	if (cairn_config_start(&c->config, env, 0, 0) != CAIRN_OK)
		cairn_fatal("no config");
	(void)cairn_config_xml(&c->config, &cfg);
	c->rounds = (int)xml_attr_ulong(&cfg, "rounds", 11);
	c->cpu_a  = (int)xml_attr_ulong(&cfg, "cpu_a", 0);
	c->cpu_b  = (int)xml_attr_ulong(&cfg, "cpu_b", 1);
	c->pin    = xml_attr_bool(&cfg, "pin", true);
	xml_attr_string(&cfg, "only", c->only, sizeof(c->only), "");
	if (c->rounds < 1 || c->rounds > 100000)
		cairn_fatal("rounds=%d out of range", c->rounds);
}

static bool pinned_to(int cpu)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1 && CPU_ISSET(cpu, &set);
}

/*
 * Components may not change their affinity: ask the driver, and wait until
 * it did (it pins the servers first, then us).
 */
static void place(struct bench_client *c, bool same)
{
	if (!c->pin || c->placed == same)
		return;
	int cpu = same ? c->cpu_a : c->cpu_b;
	cairn_log("pin %s", same ? "same" : "cross");
	struct timespec pause = { 0, 100000 };
	for (int waited = 0; !pinned_to(cpu); waited++) {
		if (waited > PIN_WAIT_MS * 10)
			cairn_fatal("not pinned to CPU %d after %d ms: run me from bench/rom or bench/packet, "
			            "or with pin=\"no\"", cpu, PIN_WAIT_MS);
		nanosleep(&pause, 0);
	}
	c->placed = same;
}

static void send_series(const char *name, const double *v, int n)
{
	for (int i = 0; i < n; i += VALUES_PER_LINE) {
		char line[LINE_MAX];
		int len = snprintf(line, sizeof(line), "data %s %d", name, i);
		for (int j = i; j < n && j < i + VALUES_PER_LINE && len < (int)sizeof(line); j++)
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %.1f", v[j]);
		cairn_log("%s", line);
	}
}

void bench_client_run(struct bench_client *c, struct bench_op *ops, int nops)
{
	cairn_heap *heap = c->env->heap;
	int n = 0;
	for (int i = 0; i < nops; i++)   /* only="NAME": that op alone */
		if (!c->only[0] || !strcmp(ops[i].name, c->only)) ops[n++] = ops[i];
	if (!n) cairn_fatal("no op named '%s'", c->only);
	nops = n;
	for (int i = 0; i < nops; i++) {
		ops[i].res     = cairn_heap_calloc(heap, (size_t)c->rounds, sizeof(double));
		ops[i].aux_res = cairn_heap_calloc(heap, (size_t)c->rounds, sizeof(double));
		if (!ops[i].res || !ops[i].aux_res)
			cairn_fatal("no memory for %d rounds", c->rounds);
		place(c, ops[i].same_core);
		ops[i].k = bench_calibrate(ops[i].run, &ops[i], c->batch_ns, c->max_k, ops[i].chunk ? ops[i].chunk : 8);
	}
	/*
	 * Each round runs one batch of every op, in a rotating order; the
	 * placements alternate (cross then same, same then cross), so that
	 * the driver moves the processes once per round.
	 */
	for (int r = 0; r < c->rounds; r++)
		for (int phase = 0; phase < 2; phase++) {
			bool same = (r + phase) % 2;
			for (int j = 0; j < nops; j++) {
				struct bench_op *op = &ops[(j + r) % nops];
				if (op->same_core != same) continue;
				place(c, same);
				op->res[r]     = bench_batch(op->run, op, op->k);
				op->aux_res[r] = op->aux;
			}
		}
	for (int i = 0; i < nops; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s.k", ops[i].name);
		double k = ops[i].k;
		send_series(name, &k, 1);
		send_series(ops[i].name, ops[i].res, c->rounds);
		if (ops[i].aux_name) send_series(ops[i].aux_name, ops[i].aux_res, c->rounds);
	}
	cairn_log("done");
}
