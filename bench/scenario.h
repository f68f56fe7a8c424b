/* scenario.h - drivers of the component benchmarks: boot core + init, place the processes, collect series */
#pragma once

#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>

/*
 * A scenario is a boot directory under /tmp with copies of the modules
 * (others may rebuild the binaries while we measure) and a generated
 * config. Core runs there as the leader of a session of its own with its
 * output on a pipe; this program is the subreaper of everything core
 * starts, so stopping kills core's process group and reaps all of it.
 *
 * The client component drives the measurement (bench/component.h): it
 * asks to be placed ("pin same" / "pin cross"), and the driver pins the
 * servers' threads to CPU a, then the client's to CPU a or b; it sends
 * its series ("data NAME I V...") and ends with "done". Other lines of
 * the client are shown; a line with "Error" from anyone ends the run.
 */

enum {
	SCEN_SERVERS_MAX = 4,
	SCEN_SERIES_MAX  = 64,
	SCEN_BUF         = 16384,
	SCEN_STALL_MS    = 60000,   /* no line for this long: something hangs */
};

/* what every generated config starts with: the parent's services, routes to parent or any child */
#define SCEN_CONFIG_HEAD \
	"<config>\n" \
	"\t<parent-provides>\n" \
	"\t\t<service name=\"ROM\"/> <service name=\"PD\"/> <service name=\"CPU\"/> <service name=\"LOG\"/>\n" \
	"\t</parent-provides>\n" \
	"\t<default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>\n"

/* the peer of the benchmark components (bench/server.c); takes its RAM quantum in KiB (%zu) */
#define SCEN_BENCH_SERVER \
	"\t<start name=\"bench_server\">\n" \
	"\t\t<resource name=\"RAM\" quantum=\"%zuK\"/>\n" \
	"\t\t<provides> <service name=\"Bench\"/> </provides>\n" \
	"\t</start>\n"

struct series {
	char    name[48];
	double *v;
	int     n;   /* values received */
};

struct scenario {
	char              dir[32];
	const char       *client;                /* the module that drives */
	const char       *servers[SCEN_SERVERS_MAX];
	int               nservers;
	int               cpu_a, cpu_b, rounds;
	size_t            bulk;                  /* bench/packet: bytes of the bulk buffer */
	const char       *only;                  /* run this series alone (for profiling) */
	pid_t             core;
	int               out;                   /* read end of core's output */
	char              buf[SCEN_BUF];
	size_t            len;
	struct series     series[SCEN_SERIES_MAX];
	int               nseries;
	struct load_probe load;
};

static struct scenario *scen_running;   /* for the interrupt handler */

static int scen_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

/* the boot directory and what core made in it (the sandbox's empty root) */
static void scen_remove_dir(struct scenario *s)
{
	if (s->dir[0]) nftw(s->dir, scen_remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	s->dir[0] = 0;
}

static void scen_kill(struct scenario *s)
{
	if (s->core > 0) kill(-s->core, SIGKILL);
	s->core = 0;
	while (waitpid(-1, 0, 0) > 0 || errno == EINTR) {}
}

static void scen_on_interrupt(int sig)
{
	if (scen_running) {
		if (scen_running->core > 0) kill(-scen_running->core, SIGKILL);
		scen_remove_dir(scen_running);
	}
	_exit(128 + sig);
}

__attribute__((format(printf, 2, 3), noreturn))
static void scen_die(struct scenario *s, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "bench %s: ", s->client);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	scen_kill(s);
	scen_remove_dir(s);
	exit(1);
}

