/* main.c - rom_filter: a ROM module generated from other ROM modules by config rules */

#include "rom_filter.h"

#include <base/heap.h>
#include <base/log.h>
#include <rom/server.h>

#include <string.h>

/*
 * Every requested ROM gets the same generated output. The output is
 * regenerated, and every client signalled, on each new version of the
 * config and of any input. Each client reads its own copy (rom/server.h);
 * the output buffer itself belongs to the server (its size is set by the
 * config, not by clients).
 */
static cairn_env     *env;
static cairn_config   config;
static rom_service    service;

static char    *output;       /* generated output, NUL-terminated */
static char    *scratch;      /* generation happens here, then it is swapped in */
static size_t   output_size;  /* bytes of each buffer */
static size_t   output_len;
static bool     output_valid;
static uint64_t version = 1;

static void content(rom_session *s, struct rom_content *out)
{
	out->data    = output;
	out->len     = output_len;
	out->valid   = output_valid;
	out->version = version;
}

static void regenerate(void)
{
	struct xml_node cfg;
	(void)cairn_config_xml(&config, &cfg);

	size_t len = 0;
	if (scratch && output_generate(&cfg, scratch, output_size, &len)) {
		char *t = output;
		output       = scratch;
		scratch      = t;
		output_len   = len;
		output_valid = true;
	}
	/* otherwise the last output that could be generated stays */
	version++;
	rom_service_changed(&service);
}

static void input_changed(cairn_watched_rom *r, void *arg)
{
	regenerate();
}

static void apply_config(cairn_watched_rom *c, void *arg)
{
	struct xml_node cfg;
	(void)cairn_config_xml(&config, &cfg);

	size_t size = xml_attr_size(&cfg, "buffer", 4096);
	if (size < 64) size = 64;
	if (size != output_size) {
		char *a = cairn_heap_alloc(env->heap, size);
		char *b = cairn_heap_alloc(env->heap, size);
		if (!a || !b) {
			cairn_error("no output buffer of %zu bytes", size);
			cairn_heap_free(env->heap, a);
			cairn_heap_free(env->heap, b);
		} else {
			/* a new size starts without output until one fits */
			cairn_heap_free(env->heap, output);
			cairn_heap_free(env->heap, scratch);
			output       = a;
			scratch      = b;
			output_size  = size;
			output_len   = 0;
			output_valid = false;
		}
	}
	inputs_open(env, &cfg, input_changed);
	regenerate();
}

/* ------------------------------------------------------------ ROM service */

static const rom_service_ops ops = { .content = content };

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int err = cairn_config_start(&config, env, apply_config, 0);
	if (err != CAIRN_OK)
		return;
	if (rom_service_announce(&service, env, &ops, 0) != CAIRN_OK)
		cairn_error("could not announce the ROM service");
}
