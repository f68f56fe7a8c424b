/* main.c - init: compose the system from the config ROM and follow its updates */
#include "init.h"

#include <base/log.h>
#include <rom/config.h>

#include <string.h>

void init_log_diag(void *ctx, init_diag_level level, const char *msg)
{
	switch (level) {
	case INIT_DIAG_NONE:
		break;
	case INIT_DIAG_WARNING:
		cairn_warning("%s", msg);
		break;
	case INIT_DIAG_ERROR:
		cairn_error("%s", msg);
		break;
	}
}

static void *heap_alloc(void *ctx, size_t size)
{
	return cairn_heap_alloc(ctx, size);
}

static void heap_free(void *ctx, void *p)
{
	cairn_heap_free(ctx, p);
}

static void on_kick(cairn_signal_handler *h, unsigned count)
{
	init_pending_retry(h->data);
}

static void on_create(cairn_signal_handler *h, unsigned count)
{
	init_create_next(h->data);
}

static void on_calls_done(cairn_signal_handler *h, unsigned count)
{
	init_calls_done(h->data);
}

/*
 * init's parent wants RAM back (its quantum was lowered). What init has
 * not handed out is free already - the parent takes it after the
 * response - so init answers at once; it does not take RAM back from its
 * own children for this.
 */
static void on_yield(cairn_signal_handler *h, unsigned count)
{
	init_main *m = h->data;
	char       args[CAIRN_ARGS_MAX];

	if (cairn_parent_yield_request(m->env->parent, args, sizeof args) != CAIRN_OK || !args[0])
		return;
	cairn_log("yield request: %s", args);
	(void)cairn_parent_yield_response(m->env->parent);
}

/* an empty or invalid module (a ROM server that has nothing yet) */
static bool blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
			return false;
	return true;
}

static void apply_config(init_main *m)
{
	init_config *c;
	const char  *text = m->config_rom.data;
	size_t       len  = cairn_watched_rom_len(&m->config_rom);

	if (!text || blank(text, len)) {
		/* nothing to do yet (e.g. a report not submitted so far) */
		if (m->config)
			cairn_warning("config is empty, keeping the running children");
		return;
	}
	unsigned flags = m->config ? INIT_PARSE_UPDATE : 0;
	if (init_config_parse(text, len, &m->alloc, flags, init_log_diag, m, &c) != INIT_CONFIG_OK) {
		if (m->children)
			cairn_warning("keeping the running children");
		return;
	}
	init_reconfigure(m, c);
}

static void on_config(cairn_watched_rom *r, void *arg)
{
	apply_config(arg);
}

void cairn_component_construct(cairn_env *env)
{
	static init_main main_state;
	init_main *m = &main_state;

	m->env   = env;
	m->alloc = (init_alloc){ .alloc = heap_alloc, .free = heap_free, .ctx = env->heap };
	m->msg   = cairn_heap_alloc(env->heap, sizeof *m->msg);
	if (!m->msg)
		cairn_fatal("out of memory");

	/* the parent is core if it is served where the PD is (call.c) */
	m->parent_is_core = cairn_cap_same_server(env->parent, env->pd);
	atomic_init(&m->done, NULL);
	cairn_signal_handler_init(&m->done_sigh, env->ep, on_calls_done, m);
	cairn_signal_handler_init(&m->kick_sigh, env->ep, on_kick, m);
	cairn_signal_handler_init(&m->create_sigh, env->ep, on_create, m);
	cairn_cap yield = cairn_signal_handler_init(&m->yield_sigh, env->ep, on_yield, m);
	(void)cairn_parent_yield_sigh(env->parent, yield);

	if (cairn_watched_rom_open(&m->config_rom, env, "config", on_config, m) != CAIRN_OK) {
		cairn_error("no config ROM");
		return;
	}
	apply_config(m);
}