static void scen_copy(struct scenario *s, const char *bindir, const char *mod)
{
	char from[PATH_MAX], to[96];
	struct stat st;
	snprintf(from, sizeof(from), "%s/%s", bindir, mod);
	snprintf(to, sizeof(to), "%s/%s", s->dir, mod);
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (in < 0 || out < 0 || fstat(in, &st) < 0) scen_die(s, "cannot copy %s: %s", from, strerror(errno));
	for (off_t left = st.st_size; left > 0;) {
		ssize_t n = sendfile(out, in, 0, (size_t)left);
		if (n <= 0) scen_die(s, "cannot copy %s: %s", from, n ? strerror(errno) : "short file");
		left -= n;
	}
	close(in);
	close(out);
}

/* a fresh boot directory; the interrupt handler removes it */
static void scen_prepare(struct scenario *s)
{
	snprintf(s->dir, sizeof(s->dir), "/tmp/cairn-bench.XXXXXX");
	if (!mkdtemp(s->dir)) scen_die(s, "mkdtemp: %s", strerror(errno));
	scen_running = s;
	signal(SIGINT, scen_on_interrupt);
	signal(SIGTERM, scen_on_interrupt);
	signal(SIGHUP, scen_on_interrupt);
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) scen_die(s, "subreaper: %s", strerror(errno));
}

/* copy the modules (a NULL-terminated list) from `bindir` into the boot directory */
static void scen_modules(struct scenario *s, const char *bindir, const char *const *mods)
{
	for (; *mods; mods++)
		scen_copy(s, bindir, *mods);
}

/*
 * Options of a driver: --bin DIR (core, init, servers), --bench DIR (the
 * benchmark components), --rounds R, --bulk BYTES (bench/packet), --only
 * NAME (run one series alone, e.g. under perf). Copies `bin_mods` from
 * the one and `bench_mods` from the other into a fresh boot directory.
 * Needs two CPUs.
 */
static void scen_setup(struct scenario *s, int argc, char **argv,
                       const char *const *bin_mods, const char *const *bench_mods)
{
	const char *bin = 0, *bench = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bin") && i + 1 < argc) bin = argv[++i];
		else if (!strcmp(argv[i], "--bench") && i + 1 < argc) bench = argv[++i];
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) s->rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bulk") && i + 1 < argc) s->bulk = strtoul(argv[++i], 0, 0);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc) s->only = argv[++i];
		else bin = 0, i = argc;
	}
	if (!bin || !bench || s->rounds < 1 || s->rounds > 100000) {
		fprintf(stderr, "usage: %s --bin DIR --bench DIR [--rounds R] [--bulk BYTES] [--only NAME]\n",
		        argv[0]);
		exit(2);
	}
	int cpu[2];
	if (usable_cpus(cpu) < 2) {
		fprintf(stderr, "%s: needs two CPUs\n", argv[0]);
		exit(2);
	}
	s->cpu_a = cpu[0];
	s->cpu_b = cpu[1];
	setvbuf(stdout, 0, _IOLBF, 0);
	scen_prepare(s);
	scen_modules(s, bin, bin_mods);
	scen_modules(s, bench, bench_mods);
}

/* the client's <config> attributes every driver passes */
static void scen_client_attrs(struct scenario *s, char *buf, size_t size)
{
	snprintf(buf, size, "rounds=\"%d\" cpu_a=\"%d\" cpu_b=\"%d\" only=\"%s\"",
	         s->rounds, s->cpu_a, s->cpu_b, s->only ? s->only : "");
}

/* write the config and start core */
static void scen_boot(struct scenario *s, const char *config)
{
	char path[96];
	int p[2];
	snprintf(path, sizeof(path), "%s/config", s->dir);
	FILE *f = fopen(path, "w");
	if (!f || fputs(config, f) < 0 || fclose(f) < 0) scen_die(s, "cannot write %s", path);
	if (pipe2(p, O_CLOEXEC) < 0) scen_die(s, "pipe: %s", strerror(errno));
	load_read(&s->load);
	s->core = fork();
	if (s->core < 0) scen_die(s, "fork: %s", strerror(errno));
	if (s->core == 0) {
		setsid();
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (chdir(s->dir) < 0) _exit(127);
		execl("./core", "core", (char *)0);
		_exit(127);
	}
	close(p[1]);
	s->out = p[0];
}

