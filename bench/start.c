/* start.c - component start, memory and idle CPU of a core + init + N children scenario */

#include "common.h"

#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

/*
 * A scenario is a boot directory under /tmp with symlinks to core, init
 * and dummy and a generated config that starts N dummies, each logging
 * "started". Core runs as the leader of a session of its own with its
 * output on a pipe; the time from the fork of core to the N-th
 * "[init -> dK] started" line is the start figure. The scenario ends by
 * killing its process group; this program is the subreaper of everything
 * it starts, so it reaps every component before the next measurement.
 *
 * The baseline is fork+exec+wait of N static trivial processes, one after
 * the other, in the same round as the scenario.
 */

enum { MAX_N = 1000, MAX_PIDS = 4096 };

static const char *bindir, *trivial;
static char tmpdir[] = "/tmp/cairn-bench.XXXXXX";

static void die(const char *what)
{
	fprintf(stderr, "bench start: %s: %s\n", what, strerror(errno));
	exit(1);
}

/*
 * Others may rebuild the binaries while we measure: the boot directories
 * link to a snapshot of them, taken once.
 */
static void snapshot(void)
{
	static const char *mods[] = { "core", "init", "dummy" };
	static char snap[PATH_MAX];
	snprintf(snap, sizeof(snap), "%s/bin", tmpdir);
	if (mkdir(snap, 0700) < 0) die("mkdir");
	for (int i = 0; i < 3; i++) {
		char from[PATH_MAX + 16], to[PATH_MAX + 16], buf[65536];
		snprintf(from, sizeof(from), "%s/%s", bindir, mods[i]);
		snprintf(to, sizeof(to), "%s/%s", snap, mods[i]);
		int in = open(from, O_RDONLY | O_CLOEXEC), out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
		if (in < 0 || out < 0) die(from);
		ssize_t r;
		while ((r = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)r) != r) die("copy");
		if (r < 0 || close(out) < 0) die("copy");
		close(in);
	}
	bindir = snap;
}

static void bootdir(int n, char *dir, size_t size)
{
	snprintf(dir, size, "%s/n%d", tmpdir, n);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) die("mkdir");
	static const char *mods[] = { "core", "init", "dummy" };
	for (int i = 0; i < 3; i++) {
		char from[512], to[512];
		snprintf(from, sizeof(from), "%s/%s", bindir, mods[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, mods[i]);
		if (access(from, X_OK) < 0) die(from);
		if (symlink(from, to) < 0 && errno != EEXIST) die("symlink");
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/config", dir);
	FILE *f = fopen(path, "w");
	if (!f) die("config");
	fprintf(f, "<config>\n"
	           "\t<parent-provides>\n"
	           "\t\t<service name=\"ROM\"/> <service name=\"PD\"/>\n"
	           "\t\t<service name=\"CPU\"/> <service name=\"LOG\"/>\n"
	           "\t</parent-provides>\n"
	           "\t<default-route> <any-service> <parent/> </any-service> </default-route>\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "\t<start name=\"d%d\">\n"
		           "\t\t<binary name=\"dummy\"/>\n"
		           "\t\t<resource name=\"RAM\" quantum=\"1M\"/>\n"
		           "\t\t<config><log string=\"started\"/></config>\n"
		           "\t</start>\n", i);
	fprintf(f, "</config>\n");
	fclose(f);
}

static void cleanup(void)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	(void)!system(cmd);
}

/* ----------------------------------------------------------------- scenario */

struct scenario {
	pid_t core;
	int   out;            /* read end of core's output */
	char  buf[8192];
	size_t len;
	int   started;
	int   other;          /* lines that are not "started" */
	char  first_other[200];
	char  last[200];      /* the last line of any kind */
	const char *why;      /* why waiting ended early */
};

static volatile pid_t running_core;   /* for the interrupt handler */

