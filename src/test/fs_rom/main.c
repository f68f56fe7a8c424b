/* main.c - backdrop-style test: a config that comes through fs_rom and changes at run time */

#include <base/dataspace.h>
#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/file_system/file_system.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Two roles (run/fs_rom.run):
 *
 * reader (no role in its config, which it may not have yet): like the
 *   15.11 backdrop, it takes its "config" ROM (routed to fs_rom, which
 *   reads it from a vfs server) and reacts to every new version without
 *   a restart: it logs `config version N: <text>` and acknowledges the
 *   version by writing N to /seen of its File_system session "ack". A
 *   missing config is logged once (`config not available yet`) and
 *   acknowledged as 0. The reader never exits.
 *
 * writer (<config role="writer"/>): edits the reader's config in the
 *   vfs server. It waits until the reader acknowledged the previous
 *   version, so every step is causal: version 1 and 3 are saved as an
 *   editor does (write a temporary file, move it over the config), version
 *   2 is rewritten in place (truncate, write, close). Exits after the
 *   reader saw version 3.
 */
static cairn_env *env;

/* ---------------------------------------------------------------- reader */

static cairn_cap            rom;
static cairn_signal_handler rom_handler;
static cairn_cap            rom_ds;
static const char          *rom_data;
static size_t               rom_size;
static long                 seen = -1;
static cairn_fs             ack;

static void acknowledge(long version)
{
	cairn_fs_handle d, f;
	char text[32];
	size_t n;
	int r = cairn_fs_dir(&ack, "/", false, &d);
	if (r == CAIRN_OK) {
		r = cairn_fs_file(&ack, d, "seen", CAIRN_FS_WRITE_ONLY, true, &f);
		if (r == CAIRN_FS_ERR_NODE_ALREADY_EXISTS) r = cairn_fs_file(&ack, d, "seen", CAIRN_FS_WRITE_ONLY, false, &f);
		(void)cairn_fs_close(&ack, d);
	}
	if (r == CAIRN_OK) {
		snprintf(text, sizeof(text), "%ld", version);
		r = cairn_fs_truncate(&ack, f, 0);
		if (r == CAIRN_OK) r = cairn_fs_write(&ack, f, 0, text, strlen(text), &n);
		(void)cairn_fs_close(&ack, f);
	}
	if (r != CAIRN_OK) cairn_error("cannot acknowledge version %ld: %s", version, cairn_fs_err_str(r));
}

static void detach(void)
{
	if (!rom_data) return;
	cairn_ds_detach((void *)rom_data, rom_size);
	cairn_cap_release(rom_ds);
	rom_data = 0;
}

static void config_changed(cairn_signal_handler *h, unsigned count)
{
	(void)h; (void)count;
	if (!rom_data || !cairn_rom_update(rom)) {
		detach();
		void *addr;
		if (cairn_rom_dataspace(rom, &rom_ds) != CAIRN_OK) {
			if (seen < 0) { cairn_log("config not available yet"); seen = 0; acknowledge(0); }
			return;
		}
		if (cairn_ds_attach(rom_ds, 0, 0, true, &addr, &rom_size) != CAIRN_OK) { cairn_cap_release(rom_ds); return; }
		rom_data = addr;
	}
	struct xml_node cfg;
	if (xml_parse(rom_data, strnlen(rom_data, rom_size), &cfg).error || !xml_has_type(&cfg, "config")) {
		cairn_log("config is no <config> node, ignored");
		return;
	}
	long version = xml_attr_long(&cfg, "version", 0);
	if (version == seen) return;
	char text[128];
	xml_attr_string(&cfg, "text", text, sizeof(text), "");
	cairn_log("config version %ld: %s", version, text);
	seen = version;
	acknowledge(version);
}

static void reader(void)
{
	int r = cairn_fs_connect(&ack, env, "ack", 0, true, 4096);
	if (r != CAIRN_OK) cairn_fatal("cannot open the File_system session \"ack\": %s", cairn_fs_err_str(r));
	r = cairn_session(env, "ROM", &rom, "ram_quota=%d, label=\"config\"", CAIRN_ROM_RAM);
	if (r != CAIRN_OK) cairn_fatal("cannot open the config ROM session: %s", cairn_err_str(r));
	/* fs_rom signals once right after registration: the first look happens there */
	(void)cairn_rom_sigh(rom, cairn_signal_handler_init(&rom_handler, env->ep, config_changed, 0));
}

/* ---------------------------------------------------------------- writer */

static cairn_fs             fs;
static cairn_signal_handler ack_handler;