/* the next line of core's output (valid until the next call); NULL when core's output ended */
static char *scen_line(struct scenario *s)
{
	static char line[SCEN_BUF];
	for (;;) {
		char *nl = memchr(s->buf, '\n', s->len);
		if (nl) {
			size_t n = (size_t)(nl - s->buf);
			memcpy(line, s->buf, n);
			line[n] = 0;
			memmove(s->buf, nl + 1, s->len - n - 1);
			s->len -= n + 1;
			return line;
		}
		if (s->len == sizeof(s->buf)) s->len = 0;   /* an absurd line: drop it */
		struct pollfd pfd = { s->out, POLLIN, 0 };
		int r = poll(&pfd, 1, SCEN_STALL_MS);
		if (r < 0 && errno == EINTR) continue;
		if (r == 0) scen_die(s, "no output for %d s: stalled", SCEN_STALL_MS / 1000);
		ssize_t got = r < 0 ? -1 : read(s->out, s->buf + s->len, sizeof(s->buf) - s->len);
		if (got <= 0) return 0;
		s->len += (size_t)got;
	}
}

/* the scenario's processes (core's process group) named `comm`, or all if NULL */
static int scen_pids(struct scenario *s, const char *comm, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) && n < max) {
		char path[300], buf[512];
		pid_t pid = atoi(e->d_name);
		if (pid <= 0) continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		FILE *f = fopen(path, "r");
		if (!f) continue;
		size_t r = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[r] = 0;
		char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
		int pgrp;
		if (!open_paren || !close_paren || sscanf(close_paren + 2, "%*c %*d %d", &pgrp) != 1) continue;
		*close_paren = 0;
		if (pgrp == s->core && (!comm || !strcmp(open_paren + 1, comm))) pids[n++] = pid;
	}
	if (d) closedir(d);
	return n;
}

/* pin every thread of the processes named `comm` */
static void scen_pin(struct scenario *s, const char *comm, int cpu)
{
	pid_t pids[8];
	int n = scen_pids(s, comm, pids, 8);
	if (!n) scen_die(s, "no process %s to pin", comm);
	for (int i = 0; i < n; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", (int)pids[i]);
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (atoi(e->d_name) > 0) pin(atoi(e->d_name), cpu);
		if (d) closedir(d);
	}
}

static struct series *scen_series_find(struct scenario *s, const char *name, bool create)
{
	for (int i = 0; i < s->nseries; i++)
		if (!strcmp(s->series[i].name, name)) return &s->series[i];
	if (!create || s->nseries == SCEN_SERIES_MAX) return 0;
	struct series *x = &s->series[s->nseries++];
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->v = calloc((size_t)s->rounds, sizeof(double));
	if (!x->v) scen_die(s, "no memory");
	return x;
}

/* "data NAME I V V ...": values I, I+1, ... of a series */
static void scen_take_data(struct scenario *s, char *text)
{
	char *save, *name = strtok_r(text, " ", &save), *first = strtok_r(0, " ", &save);
	struct series *x = name && first ? scen_series_find(s, name, true) : 0;
	if (!x) scen_die(s, "bad data line");
	int i = atoi(first);
	for (char *v = strtok_r(0, " ", &save); v; v = strtok_r(0, " ", &save), i++) {
		if (i < 0 || i >= s->rounds) scen_die(s, "series %s: value %d out of range", name, i);
		x->v[i] = atof(v);
		x->n++;
	}
}

