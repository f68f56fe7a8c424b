/* main.c - vfs_stress: many directories and files through a File_system session */

#include <base/env.h>
#include <base/log.h>
#include <session/file_system/file_system.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdio.h>
#include <string.h>

/*
 * Config: <config dir="/a" depth="3" width="3" files="4" size="3000" rounds="2"/>
 *
 * Each round builds a tree below `dir`: `width` subdirectories per level,
 * `depth` levels, `files` files per directory of `size` bytes whose
 * content is a pattern of path and round (written in uneven chunks,
 * partly appended). Then it reads everything back and compares, checks
 * every listing and status, renames every file, checks again, and
 * removes the tree bottom-up. Several instances run against one server
 * at the same time, each in its own directory. Any mismatch is an error
 * naming the path; the exit value is 1 then.
 */
static cairn_env *env;
static cairn_fs   fs;
static unsigned   depth = 3, width = 3, files = 4, rounds = 2;
static size_t     size = 3000;
static unsigned   errors;
static unsigned long ndirs, nfiles, nbytes;
static char       buf[1 << 16], want[1 << 16];

static void fail(const char *what, const char *path, int r)
{
	if (errors++ < 20) cairn_error("%s %s: %s", what, path, cairn_fs_err_str(r));
}

static void pattern(char *dst, size_t len, const char *path, unsigned round)
{
	unsigned h = 2166136261u + round;
	for (const char *p = path; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
	for (size_t i = 0; i < len; i++) { h = h * 1103515245u + 12345u; dst[i] = (char)('a' + (h >> 16) % 26); }
}

static void file_name(char *dst, size_t n, unsigned i, bool moved)
{
	snprintf(dst, n, "%s%u", moved ? "moved-" : "file-", i);
}

static void write_files(const char *dir, unsigned round)
{
	cairn_fs_handle d;
	int r = cairn_fs_dir(&fs, dir, false, &d);
	if (r != CAIRN_OK) { fail("dir", dir, r); return; }
	for (unsigned i = 0; i < files; i++) {
		char name[32], path[CAIRN_FS_MAX_PATH_LEN];
		file_name(name, sizeof(name), i, false);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		cairn_fs_handle f;
		r = cairn_fs_file(&fs, d, name, CAIRN_FS_READ_WRITE, true, &f);
		if (r != CAIRN_OK) { fail("create", path, r); continue; }
		pattern(want, size, path, round);
		/* uneven chunks: the first third at explicit positions, the rest appended */
		size_t done = 0, n;
		while (done < size) {
			size_t chunk = (size - done) < 777 ? size - done : 777;
			uint64_t pos = done < size / 3 ? done : CAIRN_FS_SEEK_TAIL;
			r = cairn_fs_write(&fs, f, pos, want + done, chunk, &n);
			if (r != CAIRN_OK) { fail("write", path, r); break; }
			done += n;
		}
		(void)cairn_fs_close(&fs, f);
		nfiles++;
		nbytes += done;
	}
	(void)cairn_fs_close(&fs, d);
}

static void check_files(const char *dir, unsigned round, bool moved)
{
	cairn_fs_handle d;
	int r = cairn_fs_dir(&fs, dir, false, &d);
	if (r != CAIRN_OK) { fail("dir", dir, r); return; }
	struct cairn_fs_status st;
	for (unsigned i = 0; i < files; i++) {
		char name[32], path[CAIRN_FS_MAX_PATH_LEN], orig[CAIRN_FS_MAX_PATH_LEN], oname[32];
		file_name(name, sizeof(name), i, moved);
		file_name(oname, sizeof(oname), i, false);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(orig, sizeof(orig), "%s/%s", dir, oname);
		cairn_fs_handle f;
		size_t n;
		r = cairn_fs_file(&fs, d, name, CAIRN_FS_READ_ONLY, false, &f);
		if (r != CAIRN_OK) { fail("open", path, r); continue; }
		r = cairn_fs_status(&fs, f, &st);
		if (r != CAIRN_OK || st.size != size || st.mode != CAIRN_FS_MODE_FILE) fail("status", path, r);
		r = cairn_fs_read(&fs, f, 0, buf, size + 100, &n);
		pattern(want, size, orig, round);
		if (r != CAIRN_OK || n != size || memcmp(buf, want, size)) fail("content", path, r);
		(void)cairn_fs_close(&fs, f);
	}
	(void)cairn_fs_close(&fs, d);
}

/* the number of entries of a directory, counted through packets */
static unsigned count_entries(const char *dir)
{
	cairn_fs_handle d;
	if (cairn_fs_dir(&fs, dir, false, &d) != CAIRN_OK) return ~0u;
	struct cairn_fs_dirent e[8];
	unsigned count = 0;
	size_t n;
	while (cairn_fs_read(&fs, d, count * sizeof(e[0]), e, sizeof(e), &n) == CAIRN_OK && n) {
		count += (unsigned)(n / sizeof(e[0]));
		if (n < sizeof(e)) break;
	}
	(void)cairn_fs_close(&fs, d);
	return count;
}

static void move_files(const char *dir)
{
	cairn_fs_handle d;
	if (cairn_fs_dir(&fs, dir, false, &d) != CAIRN_OK) return;
	for (unsigned i = 0; i < files; i++) {
		char from[32], to[32];
		file_name(from, sizeof(from), i, false);
		file_name(to, sizeof(to), i, true);
		int r = cairn_fs_move(&fs, d, from, d, to);
		if (r != CAIRN_OK) fail("move", dir, r);
	}
	(void)cairn_fs_close(&fs, d);
}

static void remove_files(const char *dir)
{
	cairn_fs_handle d;
	if (cairn_fs_dir(&fs, dir, false, &d) != CAIRN_OK) return;
	for (unsigned i = 0; i < files; i++) {
		char name[32];
		file_name(name, sizeof(name), i, true);
		int r = cairn_fs_unlink(&fs, d, name);
		if (r != CAIRN_OK) fail("unlink", dir, r);
	}
	(void)cairn_fs_close(&fs, d);
}

enum step { BUILD, CHECK, MOVE, CHECK_MOVED, REMOVE };

/* walk the tree below dir (level `level`), doing `step` in each directory */
static void walk(const char *dir, unsigned level, enum step step, unsigned round)
{
	if (step == BUILD) write_files(dir, round);
	if (step == CHECK) check_files(dir, round, false);
	if (step == MOVE) move_files(dir);
	if (step == CHECK_MOVED) {
		check_files(dir, round, true);
		unsigned want_n = files + (level < depth ? width : 0);
		if (count_entries(dir) != want_n) fail("listing", dir, CAIRN_OK);
	}
	if (level < depth) {
		for (unsigned i = 0; i < width; i++) {
			char sub[CAIRN_FS_MAX_PATH_LEN];
			snprintf(sub, sizeof(sub), "%s/d%u", dir, i);
			if (step == BUILD) {
				cairn_fs_handle h;
				int r = cairn_fs_dir(&fs, sub, true, &h);
				if (r != CAIRN_OK) { fail("mkdir", sub, r); continue; }
				(void)cairn_fs_close(&fs, h);
				ndirs++;
			}
			walk(sub, level + 1, step, round);
			if (step == REMOVE) {
				cairn_fs_handle p;
				if (cairn_fs_dir(&fs, dir, false, &p) != CAIRN_OK) continue;
				char name[16];
				snprintf(name, sizeof(name), "d%u", i);
				int r = cairn_fs_unlink(&fs, p, name);
				if (r != CAIRN_OK) fail("rmdir", sub, r);
				(void)cairn_fs_close(&fs, p);
			}
		}
	}
	if (step == REMOVE) remove_files(dir);
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	char dir[128] = "/stress";
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		struct xml_node c;
		if (!xml_parse(config.data, strnlen(config.data, config.size), &c).error) {
			xml_attr_string(&c, "dir", dir, sizeof(dir), "/stress");
			depth  = (unsigned)xml_attr_ulong(&c, "depth", depth);
			width  = (unsigned)xml_attr_ulong(&c, "width", width);
			files  = (unsigned)xml_attr_ulong(&c, "files", files);
			rounds = (unsigned)xml_attr_ulong(&c, "rounds", rounds);
			size   = xml_attr_size(&c, "size", size);
		}
		cairn_attached_rom_close(&config, env);
	}
	if (size > sizeof(buf) - 200) size = sizeof(buf) - 200;
	if (depth > 8) depth = 8;

	int r = cairn_fs_connect(&fs, env, "", 0, true, 16 * 1024);
	if (r != CAIRN_OK) cairn_fatal("cannot connect to the File_system: %s", cairn_fs_err_str(r));
	cairn_fs_handle h;
	r = cairn_fs_dir(&fs, dir, true, &h);
	if (r != CAIRN_OK) cairn_fatal("mkdir %s: %s", dir, cairn_fs_err_str(r));
	(void)cairn_fs_close(&fs, h);

	for (unsigned round = 0; round < rounds; round++) {
		ndirs = nfiles = nbytes = 0;
		walk(dir, 0, BUILD, round);
		walk(dir, 0, CHECK, round);
		walk(dir, 0, MOVE, round);
		walk(dir, 0, CHECK_MOVED, round);
		walk(dir, 0, REMOVE, round);
		if (count_entries(dir) != 0) fail("not empty after removal:", dir, CAIRN_OK);
		cairn_log("round %u: %lu directories, %lu files, %lu bytes written, read, moved and removed",
		          round + 1, ndirs, nfiles, nbytes);
	}
	cairn_fs_disconnect(&fs);
	cairn_log("--- vfs stress test finished (%u errors) ---", errors);
	cairn_env_exit(env, errors ? 1 : 0);
}
