/* main.c - rom_logger: print a ROM module each time it changes */

#include <base/env.h>
#include <base/log.h>
#include <rom/config.h>
#include <rom/server.h>

#include <string.h>

static cairn_env        *env;
static cairn_config      config;
static cairn_watched_rom rom;
static bool              rom_open;
static char              rom_name[LABEL_MAX + 1];

static void print(void)
{
	if (!rom_open)
		return;
	if (!cairn_watched_rom_valid(&rom)) {
		cairn_log("ROM '%s' is invalid", rom_name);
		return;
	}
	cairn_log("ROM '%s':", rom_name);
	rom_log_lines(rom.data, rom.size);
}

static void rom_changed(cairn_watched_rom *r, void *arg)
{
	print();
}

static void apply_config(cairn_watched_rom *c, void *arg)
{
	struct xml_node cfg;
	char name[LABEL_MAX + 1];

	(void)cairn_config_xml(&config, &cfg);
	if (!xml_has_attribute(&cfg, "rom")) {
		cairn_error("missing 'rom' attribute in config");
		return;
	}
	if (xml_attr_string(&cfg, "rom", name, sizeof(name), "") >= sizeof(name) || !name[0]) {
		cairn_error("invalid 'rom' attribute in config");
		return;
	}
	if (!rom_open || strcmp(name, rom_name)) {
		if (rom_open)
			cairn_watched_rom_close(&rom);
		rom_open = false;
		memcpy(rom_name, name, sizeof(rom_name));
		int err = cairn_watched_rom_open(&rom, env, rom_name, rom_changed, 0);
		if (err != CAIRN_OK) {
			cairn_error("could not open ROM '%s' (%s)", rom_name, cairn_err_str(err));
			return;
		}
		rom_open = true;
	}
	print();
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int err = cairn_config_start(&config, env, apply_config, 0);
	if (err != CAIRN_OK)
		return;
}
