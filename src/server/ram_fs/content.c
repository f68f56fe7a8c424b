/* content.c - ram_fs: the initial file-system content from <content> */

#include "ram_fs.h"

#include <base/log.h>
#include <session/rom/rom.h>

#include <stdio.h>
#include <string.h>

/*
 * <dir name> makes a directory (and recurses), <inline name> a file with
 * the node's raw content, <rom name as> a file with a ROM module's
 * content (named `as`, default the ROM's name), <tar name> unpacks an
 * archive (ROM module) at this level. Failures are logged and skipped.
 */
static bool child(char *dst, size_t size, const char *dir, const char *name)
{
	if (!name[0] || strchr(name, '/')) return false;
	int n = snprintf(dst, size, "%s/%s", strcmp(dir, "/") ? dir : "", name);
	return n > 0 && (size_t)n < size;
}

static void write_file(vfs *v, struct vfs_env *env, const char *path, const void *data, size_t len)
{
	vfs_handle *h;
	size_t n;
	int r = vfs_open(v, path, CAIRN_FS_WRITE_ONLY, true, env->heap, &h);
	if (r == CAIRN_OK) {
		r = vfs_write(h, 0, data, len, &n);
		if (r == CAIRN_OK && n < len) r = CAIRN_FS_ERR_NO_SPACE;
		vfs_close(h);
	}
	if (r != CAIRN_OK) cairn_error("cannot create \"%s\": %s", path, cairn_fs_err_str(r));
}

/* copy the tree at `from` in src to `to` in dst */
static void copy_tree(vfs *src, const char *from, vfs *dst, struct vfs_env *env, const char *to)
{
	struct vfs_dirent de;
	for (uint64_t i = 0; vfs_dirent(src, from, i, &de) == CAIRN_OK && de.type != VFS_DIRENT_END; i++) {
		char sp[CAIRN_FS_MAX_PATH_LEN], dp[CAIRN_FS_MAX_PATH_LEN];
		if (!child(sp, sizeof(sp), from, de.name) || !child(dp, sizeof(dp), to, de.name)) continue;
		if (de.type == CAIRN_FS_TYPE_DIRECTORY) {
			if (vfs_mkdir(dst, dp) != CAIRN_OK && !vfs_directory(dst, dp)) continue;
			copy_tree(src, sp, dst, env, dp);
		} else if (de.type == CAIRN_FS_TYPE_SYMLINK) {
			char target[CAIRN_FS_MAX_PATH_LEN];
			size_t n;
			if (vfs_readlink(src, sp, target, sizeof(target) - 1, &n) != CAIRN_OK) continue;
			target[n] = 0;
			if (vfs_symlink(dst, dp, target, true) != CAIRN_OK) cairn_error("cannot create \"%s\"", dp);
		} else {
			vfs_handle *h;
			struct vfs_stat st;
			if (vfs_open(src, sp, CAIRN_FS_READ_ONLY, false, env->heap, &h) != CAIRN_OK) continue;
			char *buf = vfs_fstat(h, &st) == CAIRN_OK ? cairn_heap_alloc(env->heap, st.size + 1) : 0;
			size_t n = 0;
			if (buf && vfs_read(h, 0, buf, st.size, &n) == CAIRN_OK) write_file(dst, env, dp, buf, n);
			if (buf) cairn_heap_free(env->heap, buf);
			vfs_close(h);
		}
	}
}

static void load_tar(vfs *v, struct vfs_env *env, const struct xml_node *n, const char *dir)
{
	/* the tar plugin indexes the archive; its tree is copied into the ram file system */
	char cfg[256], name[160];
	xml_attr_string(n, "name", name, sizeof(name), "");
	snprintf(cfg, sizeof(cfg), "<vfs><tar name=\"%s\"/></vfs>", name);
	struct xml_node node;
	vfs *tar;
	if (xml_parse(cfg, strlen(cfg), &node).error || vfs_create(&tar, env, &node) != CAIRN_OK) return;
	copy_tree(tar, "/", v, env, dir);
	vfs_destroy(tar);
}

void ram_fs_load(vfs *v, struct vfs_env *env, const struct xml_node *content, const char *dir)
{
	struct xml_iter it;
	struct xml_node n;
	xml_iter_init(&it, content, 0);
	while (xml_iter_next(&it, &n)) {
		char name[CAIRN_FS_MAX_NAME_LEN], path[CAIRN_FS_MAX_PATH_LEN];
		xml_attr_string(&n, "name", name, sizeof(name), "");
		if (xml_has_type(&n, "tar")) { load_tar(v, env, &n, dir); continue; }
		if (xml_has_type(&n, "rom")) {
			char as[CAIRN_FS_MAX_NAME_LEN];
			xml_attr_string(&n, "as", as, sizeof(as), name);
			if (!child(path, sizeof(path), dir, as)) { cairn_error("invalid name \"%s\" in <content>", as); continue; }
			cairn_attached_rom rom;
			if (cairn_attached_rom_open(&rom, env->env, name) != CAIRN_OK) {
				cairn_warning("failed to open ROM file \"%s\"", name);
				continue;
			}
			write_file(v, env, path, rom.data, rom.size);
			cairn_attached_rom_close(&rom, env->env);
			continue;
		}
		if (!child(path, sizeof(path), dir, name)) { cairn_error("invalid name \"%s\" in <content>", name); continue; }
		if (xml_has_type(&n, "dir")) {
			int r = vfs_mkdir(v, path);
			if (r != CAIRN_OK && !vfs_directory(v, path)) { cairn_error("cannot create \"%s\": %s", path, cairn_fs_err_str(r)); continue; }
			ram_fs_load(v, env, &n, path);
		} else if (xml_has_type(&n, "inline")) {
			struct str c = xml_content(&n);
			write_file(v, env, path, c.ptr, c.len);
		}
	}
}
