/* fs.c - the `fs` plugin: a File_system session mounted into the VFS */

#include <base/log.h>
#include <vfs/plugin.h>

#include <stdio.h>
#include <string.h>

/*
 * Attributes: `label` (""), `root` (""), `writeable` (yes), `buffer_size`
 * (128K, the session's tx buffer). Every VFS operation becomes the
 * File_system operations that do it (a directory handle, the operation,
 * close); errors come back unchanged, since the VFS speaks the same
 * codes. Calls block the entrypoint until the server answered.
 */
struct fs_fs {
	struct vfs_fs base;
	cairn_fs      fs;
};

struct fs_handle {
	struct vfs_handle base;
	cairn_fs_handle   file;
};

static cairn_fs *conn(struct vfs_fs *f) { return &((struct fs_fs *)f)->fs; }

static int fs_create(struct vfs_env *env, const struct xml_node *node, struct vfs_fs **out)
{
	char label[128], root[CAIRN_FS_MAX_PATH_LEN];
	xml_attr_string(node, "label", label, sizeof(label), "");
	xml_attr_string(node, "root", root, sizeof(root), "");
	bool writeable = xml_attr_bool(node, "writeable", true);
	size_t buffer = xml_attr_size(node, "buffer_size", 128 * 1024);
	struct fs_fs *f = cairn_heap_calloc(env->heap, 1, sizeof(*f));
	if (!f) return CAIRN_ERR_NO_MEMORY;
	int r = cairn_fs_connect(&f->fs, env->env, label, root, writeable, buffer);
	if (r != CAIRN_OK) {
		cairn_error("fs VFS node: cannot open a File_system session: %s", cairn_fs_err_str(r));
		cairn_heap_free(env->heap, f);
		return r;
	}
	f->base.env = env;
	*out = &f->base;
	return CAIRN_OK;
}

static void fs_destroy(struct vfs_fs *f)
{
	cairn_fs_disconnect(conn(f));
	cairn_heap_free(f->env->heap, f);
}

/* split "/a/b/c" into the directory "/a/b" and the name "c" */
static bool split(const char *path, char *dir, const char **name)
{
	const char *s = strrchr(path, '/');
	if (!s || !s[1]) return false;
	size_t n = s == path ? 1 : (size_t)(s - path);
	memcpy(dir, path, n);
	dir[n] = 0;
	*name = s + 1;
	return true;
}

/* open the directory of path, run `op` there, close it */
#define IN_DIR(f, path, d, name, op) ({ \
	char dir_[CAIRN_FS_MAX_PATH_LEN]; \
	const char *name; \
	cairn_fs_handle d; \
	int r_ = split(path, dir_, &name) ? cairn_fs_dir(conn(f), dir_, false, &d) : CAIRN_FS_ERR_LOOKUP_FAILED; \
	if (r_ == CAIRN_OK) { r_ = (op); (void)cairn_fs_close(conn(f), d); } \
	r_; })

static int fs_stat(struct vfs_fs *f, const char *path, struct vfs_stat *st)
{
	cairn_fs_handle h;
	int r = cairn_fs_node(conn(f), path, &h);
	if (r != CAIRN_OK) return r;
	struct cairn_fs_status s;
	r = cairn_fs_status(conn(f), h, &s);
	(void)cairn_fs_close(conn(f), h);
	if (r == CAIRN_OK) *st = (struct vfs_stat){ .size = s.size, .mode = s.mode, .inode = s.inode };
	return r;
}

static uint64_t fs_num_dirent(struct vfs_fs *f, const char *path)
{
	cairn_fs_handle h;
	if (cairn_fs_dir(conn(f), path, false, &h) != CAIRN_OK) return 0;
	struct cairn_fs_status s;
	int r = cairn_fs_status(conn(f), h, &s);
	(void)cairn_fs_close(conn(f), h);
	return r == CAIRN_OK ? s.size / sizeof(struct cairn_fs_dirent) : 0;
}

static int fs_dirent(struct vfs_fs *f, const char *path, uint64_t index, struct vfs_dirent *de)
{
	*de = (struct vfs_dirent){ .type = VFS_DIRENT_END };
	cairn_fs_handle h;
	int r = cairn_fs_dir(conn(f), path, false, &h);
	if (r != CAIRN_OK) return r;
	struct cairn_fs_dirent e;
	size_t n;
	r = cairn_fs_read(conn(f), h, index * sizeof(e), &e, sizeof(e), &n);
	(void)cairn_fs_close(conn(f), h);
	if (r == CAIRN_OK && n == sizeof(e)) {
		de->inode = e.inode;
		de->type  = e.type;
		memcpy(de->name, e.name, sizeof(de->name));
		de->name[sizeof(de->name) - 1] = 0;
	}
	return r;
}

static int fs_mkdir(struct vfs_fs *f, const char *path)
{
	cairn_fs_handle h;
	int r = cairn_fs_dir(conn(f), path, true, &h);
	if (r == CAIRN_OK) (void)cairn_fs_close(conn(f), h);
	return r;
}