static void on_interrupt(int sig)
{
	if (running_core > 0) kill(-running_core, SIGKILL);
	cleanup();
	_exit(128 + sig);
}

static void scenario_start(struct scenario *s, const char *dir)
{
	int p[2];
	memset(s, 0, sizeof(*s));
	if (pipe2(p, O_CLOEXEC) < 0) die("pipe");
	s->core = fork();
	if (s->core < 0) die("fork");
	if (s->core == 0) {
		setsid();
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (chdir(dir) < 0) _exit(127);
		execl("./core", "core", (char *)0);
		_exit(127);
	}
	close(p[1]);
	s->out = p[0];
	running_core = s->core;
}

static void take_line(struct scenario *s, const char *line)
{
	snprintf(s->last, sizeof(s->last), "%s", line);
	static const char tail[] = "] started";
	size_t n = strlen(line), t = sizeof(tail) - 1;
	if (n >= t && !strcmp(line + n - t, tail)) { s->started++; return; }
	if (!s->other++) snprintf(s->first_other, sizeof(s->first_other), "%s", line);
}

/* read core's output until `n` components said "started"; false on EOF or timeout */
static bool scenario_wait(struct scenario *s, int n, int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	while (s->started < n) {
		uint64_t t = now_ns();
		if (t >= deadline) { s->why = "timeout"; return false; }
		struct pollfd p = { s->out, POLLIN, 0 };
		int r = poll(&p, 1, (int)((deadline - t) / 1000000 + 1));
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) { s->why = r ? "poll failed" : "timeout"; return false; }
		ssize_t got = read(s->out, s->buf + s->len, sizeof(s->buf) - 1 - s->len);
		if (got <= 0) { s->why = "core's output ended (core exited?)"; return false; }
		s->len += (size_t)got;
		s->buf[s->len] = 0;
		char *line = s->buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			take_line(s, line);
			line = nl + 1;
		}
		s->len = strlen(line);
		memmove(s->buf, line, s->len + 1);
		if (s->len == sizeof(s->buf) - 1) s->len = 0;   /* an absurd line: drop it */
	}
	return true;
}

/* kill the scenario and reap every process of it (we are their subreaper) */
static void scenario_stop(struct scenario *s)
{
	kill(-s->core, SIGKILL);
	running_core = 0;
	close(s->out);
	while (waitpid(-1, 0, 0) > 0 || errno == EINTR) {}
}

/* the processes of the scenario: core's process group */
static int scenario_pids(pid_t group, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	if (!d) die("/proc");
	while ((e = readdir(d)) && n < max) {
		char path[300], buf[1024];
		if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		int fd = open(path, O_RDONLY);
		if (fd < 0) continue;
		ssize_t r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (r <= 0) continue;
		buf[r] = 0;
		char *rp = strrchr(buf, ')');
		char state;
		int ppid, pgrp;
		if (!rp || sscanf(rp + 2, "%c %d %d", &state, &ppid, &pgrp) != 3) continue;
		if (pgrp == group && state != 'Z') pids[n++] = atoi(e->d_name);
	}
	closedir(d);
	return n;
}

static long pss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	if (!f) return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pss: %ld kB", &kb) == 1) break;
	fclose(f);
	return kb;
}

