/* rom_filter.h - the parts of rom_filter: inputs (ROMs watched) and the output generator */
#pragma once

#include <rom/config.h>
#include <util/xml.h>
#include <util/xml_gen.h>

/* a ROM that inputs read: one session, however many inputs refer to it */
struct source {
	char              rom[LABEL_MAX + 1];
	cairn_watched_rom session;
	bool              open;
	struct source    *next;
};

/* an <input name rom node> of the config */
struct input {
	char           name[64];
	char           node[64];
	struct source *source;
	struct input  *next;
};

/*
 * Set up the inputs of cfg, replacing those of the previous config: each
 * distinct ROM is read through one session, a session of the previous
 * config is kept if its ROM is still read. `changed` is called on every
 * new version of any of them.
 */
void inputs_open(cairn_env *env, const struct xml_node *cfg, cairn_watched_rom_fn changed);

/*
 * The current value of input `name` as described by its <input> node of
 * cfg: false if the input is undeclared, its ROM is invalid or lacks the
 * top-level node, or the path leads nowhere (logged as the original does).
 */
bool input_value(const struct xml_node *cfg, const char *name, struct str *value);

/*
 * Generate the output that the <output> node of cfg describes into
 * buf[0, size). Returns false (and logs why) if cfg has no usable
 * <output> or the result does not fit.
 */
bool output_generate(const struct xml_node *cfg, char *buf, size_t size, size_t *len);