static int fs_unlink(struct vfs_fs *f, const char *path)
{
	return IN_DIR(f, path, d, name, cairn_fs_unlink(conn(f), d, name));
}

static int fs_rename(struct vfs_fs *f, const char *from, const char *to)
{
	char to_dir[CAIRN_FS_MAX_PATH_LEN];
	const char *to_name;
	if (!split(to, to_dir, &to_name)) return CAIRN_FS_ERR_LOOKUP_FAILED;
	cairn_fs_handle td;
	int r = cairn_fs_dir(conn(f), to_dir, false, &td);
	if (r != CAIRN_OK) return r;
	r = IN_DIR(f, from, fd, from_name, cairn_fs_move(conn(f), fd, from_name, td, to_name));
	(void)cairn_fs_close(conn(f), td);
	return r;
}

static int set_link(cairn_fs *c, cairn_fs_handle dir, const char *name, const char *target, bool create)
{
	cairn_fs_handle h;
	int r = cairn_fs_symlink(c, dir, name, create, &h);
	if (r == CAIRN_FS_ERR_NODE_ALREADY_EXISTS && create) r = cairn_fs_symlink(c, dir, name, false, &h);
	if (r != CAIRN_OK) return r;
	size_t n;
	r = cairn_fs_write(c, h, 0, target, strlen(target), &n);
	(void)cairn_fs_close(c, h);
	return r;
}

static int fs_symlink(struct vfs_fs *f, const char *path, const char *target, bool create)
{
	return IN_DIR(f, path, d, name, set_link(conn(f), d, name, target, create));
}

static int get_link(cairn_fs *c, cairn_fs_handle dir, const char *name, char *buf, size_t size, size_t *out)
{
	cairn_fs_handle h;
	int r = cairn_fs_symlink(c, dir, name, false, &h);
	if (r != CAIRN_OK) return r;
	r = cairn_fs_read(c, h, 0, buf, size, out);
	(void)cairn_fs_close(c, h);
	return r;
}

static int fs_readlink(struct vfs_fs *f, const char *path, char *buf, size_t size, size_t *out)
{
	return IN_DIR(f, path, d, name, get_link(conn(f), d, name, buf, size, out));
}

static int fs_open(struct vfs_fs *f, const char *path, unsigned mode, bool create,
                   cairn_heap *alloc, struct vfs_handle **out)
{
	struct fs_handle *h = vfs_handle_alloc(f, alloc, sizeof(*h), mode);
	if (!h) return CAIRN_ERR_METADATA;
	int r = IN_DIR(f, path, d, name, cairn_fs_file(conn(f), d, name, mode, create, &h->file));
	if (r != CAIRN_OK) { vfs_handle_free(&h->base); return r; }
	*out = &h->base;
	return CAIRN_OK;
}

static int fs_read(struct vfs_handle *vh, uint64_t pos, void *buf, size_t len, size_t *out)
{
	return cairn_fs_read(conn(vh->fs), ((struct fs_handle *)vh)->file, pos, buf, len, out);
}

static int fs_write(struct vfs_handle *vh, uint64_t pos, const void *buf, size_t len, size_t *out)
{
	return cairn_fs_write(conn(vh->fs), ((struct fs_handle *)vh)->file, pos, buf, len, out);
}

static int fs_ftruncate(struct vfs_handle *vh, uint64_t len)
{
	return cairn_fs_truncate(conn(vh->fs), ((struct fs_handle *)vh)->file, len);
}

static int fs_fstat(struct vfs_handle *vh, struct vfs_stat *st)
{
	struct cairn_fs_status s;
	int r = cairn_fs_status(conn(vh->fs), ((struct fs_handle *)vh)->file, &s);
	if (r == CAIRN_OK) *st = (struct vfs_stat){ .size = s.size, .mode = s.mode, .inode = s.inode };
	return r;
}

static void fs_close(struct vfs_handle *vh)
{
	(void)cairn_fs_close(conn(vh->fs), ((struct fs_handle *)vh)->file);
	vfs_handle_free(vh);
}

static void fs_sync(struct vfs_fs *f, const char *path)
{
	cairn_fs_handle h;
	if (cairn_fs_node(conn(f), path, &h) != CAIRN_OK) return;
	(void)cairn_fs_sync(conn(f), h);
	(void)cairn_fs_close(conn(f), h);
}

const struct vfs_fs_ops vfs_fs_ops_fs = {
	.type       = "fs",
	.create     = fs_create,
	.destroy    = fs_destroy,
	.stat       = fs_stat,
	.dirent     = fs_dirent,
	.num_dirent = fs_num_dirent,
	.mkdir      = fs_mkdir,
	.unlink     = fs_unlink,
	.rename     = fs_rename,
	.symlink    = fs_symlink,
	.readlink   = fs_readlink,
	.open       = fs_open,
	.read       = fs_read,
	.write      = fs_write,
	.ftruncate  = fs_ftruncate,
	.fstat      = fs_fstat,
	.close      = fs_close,
	.sync       = fs_sync,
};
