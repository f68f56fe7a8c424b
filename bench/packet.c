/* packet.c - packet-stream throughput between two components, against memcpy of the same buffer size */

#include "scenario.h"

/*
 * core + init + bench_server (the sink) + bench_packet (the source,
 * packet_client.c). The sink runs on CPU a, the source on b (cross-core,
 * ".x") or a (same core, ".s"); memcpy runs on b, in the same rounds.
 */
static const char *const bin_mods[]   = { "core", "init", 0 };
static const char *const bench_mods[] = { "bench_server", "bench_packet", 0 };

static const struct { const char *name, *what; } sizes[] = {
	{ "1500", "1500 B packets" },
	{ "4k",   "4 KiB packets" },
	{ "64k",  "64 KiB packets" },
};
enum { NSIZES = sizeof(sizes) / sizeof(sizes[0]) };

static void write_config(struct scenario *s, char *buf, size_t size)
{
	char attrs[200];
	scen_client_attrs(s, attrs, sizeof(attrs));
	snprintf(buf, size, SCEN_CONFIG_HEAD
	         SCEN_BENCH_SERVER
	         "\t<start name=\"bench_packet\">\n"
	         "\t\t<resource name=\"RAM\" quantum=\"%zuK\"/>\n"
	         "\t\t<config %s buffer_size=\"%zu\"/>\n"
	         "\t</start>\n"
	         "</config>\n",
	         s->bulk / 1024 + 2048, 4 * s->bulk / 1024 + 2048, attrs, s->bulk);
}

int main(int argc, char **argv)
{
	static struct scenario s = { .client = "bench_packet", .servers = { "bench_server" },
	                             .nservers = 1, .rounds = 61, .bulk = 256 * 1024 };

	scen_measure(&s, argc, argv, bin_mods, bench_mods, write_config, "packet-stream benchmark");
	if (scen_print_only(&s, "MB/s", 0)) return 0;

	for (int place = 0; place < 4; place++)
		for (int i = 0; i < NSIZES; i++) {
			static const char *const prefix[] = { "ps%s.x", "ps%s.s", "copy%s", "touch%s" };
			static const char *const where[] = { "packet stream, %s, cross-core", "packet stream, %s, same core",
			                                     "memcpy in pieces of %s", "fill + read of %s, no stream" };
			char name[32], what[80];
			snprintf(name, sizeof(name), prefix[place], sizes[i].name);
			snprintf(what, sizeof(what), where[place], sizes[i].what);
			scen_print(&s, name, what, "MB/s", 0);
		}
	static const char *const streams[] = { "ps1500.x", "ps4k.x", "ps64k.x", "ps1500.s", "ps4k.s", "ps64k.s" };
	scen_print_bimodal(&s, streams, 6, true);
	printf("ratios (median of per-round ratios):\n");
	for (int base = 0; base < 2; base++)
		for (int place = 0; place < 2; place++)
			for (int i = 0; i < NSIZES; i++) {
				char a[32], b[32], what[80];
				snprintf(a, sizeof(a), "ps%s.%s", sizes[i].name, place ? "s" : "x");
				snprintf(b, sizeof(b), "%s%s", base ? "touch" : "copy", sizes[i].name);
				snprintf(what, sizeof(what), "%s / %s", a, b);
				print_ratio(what, scen_ratio(&s, a, b), 0, 0);
			}
	return 0;
}
