/* common.h - helpers shared by the benchmark programs: clocks, pinning, statistics */
#pragma once

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* pin `pid` (0: the caller) to one CPU; fatal if the kernel refuses */
static inline void pin(pid_t pid, int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(pid, sizeof(set), &set) < 0) {
		fprintf(stderr, "bench: cannot pin %d to CPU %d: %s\n", (int)pid, cpu, strerror(errno));
		exit(2);
	}
}

/* the first two CPUs the caller may run on; returns how many were found */
static inline int usable_cpus(int cpu[2])
{
	cpu_set_t set;
	int n = 0;
	if (sched_getaffinity(0, sizeof(set), &set) < 0) return 0;
	for (int i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set)) cpu[n++] = i;
	return n;
}

static inline void futex_wait(_Atomic uint32_t *word, uint32_t val)
{
	syscall(SYS_futex, word, FUTEX_WAIT, val, 0, 0, 0);
}

static inline void futex_wake(_Atomic uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, 0, 0, 0);
}

/* wait until *word differs from `old`: spin first if `spin` (the waker runs on another CPU), then sleep */
static inline void await_change(_Atomic uint32_t *word, uint32_t old, int spin)
{
	for (int i = 0; spin && i < 100000; i++) {
		if (atomic_load_explicit(word, memory_order_acquire) != old) return;
		cpu_relax();
	}
	while (atomic_load_explicit(word, memory_order_acquire) == old)
		futex_wait(word, old);
}

/*
 * Signal latency: the handler stamps its clock into memory shared with
 * the submitter, which takes its own clock just before submitting. One
 * signal at a time.
 */
struct sig_stamp {
	_Alignas(64) _Atomic uint64_t t1;   /* the handler's clock */
	_Atomic uint32_t              done; /* handlers run so far */
};

/* in the handler */
static inline void sig_stamp_mark(struct sig_stamp *s)
{
	atomic_store_explicit(&s->t1, now_ns(), memory_order_relaxed);
	atomic_fetch_add_explicit(&s->done, 1, memory_order_release);
	futex_wake(&s->done);
}

/* call `submit(arg)` and wait for the handler; returns submit-to-handler ns */
static inline uint64_t sig_stamp_once(struct sig_stamp *s, void (*submit)(void *), void *arg, int spin)
{
	uint32_t done = atomic_load_explicit(&s->done, memory_order_acquire);
	uint64_t t0 = now_ns();
	submit(arg);
	await_change(&s->done, done, spin);
	uint64_t t1 = atomic_load_explicit(&s->t1, memory_order_relaxed);
	return t1 > t0 ? t1 - t0 : 0;
}

/*
 * Batches. A run function performs `n` operations of one configuration
 * and returns the figure of the batch (ns per operation, MB/s, ...).
 */
typedef double (*bench_run_fn)(void *arg, int n);

/*
 * Operations per batch: as many as take `batch_ns`, counted over a few
 * batches' time in runs of `chunk` operations (a run of throughput
 * operations pays its pipeline's fill and drain: make it long).
 */
static inline int bench_calibrate(bench_run_fn run, void *arg, uint64_t batch_ns, int max_k, int chunk)
{
	run(arg, 64);
	long n = 0;
	uint64_t t0 = now_ns(), t;
	while ((t = now_ns()) - t0 < 4 * batch_ns) {
		run(arg, chunk);
		n += chunk;
	}
	double k = (double)batch_ns * (double)n / (double)(t - t0);
	return k < 16 ? 16 : k > max_k ? max_k : (int)k;
}

/* one batch: n/8+4 untimed operations (migration, caches, spin phases settle), then n timed */
static inline double bench_batch(bench_run_fn run, void *arg, int n)
{
	run(arg, n / 8 + 4);
	return run(arg, n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* the q-quantile (0..1) of n values, by linear interpolation; sorts a copy */
static inline double quantile(const double *v, int n, double q)
{
	if (n <= 0) return 0;
	double *s = malloc(sizeof(double) * (size_t)n);
	if (!s) return 0;
	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	double pos = q * (n - 1);
	int i = (int)pos;
	double r = i + 1 < n ? s[i] + (s[i + 1] - s[i]) * (pos - i) : s[i];
	free(s);
	return r;
}

static inline double median(const double *v, int n) { return quantile(v, n, 0.5); }

/* median of the paired ratios a[i]/b[i]: drift of the machine cancels per pair */
static inline double paired_ratio(const double *a, const double *b, int n)
{
	double *r = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (b[i] > 0) r[k++] = a[i] / b[i];
	double m = median(r, k);
	free(r);
	return m;
}

/* one figure: median over the rounds of the batch figures, quartiles, mean */
static inline void print_series(const char *name, const char *what, const double *v, int rounds, int k,
                                const char *unit, int decimals)
{
	double mean = 0;
	for (int i = 0; i < rounds; i++) mean += v[i] / rounds;
	printf("%-9s %-48s %10.*f %-4s (p25 %.*f, p75 %.*f, mean %.*f; %d rounds of %d)\n", name, what,
	       decimals, median(v, rounds), unit, decimals, quantile(v, rounds, 0.25),
	       decimals, quantile(v, rounds, 0.75), decimals, mean, rounds, k);
}

/* print one target line: "ratio <name>  <value>  target <op> <limit>  met|NOT MET" */
static inline void print_ratio(const char *name, double value, const char *op, double limit)
{
	if (!op) {
		printf("  ratio  %-44s %9.2f\n", name, value);
		return;
	}
	int met = op[0] == '<' ? value <= limit : value >= limit;
	printf("  ratio  %-44s %9.2f   target %s %g: %s\n", name, value, op, limit, met ? "met" : "NOT MET");
}

/*
 * Load of the machine during a benchmark: CPU time of all processes
 * (/proc/stat) minus the benchmark's own, as a share of all CPUs, and the
 * time the hypervisor gave to others (steal). A busy or stolen machine
 * explains odd figures; the ratios are meant to hold regardless.
 */
struct load_probe {
	unsigned long long busy, steal;   /* clock ticks, all CPUs */
	uint64_t wall;
};

static inline void load_read(struct load_probe *p)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	p->busy = p->steal = 0;
	p->wall = now_ns();
	if (!f) return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
	           &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		p->busy  = v[0] + v[1] + v[2] + v[5] + v[6];
		p->steal = v[7];
	}
	fclose(f);
}

/* print the others' share; `own_ns` is the CPU time the benchmark used meanwhile */
static inline void load_report(struct load_probe const *a, const char *what, uint64_t own_ns)
{
	struct load_probe b;
	load_read(&b);
	double tick = 1e9 / (double)sysconf(_SC_CLK_TCK);
	double cap  = (double)(b.wall - a->wall) * (double)sysconf(_SC_NPROCESSORS_ONLN);
	double other = ((double)(b.busy - a->busy) * tick - (double)own_ns) / cap * 100;
	double steal = (double)(b.steal - a->steal) * tick / cap * 100;
	printf("load      other processes used %.0f %% of all CPUs during the %s (steal %.0f %%)%s\n",
	       other < 0 ? 0 : other, what, steal,
	       other > 25 ? ": busy machine, figures are noisier than usual" : "");
}

/* run time of a process in ns (schedstat), 0 if unknown */
static inline uint64_t proc_runtime_ns(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f) { if (fscanf(f, "%llu", &ns) != 1) ns = 0; fclose(f); }
	return ns;
}
