/* init_config.c - libFuzzer target: init's config parsing, routing, placement and start-node comparison */
#include "../../src/init/config.h"
#include "../../src/init/prio.h"
#include "../../src/init/route.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Input layout: <old config> '\0' <new config> (a missing '\0': both the
 * same). The old config is parsed as init's first config, the new one as
 * an update. For every config that parses, each child routes requests for
 * a few services (the declared ones included) with a few labels, with
 * children present or absent as the input's bytes say; for each child
 * present in both configs the start nodes are compared. Invariants:
 * a route to a child goes to a present child that declares the service; a
 * denial carries a message; an update is refused whenever the first
 * parse refused it for other reasons than dangling names; all memory of a
 * config is freed.
 */

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static long live;

static void *f_alloc(void *ctx, size_t size) { live++; return malloc(size); }
static void  f_free(void *ctx, void *p)      { live--; free(p); }

static const init_alloc alloc = { f_alloc, f_free, NULL };

static void no_diag(void *ctx, init_diag_level level, const char *msg)
{
	REQUIRE(level != INIT_DIAG_NONE && msg[0]);
}

static void route_all(const init_config *c, const uint8_t *bits, size_t nbits)
{
	static const char *services[] = { "LOG", "ROM", "Timer", "PD", "CPU", "Report" };
	static const char *labels[]   = { "", "config", "x -> binary", "to_server" };
	bool present[256];

	for (unsigned i = 0; i < c->num_starts && i < 256; i++)
		present[i] = nbits ? (bits[i % nbits] >> (i % 8)) & 1 : true;
	if (c->num_starts > 256)
		return;

	for (unsigned i = 0; i < c->num_starts; i++) {
		const init_start *s = &c->starts[i];
		cairn_pd_sched    p = init_placement(c, s);
		REQUIRE(p.priority < 65536 && p.xpos < p.space_w && p.ypos < p.space_h);
		REQUIRE(p.xpos + p.width <= p.space_w && p.ypos + p.height <= p.space_h);
		REQUIRE(p.width >= 1 && p.height >= 1);

		for (unsigned j = 0; j < sizeof services / sizeof *services + s->num_provides; j++) {
			const char *service = j < sizeof services / sizeof *services
			                    ? services[j] : s->provides[j - sizeof services / sizeof *services];
			for (unsigned k = 0; k < sizeof labels / sizeof *labels; k++) {
				char args[200], label[INIT_LABEL_MAX];
				snprintf(args, sizeof args, "ram_quota=8K, label=\"%s\"", labels[k]);
				if (init_request_label(s, service, args, label) != INIT_REQ_ROUTE)
					continue;
				init_route_result r;
				init_route(c, present, i, service, label, &r);
				if (r.kind == INIT_ROUTE_CHILD) {
					REQUIRE(r.server < c->num_starts && present[r.server]);
					REQUIRE(init_start_provides(&c->starts[r.server], service));
				} else if (r.kind == INIT_ROUTE_PARENT) {
					REQUIRE(init_config_parent_provides(c, service));
				} else {
					REQUIRE(r.level != INIT_DIAG_NONE && r.msg[0]);
				}
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul  = memchr(text, 0, size);
	size_t      len_a = nul ? (size_t)(nul - text) : size;
	const char *b     = nul ? nul + 1 : text;
	size_t      len_b = nul ? size - len_a - 1 : size;
	init_config *ca = NULL, *cb = NULL, *cu = NULL;

	init_config_result ra = init_config_parse(text, len_a, &alloc, 0, no_diag, NULL, &ca);
	init_config_result rb = init_config_parse(b, len_b, &alloc, INIT_PARSE_UPDATE, no_diag, NULL, &cb);
	init_config_result ru = init_config_parse(b, len_b, &alloc, 0, no_diag, NULL, &cu);

	REQUIRE((ra == INIT_CONFIG_OK) == (ca != NULL));
	/* an update is at least as strict as a first config */
	REQUIRE(rb != INIT_CONFIG_OK || ru == INIT_CONFIG_OK);
	if (ru == INIT_CONFIG_SYNTAX)
		REQUIRE(rb == INIT_CONFIG_SYNTAX);

	if (ca)
		route_all(ca, data, size < 32 ? size : 32);
	if (cb)
		route_all(cb, (const uint8_t *)b, len_b < 32 ? len_b : 32);

	if (ca && cb) {
		for (unsigned i = 0; i < ca->num_starts; i++) {
			int j = init_config_start_index(cb, ca->starts[i].name);
			if (j < 0)
				continue;
			unsigned d = init_start_compare(&ca->starts[i], &cb->starts[j]);
			REQUIRE(d < (INIT_START_RESTART << 1));
			REQUIRE(init_start_compare(&ca->starts[i], &ca->starts[i]) == INIT_START_SAME);
			if (d == INIT_START_SAME)
				REQUIRE(ca->starts[i].node_len == cb->starts[j].node_len);
		}
	}
	char buf[32];
	init_size_str(size, buf, sizeof buf);

	init_config_free(ca);
	init_config_free(cb);
	init_config_free(cu);
	REQUIRE(live == 0);
	return 0;
}