static void write_file(cairn_fs_handle dir, const char *name, const char *text, bool create)
{
	cairn_fs_handle f;
	size_t n;
	int r = cairn_fs_file(&fs, dir, name, CAIRN_FS_WRITE_ONLY, create, &f);
	if (r != CAIRN_OK) cairn_fatal("open %s: %s", name, cairn_fs_err_str(r));
	if (!create && cairn_fs_truncate(&fs, f, 0) != CAIRN_OK) cairn_fatal("truncate %s", name);
	if (cairn_fs_write(&fs, f, 0, text, strlen(text), &n) != CAIRN_OK) cairn_fatal("write %s", name);
	(void)cairn_fs_close(&fs, f);
}

/* the version the reader acknowledged, -1 if none yet */
static long acknowledged(void)
{
	cairn_fs_handle d, f;
	char text[32] = "";
	size_t n = 0;
	if (cairn_fs_dir(&fs, "/ack", false, &d) != CAIRN_OK) return -1;
	int r = cairn_fs_file(&fs, d, "seen", CAIRN_FS_READ_ONLY, false, &f);
	(void)cairn_fs_close(&fs, d);
	if (r != CAIRN_OK) return -1;
	if (cairn_fs_read(&fs, f, 0, text, sizeof(text) - 1, &n) != CAIRN_OK) n = 0;
	(void)cairn_fs_close(&fs, f);
	text[n] = 0;
	return n ? strtol(text, 0, 10) : -1;
}

/* block until the reader acknowledged `version` (watching /ack and /ack/seen) */
static void wait_for(long version)
{
	cairn_fs_handle dir_watch, file_watch = CAIRN_FS_INVALID_HANDLE;
	if (cairn_fs_node(&fs, "/ack", &dir_watch) != CAIRN_OK) cairn_fatal("no /ack");
	(void)cairn_fs_sigh(&fs, dir_watch, ack_handler.obj.cap);
	for (;;) {
		if (file_watch == CAIRN_FS_INVALID_HANDLE && cairn_fs_node(&fs, "/ack/seen", &file_watch) == CAIRN_OK)
			(void)cairn_fs_sigh(&fs, file_watch, ack_handler.obj.cap);
		if (acknowledged() == version) break;
		(void)cairn_ep_wait_signal(env->ep, &ack_handler.obj);
	}
	(void)cairn_fs_close(&fs, dir_watch);
	if (file_watch != CAIRN_FS_INVALID_HANDLE) (void)cairn_fs_close(&fs, file_watch);
	cairn_log("reader saw version %ld", version);
}

static void writer(void)
{
	int r = cairn_fs_connect(&fs, env, "", 0, true, 4096);
	if (r != CAIRN_OK) cairn_fatal("cannot open the File_system session: %s", cairn_fs_err_str(r));
	if (!cairn_cap_valid(cairn_signal_handler_init(&ack_handler, env->ep, 0, 0))) cairn_fatal("no signal handler");
	cairn_fs_handle config, tmp;
	if (cairn_fs_dir(&fs, "/config", false, &config) != CAIRN_OK ||
	    cairn_fs_dir(&fs, "/config/tmp", true, &tmp) != CAIRN_OK)
		cairn_fatal("cannot open /config and make /config/tmp");

	wait_for(0);
	write_file(tmp, "new", "<config version=\"1\" text=\"first\"/>", true);
	if (cairn_fs_move(&fs, tmp, "new", config, "backdrop.config") != CAIRN_OK) cairn_fatal("move");
	cairn_log("saved version 1 (new file moved into place)");
	wait_for(1);

	write_file(config, "backdrop.config", "<config version=\"2\" text=\"second, rewritten in place\"/>", false);
	cairn_log("saved version 2 (rewritten in place)");
	wait_for(2);

	write_file(tmp, "new", "<config version=\"3\" text=\"third, saved as a new file\"/>", true);
	if (cairn_fs_move(&fs, tmp, "new", config, "backdrop.config") != CAIRN_OK) cairn_fatal("move");
	cairn_log("saved version 3 (new file moved over the old one)");
	wait_for(3);
	cairn_env_exit(env, 0);
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	/*
	 * The writer has an inline config naming its role. The reader's config
	 * comes from fs_rom and does not exist when it starts (opening it
	 * fails), or names no role.
	 */
	bool is_writer = false;
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node n;
		is_writer = !xml_parse(config.data, strnlen(config.data, config.size), &n).error
		            && xml_attr_equals(&n, "role", "writer");
		cairn_attached_rom_close(&config, env);
	}
	if (is_writer) writer();
	else reader();
}