/* run until the client says "done": place the processes when asked, collect the series */
static void scen_run(struct scenario *s)
{
	char client_label[64];
	snprintf(client_label, sizeof(client_label), "[init -> %s] ", s->client);
	size_t cl = strlen(client_label);
	for (char *line; (line = scen_line(s));) {
		if (strstr(line, "Error")) scen_die(s, "%s", line);
		if (strncmp(line, client_label, cl)) {
			printf("          | %s\n", line);
			continue;
		}
		char *text = line + cl;
		if (!strcmp(text, "done")) return;
		if (!strncmp(text, "data ", 5)) { scen_take_data(s, text + 5); continue; }
		if (!strcmp(text, "pin same") || !strcmp(text, "pin cross")) {
			for (int i = 0; i < s->nservers; i++) scen_pin(s, s->servers[i], s->cpu_a);
			scen_pin(s, s->client, !strcmp(text, "pin same") ? s->cpu_a : s->cpu_b);
			continue;
		}
		printf("          %s: %s\n", s->client, text);
	}
	scen_die(s, "core's output ended before the client was done");
}

/* stop the scenario and report the others' load meanwhile */
static void scen_stop(struct scenario *s, const char *what)
{
	pid_t pids[64];
	int n = scen_pids(s, 0, pids, 64);
	uint64_t own = proc_runtime_ns(getpid());
	for (int i = 0; i < n; i++) own += proc_runtime_ns(pids[i]);
	load_report(&s->load, what, own);
	scen_kill(s);
	close(s->out);
	scen_remove_dir(s);
	scen_running = 0;
}

/* the whole measurement: set up, boot with the config `write_config` makes, run, stop */
static void scen_measure(struct scenario *s, int argc, char **argv,
                         const char *const *bin_mods, const char *const *bench_mods,
                         void (*write_config)(struct scenario *, char *, size_t), const char *what)
{
	static char config[4096];
	scen_setup(s, argc, argv, bin_mods, bench_mods);
	write_config(s, config, sizeof(config));
	scen_boot(s, config);
	scen_run(s);
	scen_stop(s, what);
}

/* the values of a series (all rounds); fatal if the client did not send them */
static const double *scen_values(struct scenario *s, const char *name)
{
	struct series *x = scen_series_find(s, name, false);
	if (!x || x->n < s->rounds) scen_die(s, "series %s missing or short", name);
	return x->v;
}

static double scen_ratio(struct scenario *s, const char *a, const char *b)
{
	return paired_ratio(scen_values(s, a), scen_values(s, b), s->rounds);
}

/*
 * The spin-then-sleep transport is bimodal across cores (doc/benchmarks.md):
 * the share of rounds far from the series' best tenth, i.e. over 4x its
 * 10th percentile (latency) or under 1/2 of its 90th (throughput).
 */
static double scen_slow_share(struct scenario *s, const char *name, bool throughput)
{
	const double *v = scen_values(s, name);
	double best = quantile(v, s->rounds, throughput ? 0.9 : 0.1);
	int slow = 0;
	for (int i = 0; i < s->rounds; i++)
		slow += throughput ? v[i] < best / 2 : v[i] > 4 * best;
	return 100.0 * slow / s->rounds;
}

static void scen_print_bimodal(struct scenario *s, const char *const *names, int n, bool throughput)
{
	printf("bimodal   rounds %s:", throughput ? "under 1/2 of the series' p90" : "over 4x the series' p10");
	for (int i = 0; i < n; i++) printf(" %s %.0f%%", names[i], scen_slow_share(s, names[i], throughput));
	printf("\n");
}

/* a figure line: median over the rounds, with the series NAME.k (operations per batch) */
static void scen_print(struct scenario *s, const char *name, const char *what, const char *unit, int decimals)
{
	char k[64];
	snprintf(k, sizeof(k), "%s.k", name);
	struct series *x = scen_series_find(s, k, false);
	print_series(name, what, scen_values(s, name), s->rounds, x ? (int)x->v[0] : 0, unit, decimals);
}

/* print the one series of an --only run; true if it was one */
static bool scen_print_only(struct scenario *s, const char *unit, int decimals)
{
	if (s->only) scen_print(s, s->only, "alone", unit, decimals);
	return s->only != 0;
}