/* CPU time of a process: clock ticks from stat (utime+stime), ns from schedstat */
static bool cpu_of(pid_t pid, unsigned long long *ticks, unsigned long long *ns)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0) return false;
	ssize_t r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0) return false;
	buf[r] = 0;
	char *p = strrchr(buf, ')');
	unsigned long long ut, st;
	/* fields 3.. after the comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return false;
	*ticks = ut + st;
	*ns = 0;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f) { if (fscanf(f, "%llu", ns) != 1) *ns = 0; fclose(f); }
	return true;
}

static void comm_of(pid_t pid, char *comm, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "r");
	comm[0] = 0;
	if (f) { if (!fgets(comm, (int)size, f)) comm[0] = 0; fclose(f); }
}

/* CPU time (ns) the scenario's core, init and children have used so far */
static void cpu_by_role(pid_t group, double *core_ns, double *init_ns, double *child_ns)
{
	static pid_t pids[MAX_PIDS];
	int n = scenario_pids(group, pids, MAX_PIDS);
	*core_ns = *init_ns = *child_ns = 0;
	for (int i = 0; i < n; i++) {
		char comm[64];
		comm_of(pids[i], comm, sizeof(comm));
		double t = (double)proc_runtime_ns(pids[i]);
		if (!strncmp(comm, "core", 4)) *core_ns += t;
		else if (!strncmp(comm, "init", 4)) *init_ns += t;
		else *child_ns += t;
	}
}

/* ----------------------------------------------------------------- baselines */

static void spawn_trivial(const char *arg, pid_t *pid)
{
	*pid = fork();
	if (*pid < 0) die("fork");
	if (*pid == 0) {
		execl(trivial, "trivial", arg, (char *)0);
		_exit(127);
	}
}

static uint64_t fork_exec_wait(int n)
{
	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++) {
		pid_t pid;
		int st;
		spawn_trivial(0, &pid);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) die("trivial process failed");
	}
	return now_ns() - t0;
}

/* ----------------------------------------------------------------- figures */

static void fig_start(const int *ns, int nn, int reps)
{
	static double sc[8][256], fe[8][256], cpu_core[8][256], cpu_init[8][256], cpu_child[8][256];
	char dir[512];
	struct scenario s;

	/* warm-up: page cache, first-time costs */
	bootdir(ns[0], dir, sizeof(dir));
	scenario_start(&s, dir);
	if (!scenario_wait(&s, ns[0], 30000)) {
		fprintf(stderr, "bench start: warm-up scenario did not start (%d of %d started; first other line: %s)\n",
		        s.started, ns[0], s.first_other);
		scenario_stop(&s);
		exit(1);
	}
	scenario_stop(&s);
	fork_exec_wait(ns[0]);

	int errors[8] = { 0 };
	char first_error[8][200] = { { 0 } };
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < nn; i++) {
			bootdir(ns[i], dir, sizeof(dir));
			uint64_t t0 = now_ns();
			scenario_start(&s, dir);
			bool ok = scenario_wait(&s, ns[i], 60000);
			uint64_t t = now_ns() - t0;
			if (ok) cpu_by_role(s.core, &cpu_core[i][r], &cpu_init[i][r], &cpu_child[i][r]);
			scenario_stop(&s);
			if (!ok) {
				fprintf(stderr, "bench start: %d children: only %d started after %.1f s: %s\n"
				                "  first other line: %s\n  last line: %s\n",
				        ns[i], s.started, (double)t / 1e9, s.why, s.first_other, s.last);
				exit(1);
			}
			errors[i] = s.other;
			if (s.other) snprintf(first_error[i], sizeof(first_error[i]), "%s", s.first_other);
			sc[i][r] = (double)t;
			fe[i][r] = (double)fork_exec_wait(ns[i]);
		}

	for (int i = 0; i < nn; i++) {
		char what[80];
		snprintf(what, sizeof(what), "start: core+init+%d children up", ns[i]);
		printf("%-9s %-48s %10.2f ms   (p25 %.2f, p75 %.2f; %d rounds)\n", "start", what,
		       median(sc[i], reps) / 1e6, quantile(sc[i], reps, .25) / 1e6, quantile(sc[i], reps, .75) / 1e6, reps);
		snprintf(what, sizeof(what), "fork+exec+wait of %d trivial processes", ns[i]);
		printf("%-9s %-48s %10.2f ms   (p25 %.2f, p75 %.2f; %d rounds)\n", "forkexec", what,
		       median(fe[i], reps) / 1e6, quantile(fe[i], reps, .25) / 1e6, quantile(fe[i], reps, .75) / 1e6, reps);
		printf("%-9s CPU per child until up: core %.2f ms, init %.2f ms, the child %.2f ms "
		       "(medians; all three together %.0f %% of the start time on %ld CPUs)\n", "",
		       median(cpu_core[i], reps) / 1e6 / ns[i], median(cpu_init[i], reps) / 1e6 / ns[i],
		       median(cpu_child[i], reps) / 1e6 / ns[i],
		       100 * (median(cpu_core[i], reps) + median(cpu_init[i], reps) + median(cpu_child[i], reps))
		           / median(sc[i], reps) / (double)sysconf(_SC_NPROCESSORS_ONLN),
		       sysconf(_SC_NPROCESSORS_ONLN));
		if (errors[i])
			printf("          note: core/init printed %d other lines with %d children, first: %s\n",
			       errors[i], ns[i], first_error[i]);
	}
	printf("ratios (median of per-round ratios):\n");
	for (int i = 0; i < nn; i++) {
		char what[80];
		snprintf(what, sizeof(what), "start of %d children / %d fork+exec+wait", ns[i], ns[i]);
		print_ratio(what, paired_ratio(sc[i], fe[i], reps), ns[i] == 100 ? "<=" : 0, 2);
	}
}

