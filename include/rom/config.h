/* config.h - reading a ROM and reacting to new versions of it, "config" first (library `rom`) */
#pragma once

#include <base/env.h>
#include <base/signal.h>
#include <util/label.h>
#include <util/xml.h>

#include <stdbool.h>
#include <stddef.h>

/*
 * A watched ROM: a ROM session with its content attached and a signal
 * handler that fetches every new version (UPDATE, or DATASPACE when the
 * new version does not fit) before it calls the user's function. Reacting
 * to a new config is thereby:
 *
 *     static cairn_config config;
 *
 *     static void apply(cairn_watched_rom *c, void *arg)
 *     {
 *         struct xml_node xml;
 *         cairn_config_xml(c, &xml);           // <config/> if unusable
 *         ... read attributes and sub nodes of xml ...
 *     }
 *
 *     void cairn_component_construct(cairn_env *env)
 *     {
 *         if (cairn_config_start(&config, env, apply, 0) != CAIRN_OK) return;
 *         // apply() has seen the first version
 *     }
 *
 * A module may be invalid (the server has nothing to offer: `data` is
 * NULL) and become valid later, or hold something that is not XML; both
 * are ordinary states, not errors. When the server refuses a dataspace
 * for want of quota (a large module), the helper upgrades its session
 * donation by the missing amount and retries, up to
 * CAIRN_WATCHED_ROM_MAX_QUOTA in total.
 *
 * All functions must run on env->ep (the handler is managed there). The
 * struct must stay where it is while open (the handler points to it).
 */
enum {
	CAIRN_WATCHED_ROM_QUOTA     = 8192,            /* initial donation */
	CAIRN_WATCHED_ROM_MAX_QUOTA = 4 * 1024 * 1024, /* upgrades stop here */
};

typedef struct cairn_watched_rom cairn_watched_rom;
typedef void (*cairn_watched_rom_fn)(cairn_watched_rom *r, void *arg);

struct cairn_watched_rom {
	cairn_env           *env;
	cairn_cap            session;
	cairn_cap            ds;
	const char          *data;    /* content (NUL-padded), NULL if invalid */
	size_t               size;    /* bytes attached */
	size_t               quota;   /* donated so far */
	cairn_signal_handler handler;
	cairn_watched_rom_fn fn;
	void                *arg;
	bool                 warned;  /* config: the syntax warning was logged */
	char                 label[LABEL_MAX + 1];
};

/*
 * Open the ROM `label`, fetch its content and watch it: `fn` (may be
 * NULL) is called after each new version was fetched, not for the first
 * one. Errors: those of cairn_session (CAIRN_ERR_DENIED if there is no
 * such ROM), CAIRN_ERR_NO_MEMORY. An invalid module is no error.
 */
int cairn_watched_rom_open(cairn_watched_rom *r, cairn_env *env, const char *label,
                           cairn_watched_rom_fn fn, void *arg)
	__attribute__((warn_unused_result));

/*
 * Fetch the newest version now (the signal handler does this before it
 * calls fn). Returns CAIRN_OK also for an invalid module; errors of the
 * transport (CAIRN_ERR_IPC: the server is gone) or quota (the module is
 * larger than the helper is willing to pay for) leave `data` NULL.
 */
int cairn_watched_rom_update(cairn_watched_rom *r);

/* close the session and detach (the struct may be opened again) */
void cairn_watched_rom_close(cairn_watched_rom *r);

static inline bool cairn_watched_rom_valid(const cairn_watched_rom *r) { return r->data != 0; }

/* bytes of content up to the first NUL (0 if invalid) */
size_t cairn_watched_rom_len(const cairn_watched_rom *r);

/*
 * The content parsed as XML. False (and *out untouched) if the module is
 * invalid or its content is no well-formed XML node.
 */
bool cairn_watched_rom_xml(const cairn_watched_rom *r, struct xml_node *out)
	__attribute__((warn_unused_result));

/* ---- the component's config: the watched ROM "config" ---- */

typedef cairn_watched_rom cairn_config;

static inline int cairn_config_open(cairn_config *c, cairn_env *env,
                                    cairn_watched_rom_fn fn, void *arg)
{
	return cairn_watched_rom_open(c, env, "config", fn, arg);
}

/*
 * The usual start: open the config, apply its first version with `fn`, and
 * on failure log `Error: no config (<reason>)`. Returns what opening did.
 */
int cairn_config_start(cairn_config *c, cairn_env *env, cairn_watched_rom_fn fn, void *arg);

/*
 * The config node. An invalid or malformed config yields an empty
 * `<config/>` node (and false), as the original treats it as `<empty/>`:
 * every attribute then has its default. Malformed XML is logged once per
 * version as `Warning: config has invalid syntax: <what> at byte <n>`
 * (an empty module is no syntax error).
 */
bool cairn_config_xml(cairn_config *c, struct xml_node *out);
