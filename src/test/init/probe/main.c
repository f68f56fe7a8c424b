/* main.c - test-init's probe: a child that consumes RAM, asks for more, yields it back, opens sessions with given args */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/signal.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/args.h>
#include <util/xml.h>

#include <stdio.h>
#include <string.h>

/*
 * Config: steps in document order (after the last one the probe stays,
 * answering yield requests if asked to):
 *   <log string="text"/>
 *   <consume_ram size="1M"/>       allocate RAM from its PD; when the quota
 *                                  is short, ask the parent for the
 *                                  difference once (resource request)
 *   <handle_yield_requests/>       on a yield request free consumed RAM
 *                                  until the request is met, then respond
 *   <session service="LOG" args="phys_start=0x1000"/>  open a session with
 *                                  these args (ram_quota added if absent;
 *                                  entities such as &quot; are decoded)
 *   <report_quota/>                log its RAM quota and usage
 *   <exit code="N"/>
 * Each step logs its outcome, so test-init (which reads its LOG) can check.
 */

enum { MAX_CHUNKS = 256 };

static cairn_env           *env;
static cairn_cap            chunks[MAX_CHUNKS];
static size_t               chunk_size[MAX_CHUNKS];
static unsigned             num_chunks;
static cairn_signal_handler yield_handler;

static size_t avail(void)
{
	size_t quota = 0, used = 0;
	(void)cairn_pd_quota(env->pd, &quota, &used);
	return quota > used ? quota - used : 0;
}

static void consume(size_t size)
{
	cairn_cap ds;
	char      args[64], buf[32];

	snprintf(buf, sizeof buf, "%zu", size);
	if (num_chunks == MAX_CHUNKS) {
		cairn_log("consume_ram %s: too many chunks", buf);
		return;
	}
	int r = cairn_pd_alloc(env->pd, size, &ds);
	if (r == CAIRN_ERR_QUOTA) {
		snprintf(args, sizeof args, "ram_quota=%zu", size - avail() + 8192);
		r = cairn_parent_resource_request(env->parent, args);
		cairn_log("resource request %s: %s", args, r == CAIRN_OK ? "granted" : cairn_err_str(r));
		if (r == CAIRN_OK)
			r = cairn_pd_alloc(env->pd, size, &ds);
	}
	if (r != CAIRN_OK) {
		cairn_log("consume_ram %s failed: %s", buf, cairn_err_str(r));
		return;
	}
	chunks[num_chunks]       = ds;
	chunk_size[num_chunks++] = size;
	cairn_log("consumed %s bytes", buf);
}

static void on_yield(cairn_signal_handler *h, unsigned count)
{
	char   args[CAIRN_ARGS_MAX];
	size_t freed = 0;

	if (cairn_parent_yield_request(env->parent, args, sizeof args) != CAIRN_OK || !args[0])
		return;
	size_t want = args_size(args, "ram_quota", 0);
	while (freed < want && num_chunks) {
		num_chunks--;
		(void)cairn_pd_free(env->pd, chunks[num_chunks]);
		cairn_cap_release(chunks[num_chunks]);
		freed += chunk_size[num_chunks];
	}
	cairn_log("yield request %s: freed %zu bytes", args, freed);
	(void)cairn_parent_yield_response(env->parent);
}


/* an attribute value with the entities &quot; &lt; &gt; &apos; &amp; decoded */
static void attr_decoded(const struct xml_node *n, const char *name, char *dst, size_t len)
{
	static const struct { const char *entity; char c; } map[] = {
		{ "&quot;", '"' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&apos;", '\'' }, { "&amp;", '&' } };
	char   raw[512];
	size_t at = 0;

	xml_attr_string(n, name, raw, sizeof raw, "");
	for (const char *p = raw; *p && at + 1 < len;) {
		bool done = false;
		for (unsigned i = 0; i < sizeof map / sizeof map[0] && !done; i++) {
			size_t l = strlen(map[i].entity);
			if (strncmp(p, map[i].entity, l) == 0) {
				dst[at++] = map[i].c;
				p += l;
				done = true;
			}
		}
		if (!done)
			dst[at++] = *p++;
	}
	dst[at] = '\0';
}

static void open_session(const struct xml_node *n)
{
	char service[CAIRN_SERVICE_NAME_MAX], args[CAIRN_ARGS_MAX];
	cairn_cap s;

	xml_attr_string(n, "service", service, sizeof service, "LOG");
	attr_decoded(n, "args", args, sizeof args);
	if (!args_size(args, "ram_quota", 0)) {
		char with[CAIRN_ARGS_MAX];
		snprintf(with, sizeof with, "ram_quota=8K%s%s", args[0] ? ", " : "", args);
		snprintf(args, sizeof args, "%s", with);
	}
	int r = cairn_parent_session(env->parent, service, args, &s);
	cairn_log("session %s (%s): %s", service, args, r == CAIRN_OK ? "ok" : cairn_err_str(r));
}

static void step(const struct xml_node *n)
{
	char buf[256];

	if (xml_has_type(n, "log")) {
		xml_attr_string(n, "string", buf, sizeof buf, "");
		cairn_log("%s", buf);
	} else if (xml_has_type(n, "consume_ram")) {
		consume(xml_attr_size(n, "size", 0));
	} else if (xml_has_type(n, "handle_yield_requests")) {
		cairn_cap sigh = cairn_signal_handler_init(&yield_handler, env->ep, on_yield, 0);
		(void)cairn_parent_yield_sigh(env->parent, sigh);
		cairn_log("handling yield requests");
	} else if (xml_has_type(n, "session")) {
		open_session(n);
	} else if (xml_has_type(n, "report_quota")) {
		size_t quota = 0, used = 0;
		(void)cairn_pd_quota(env->pd, &quota, &used);
		cairn_log("quota %zu used %zu", quota, used);
	} else if (xml_has_type(n, "exit")) {
		cairn_env_exit(env, (int)xml_attr_long(n, "code", 0));
	}
}

void cairn_component_construct(cairn_env *e)
{
	cairn_attached_rom config;
	struct xml_node    root, n;
	struct xml_iter    it;

	env = e;
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK) {
		cairn_error("no config");
		return;
	}
	if (xml_parse(config.data, strnlen(config.data, config.size), &root).error != XML_OK) {
		cairn_error("config is no XML");
		return;
	}
	xml_iter_init(&it, &root, NULL);
	while (xml_iter_next(&it, &n))
		step(&n);
}