static void fig_idle(int n, int secs)
{
	char dir[512];
	struct scenario s;
	static pid_t pids[MAX_PIDS];
	static unsigned long long t0[MAX_PIDS], ns0[MAX_PIDS];

	bootdir(n, dir, sizeof(dir));
	scenario_start(&s, dir);
	if (!scenario_wait(&s, n, 60000)) {
		fprintf(stderr, "bench start: idle scenario: only %d of %d started\n", s.started, n);
		scenario_stop(&s);
		exit(1);
	}
	sleep(1);   /* let the start-up settle */
	int np = scenario_pids(s.core, pids, MAX_PIDS);

	long pss = 0, pss_children = 0, pss_core = 0, pss_init = 0;
	int nchildren = 0, unreadable = 0;
	for (int i = 0; i < np; i++) {
		long kb = pss_kb(pids[i]);
		if (kb < 0) { unreadable++; continue; }
		pss += kb;
		char comm[64];
		comm_of(pids[i], comm, sizeof(comm));
		if (!strncmp(comm, "dummy", 5)) { pss_children += kb; nchildren++; }
		else if (!strncmp(comm, "core", 4)) pss_core += kb;
		else if (!strncmp(comm, "init", 4)) pss_init += kb;
	}

	/* CPU over `secs` seconds of idling */
	for (int i = 0; i < np; i++)
		if (!cpu_of(pids[i], &t0[i], &ns0[i])) t0[i] = ~0ull;
	uint64_t w0 = now_ns();
	sleep((unsigned)secs);
	unsigned long long dticks = 0, dns = 0;
	for (int i = 0; i < np; i++) {
		unsigned long long t, x;
		if (t0[i] == ~0ull || !cpu_of(pids[i], &t, &x)) continue;
		dticks += t - t0[i];
		dns    += x - ns0[i];
	}
	double wall = (double)(now_ns() - w0);
	scenario_stop(&s);

	/* the same number of idle trivial processes, for comparison */
	for (int i = 0; i < n; i++) spawn_trivial("idle", &pids[i]);
	usleep(300000);
	long pss_trivial = 0;
	for (int i = 0; i < n; i++) { long kb = pss_kb(pids[i]); if (kb > 0) pss_trivial += kb; }
	for (int i = 0; i < n; i++) kill(pids[i], SIGKILL);
	while (waitpid(-1, 0, 0) > 0 || errno == EINTR) {}

	double per  = (double)pss / np, per_child = nchildren ? (double)pss_children / nchildren : 0;
	double triv = (double)pss_trivial / n;
	printf("%-9s %-48s %10.0f KiB  (%ld KiB in %d processes: core, its spawner, init, %d children%s)\n",
	       "pss", "PSS per component process, 100 idle children", per, pss, np, nchildren,
	       unreadable ? ", some unreadable" : "");
	printf("%-9s %-48s %10.0f KiB\n", "pss.child", "PSS per idle child (dummy)", per_child);
	printf("%-9s %-48s %10ld KiB\n", "pss.core", "PSS of core", pss_core);
	printf("%-9s %-48s %10ld KiB\n", "pss.init", "PSS of init", pss_init);
	printf("%-9s %-48s %10.0f KiB\n", "pss.triv", "PSS per idle trivial static process", triv);
	double pct_ns = dns / wall * 100, pct_ticks = (double)dticks / (double)sysconf(_SC_CLK_TCK) / (wall / 1e9) * 100;
	printf("%-9s %-48s %10.3f %%    (%llu ticks = %.2f %% by utime+stime; %d processes over %.1f s)\n",
	       "idle.cpu", "CPU of the idle scenario, % of one core", pct_ns, dticks, pct_ticks, np, wall / 1e9);
	printf("ratios:\n");
	print_ratio("PSS per component / PSS per trivial process", per / (triv > 0 ? triv : 1), 0, 0);
	print_ratio("idle CPU of 100 components, % of one core", pct_ns > pct_ticks ? pct_ns : pct_ticks, "<=", 1);
}

