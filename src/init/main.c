/* main.c - init: compose the system from the config ROM and follow its updates */
#include "init.h"

#include <base/log.h>

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

static void on_calls_done(cairn_signal_handler *h, unsigned count)
{
	init_calls_done(h->data);
}

static init_config *read_config(init_main *m)
{
	init_config *c;
	const char  *text = m->config_rom.data;
	size_t       len  = text ? strnlen(text, m->config_rom.size) : 0;

	if (init_config_parse(text, len, &m->alloc, init_log_diag, m, &c) != INIT_CONFIG_OK)
		return NULL;
	return c;
}

static void on_config(cairn_signal_handler *h, unsigned count)
{
	init_main *m = h->data;

	if (cairn_attached_rom_update(&m->config_rom) != CAIRN_OK) {
		cairn_error("could not read the updated config ROM");
		return;
	}
	init_config *c = read_config(m);
	if (!c) {
		if (m->children)
			cairn_warning("keeping the running children");
		return;
	}
	init_reconfigure(m, c);
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

	atomic_init(&m->done, NULL);
	cairn_signal_handler_init(&m->done_sigh, env->ep, on_calls_done, m);
	cairn_signal_handler_init(&m->kick_sigh, env->ep, on_kick, m);
	cairn_cap sigh = cairn_signal_handler_init(&m->config_sigh, env->ep, on_config, m);

	if (cairn_attached_rom_open(&m->config_rom, env, "config") != CAIRN_OK) {
		cairn_error("no config ROM");
		return;
	}
	if (cairn_rom_sigh(m->config_rom.session, sigh) != CAIRN_OK)
		cairn_warning("config ROM does not report updates");

	init_config *c = read_config(m);
	if (c)
		init_reconfigure(m, c);
}
