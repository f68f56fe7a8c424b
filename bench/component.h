/* component.h - the benchmark components: bench_server's session, and the client side of the rounds */
#pragma once

#include <base/env.h>
#include <rom/config.h>
#include <util/packet_stream.h>

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * bench/rom and bench/packet boot core, init and the components below
 * with a generated config; the client components measure, the driver
 * pins the processes and prints the figures.
 *
 *   bench_server   the peer: service "Bench". A session answers
 *                  BENCH_STAMP with a shared page (struct sig_stamp) and
 *                  a signal context whose handler stamps its clock into
 *                  it, and, if opened with buffer_size=N, is the sink of a
 *                  packet stream (base/packet_stream.h) with a bulk buffer
 *                  of N bytes: it reads every byte of a packet, puts the
 *                  sum into the descriptor and acknowledges it.
 *   bench_rom      ROM update propagation through report_rom (rom_client.c)
 *   bench_packet   packet-stream throughput against memcpy (packet_client.c)
 *
 * Protocol between a client and the driver, in LOG lines:
 *
 *   pin same|cross      the client asks to be placed: the driver pins the
 *                       servers to CPU a, then the client to CPU a (same)
 *                       or b (cross); the client waits until it sees its
 *                       own affinity change (config pin="no": no pinning)
 *   data NAME I V...    values I, I+1, ... of series NAME (one per round;
 *                       series NAME.k: the op's operations per batch)
 *   done                all data sent
 *
 * The client's config: <config rounds="R" cpu_a="A" cpu_b="B" pin="yes"
 * only=""/>; only="NAME" runs that op alone (for profiling).
 */
enum { BENCH_STAMP = 1 };

enum { BENCH_QUEUE = 256 };   /* packet-stream queue slots */

struct bench_packet {
	struct ps_desc d;
	uint64_t       seq;   /* the source's number: every byte is bench_fill_byte(seq) */
	uint64_t       sum;   /* the sink's bench_sum of the payload */
};

/* what the sink reads: every byte, 64 bits at a time */
static inline uint64_t bench_sum(const uint8_t *p, size_t size)
{
	uint64_t s[4] = { 0 }, w[4];
	size_t i = 0;
	for (; i + sizeof(w) <= size; i += sizeof(w)) {
		memcpy(w, p + i, sizeof(w));
		s[0] += w[0]; s[1] += w[1]; s[2] += w[2]; s[3] += w[3];
	}
	for (; i < size; i++) s[0] += p[i];
	return s[0] + s[1] + s[2] + s[3];
}

static inline uint8_t bench_fill_byte(uint64_t seq) { return (uint8_t)(seq % 251 + 1); }

/* bench_sum of `size` bytes of bench_fill_byte(seq) */
static inline uint64_t bench_fill_sum(uint64_t seq, size_t size)
{
	uint64_t b = bench_fill_byte(seq);
	return (uint64_t)(size / 32) * 4 * (b * 0x0101010101010101ull) + (uint64_t)(size % 32) * b;
}

/* ---- the client side (component.c) ---- */

/* one configuration: its batches run in every round, on its placement */
struct bench_op {
	const char  *name;        /* the series' name, e.g. "rom.x" */
	bool         same_core;
	bench_run_fn run;         /* gets the op itself as `arg` */
	size_t       size;        /* a parameter of the run function */
	int          chunk;       /* operations per run while calibrating (0: 8) */
	const char  *aux_name;    /* a second series the run function fills (aux), or NULL */
	double       aux;         /* set by the run function for the batch just run */
	int          k;           /* operations per batch */
	double      *res, *aux_res;
};

/* static: the config's handler points into it */
struct bench_client {
	cairn_env   *env;
	cairn_config config;
	int          rounds;
	int          cpu_a, cpu_b;
	bool         pin;
	int          placed;      /* -1: not yet, 0: cross, 1: same */
	uint64_t     batch_ns;
	int          max_k;
	char         only[32];
};

/* open the config and read rounds, cpu_a, cpu_b, pin, only */
void bench_client_init(struct bench_client *c, cairn_env *env, uint64_t batch_ns, int max_k);

/* calibrate every op, run the rounds, send the series and "done" */
void bench_client_run(struct bench_client *c, struct bench_op *ops, int nops);