int main(int argc, char **argv)
{
	int ns[8] = { 10, 100 }, nn = 2, reps = 9, idle_n = 100, idle_secs = 10;
	bool do_start = true, do_idle = true;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bin") && i + 1 < argc) bindir = argv[++i];
		else if (!strcmp(argv[i], "--trivial") && i + 1 < argc) trivial = argv[++i];
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--idle-secs") && i + 1 < argc) idle_secs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--idle-n") && i + 1 < argc) idle_n = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-idle")) do_idle = false;
		else if (!strcmp(argv[i], "--no-start")) do_start = false;
		else if (!strcmp(argv[i], "--n") && i + 1 < argc) {
			nn = 0;
			for (char *t = strtok(argv[++i], ","); t && nn < 8; t = strtok(0, ","))
				if (atoi(t) > 0 && atoi(t) <= MAX_N) ns[nn++] = atoi(t);
		} else {
			fprintf(stderr, "usage: %s --bin DIR --trivial PATH [--n 10,100] [--reps R] "
			                "[--idle-n N] [--idle-secs S] [--no-idle] [--no-start]\n", argv[0]);
			return 2;
		}
	}
	if (!bindir || !trivial || nn == 0 || reps < 1 || reps > 256) {
		fprintf(stderr, "bench start: --bin and --trivial are required (reps 1..256)\n");
		return 2;
	}
	/* the boot directory's symlinks need absolute targets */
	static char bin_abs[PATH_MAX], triv_abs[PATH_MAX];
	if (!realpath(bindir, bin_abs) || !realpath(trivial, triv_abs)) die("realpath");
	bindir  = bin_abs;
	trivial = triv_abs;
	setvbuf(stdout, 0, _IOLBF, 0);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("subreaper");
	if (!mkdtemp(tmpdir)) die("mkdtemp");
	atexit(cleanup);
	snapshot();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	signal(SIGHUP, on_interrupt);

	struct load_probe load;
	load_read(&load);
	if (do_start) fig_start(ns, nn, reps);
	if (do_idle) fig_idle(idle_n, idle_secs);
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	uint64_t own = 0;
	struct timeval const *tv[4] = { &self.ru_utime, &self.ru_stime, &kids.ru_utime, &kids.ru_stime };
	for (int i = 0; i < 4; i++) own += (uint64_t)tv[i]->tv_sec * 1000000000ull + (uint64_t)tv[i]->tv_usec * 1000ull;
	load_report(&load, "start benchmark", own);
	return 0;
}
