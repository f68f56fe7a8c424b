/* rom.c - ROM update propagation through report_rom, against a null RPC and the signal latency */

#include "scenario.h"

/*
 * core + init + report_rom + bench_server + bench_rom (rom_client.c):
 * bench_rom reports "bench" to report_rom and reads it back as a ROM,
 * with the same rounds' null RPCs, UPDATE RPCs and signals as baselines.
 * report_rom and bench_server run on CPU a, bench_rom on b (cross-core,
 * ".x") or a (same core, ".s").
 */
static const char *const bin_mods[]   = { "core", "init", "report_rom", 0 };
static const char *const bench_mods[] = { "bench_server", "bench_rom", 0 };

static void write_config(struct scenario *s, char *buf, size_t size)
{
	char attrs[200];
	scen_client_attrs(s, attrs, sizeof(attrs));
	snprintf(buf, size, SCEN_CONFIG_HEAD
	         "\t<start name=\"report_rom\">\n"
	         "\t\t<resource name=\"RAM\" quantum=\"4M\"/>\n"
	         "\t\t<provides> <service name=\"ROM\"/> <service name=\"Report\"/> </provides>\n"
	         "\t\t<config> <policy label=\"bench_rom -> bench\" report=\"bench_rom -> bench\"/> </config>\n"
	         "\t</start>\n"
	         SCEN_BENCH_SERVER
	         "\t<start name=\"bench_rom\">\n"
	         "\t\t<resource name=\"RAM\" quantum=\"4M\"/>\n"
	         "\t\t<route>\n"
	         "\t\t\t<service name=\"ROM\" label=\"config\"> <parent/> </service>\n"
	         "\t\t\t<service name=\"ROM\"> <child name=\"report_rom\"/> </service>\n"
	         "\t\t\t<any-service> <parent/> <any-child/> </any-service>\n"
	         "\t\t</route>\n"
	         "\t\t<config %s/>\n"
	         "\t</start>\n"
	         "</config>\n", (size_t)2048, attrs);
}

static const double *values(struct scenario *s, const char *fig, const char *place)
{
	char name[32];
	snprintf(name, sizeof(name), "%s.%s", fig, place);
	return scen_values(s, name);
}

/*
 * a / b: the median of the per-round ratios, or (fast) the ratio of the
 * fastest tenths (10th percentiles over the rounds), which compares the
 * spinning modes of a bimodal pair. `b` may be a sum "rpc+signal+update".
 */
static double ratio(struct scenario *s, const char *a, const char *b, const char *place, bool fast)
{
	double *sum = calloc((size_t)s->rounds, sizeof(double));
	char parts[64], *save;
	if (!sum) scen_die(s, "no memory");
	snprintf(parts, sizeof(parts), "%s", b);
	for (char *p = strtok_r(parts, "+", &save); p; p = strtok_r(0, "+", &save)) {
		const double *v = values(s, p, place);
		double p10 = quantile(v, s->rounds, 0.1);
		for (int i = 0; i < s->rounds; i++) sum[i] += fast ? p10 : v[i];
	}
	const double *va = values(s, a, place);
	double r = fast ? quantile(va, s->rounds, 0.1) / sum[0] : paired_ratio(va, sum, s->rounds);
	free(sum);
	return r;
}

static void print_placement(struct scenario *s, const char *place, const char *where)
{
	static const struct { const char *name, *what; } figs[] = {
		{ "rom",    "ROM update, 23 B report" },
		{ "rom4k",  "ROM update, 3974 B report" },
		{ "rpc",    "null RPC to report_rom" },
		{ "update", "UPDATE RPC of the ROM session alone" },
		{ "signal", "signal submit-to-handler" },
	};
	const char *names[5];
	char buf[5][16];
	for (unsigned i = 0; i < 5; i++) {
		char what[80];
		snprintf(buf[i], sizeof(buf[i]), "%s.%s", figs[i].name, place);
		snprintf(what, sizeof(what), "%s, %s", figs[i].what, where);
		scen_print(s, buf[i], what, "ns", 0);
		names[i] = buf[i];
	}
	for (int big = 0; big < 2; big++) {
		char aux[32], what[80];
		snprintf(aux, sizeof(aux), "%s.submit", names[big]);
		snprintf(what, sizeof(what), "%s: until SUBMIT returned", names[big]);
		printf("%-9s %-48s %10.0f ns   (median; %.2f of the update)\n", "", what,
		       median(scen_values(s, aux), s->rounds), scen_ratio(s, aux, names[big]));
	}
	scen_print_bimodal(s, names, 5, false);
}

static void print_ratios(struct scenario *s, const char *place, bool fast)
{
	static const struct { const char *a, *b, *what; } r[] = {
		{ "rom",    "rpc",               "rom.%1$s / rpc.%1$s" },
		{ "rom",    "signal",            "rom.%1$s / signal.%1$s" },
		{ "rom",    "rpc+signal+rpc",    "rom.%1$s / (2 rpc.%1$s + signal.%1$s)" },
		{ "rom",    "rpc+signal+update", "rom.%1$s / (rpc.%1$s + signal.%1$s + update.%1$s)" },
		{ "update", "rpc",               "update.%1$s / rpc.%1$s" },
		{ "rom4k",  "rom",               "rom4k.%1$s / rom.%1$s" },
	};
	for (unsigned i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		char what[80];
		int len = snprintf(what, sizeof(what), r[i].what, place);
		if (fast) snprintf(what + len, sizeof(what) - (size_t)len, ", p10s");
		print_ratio(what, ratio(s, r[i].a, r[i].b, place, fast), 0, 0);
	}
}

int main(int argc, char **argv)
{
	static struct scenario s = { .client = "bench_rom", .servers = { "report_rom", "bench_server" },
	                             .nservers = 2, .rounds = 101 };

	scen_measure(&s, argc, argv, bin_mods, bench_mods, write_config, "ROM benchmark");
	if (scen_print_only(&s, "ns", 0)) return 0;

	print_placement(&s, "x", "cross-core");
	print_placement(&s, "s", "same core");
	printf("ratios (median of per-round ratios; p10s: of the fastest tenths, the spinning mode):\n");
	print_ratios(&s, "x", false);
	print_ratios(&s, "x", true);
	print_ratios(&s, "s", false);
	print_ratio("rom.s / rom.x", scen_ratio(&s, "rom.s", "rom.x"), 0, 0);
	return 0;
}
