/* vfs.c - the VFS: <dir> nodes stack file systems, the public path API on top */

#include <base/log.h>
#include <vfs/plugin.h>

#include <stdio.h>
#include <string.h>

/*
 * A <dir> (and the unnamed root) is a file system of its own, `dir_fs`,
 * whose children are the file systems configured inside it, in document
 * order. For a path below a directory, a child <dir name="x"> answers
 * the paths "/x" and "/x/..." (handed on without the "/x"), every other
 * child is asked with the path as it is. The first child that knows a
 * node wins; listings concatenate the children's entries.
 */
struct dir_fs {
	struct vfs_fs  base;
	char           name[CAIRN_FS_MAX_NAME_LEN];
	struct vfs_fs *children;
};

struct vfs {
	struct dir_fs  *root;
	struct vfs_env *env;
};

static const struct vfs_fs_ops dir_ops;

static bool is_dir_fs(const struct vfs_fs *fs) { return fs->ops == &dir_ops; }

enum { LOOKUP = CAIRN_FS_ERR_LOOKUP_FAILED, DENIED = CAIRN_FS_ERR_PERMISSION_DENIED };

/* ---------------------------------------------------------------- helpers */

bool vfs_is_leaf(const char *path, const char *name)
{
	return path[0] == '/' && name[0] && strcmp(path + 1, name) == 0;
}

void vfs_read_range(const void *data, uint64_t size, uint64_t pos, void *buf, size_t len, size_t *out)
{
	*out = 0;
	if (pos >= size) return;
	uint64_t n = size - pos < len ? size - pos : len;
	memcpy(buf, (const char *)data + pos, (size_t)n);
	*out = (size_t)n;
}

uint64_t vfs_inode(const void *fs, uint64_t n)
{
	uint64_t x = (uint64_t)(uintptr_t)fs * 0x9e3779b97f4a7c15ull + n;
	x ^= x >> 29;
	return (x & 0xffffffffffffull) | 1;
}

void *vfs_handle_alloc(struct vfs_fs *fs, cairn_heap *alloc, size_t size, unsigned mode)
{
	struct vfs_handle *h = cairn_heap_calloc(alloc, 1, size);
	if (h) *h = (struct vfs_handle){ .fs = fs, .alloc = alloc, .mode = mode };
	return h;
}

void vfs_handle_free(struct vfs_handle *h) { cairn_heap_free(h->alloc, h); }

bool vfs_path_valid(const char *path)
{
	size_t len = strnlen(path, CAIRN_FS_MAX_PATH_LEN);
	if (len == 0 || len >= CAIRN_FS_MAX_PATH_LEN || path[0] != '/') return false;
	if (len == 1) return true;
	if (path[len - 1] == '/') return false;
	for (const char *p = path; *p;) {
		const char *e = p + 1;
		while (*e && *e != '/') e++;
		size_t n = (size_t)(e - p - 1);
		if (n == 0 || n >= CAIRN_FS_MAX_NAME_LEN) return false;
		if ((n == 1 && p[1] == '.') || (n == 2 && p[1] == '.' && p[2] == '.')) return false;
		p = e;
	}
	return true;
}

/* the path within child dir `name` if path lies in it, else NULL */
static const char *sub_path(const char *path, const char *name)
{
	size_t n = strlen(name);
	if (path[0] != '/' || strncmp(path + 1, name, n) != 0) return 0;
	const char *rest = path + 1 + n;
	if (*rest == 0) return "/";
	return *rest == '/' ? rest : 0;
}

/*
 * The children of d that may know `path`, with the path they are to be
 * asked with: iterate with `for (c = first(d, path, &sp); c; c = next(c, path, &sp))`.
 */
static struct vfs_fs *advance(struct vfs_fs *c, const char *path, const char **sp)
{
	for (; c; c = c->next) {
		if (!is_dir_fs(c)) { *sp = path; return c; }
		const char *s = sub_path(path, ((struct dir_fs *)c)->name);
		if (s) { *sp = s; return c; }
	}
	return 0;
}
#define FOR_EACH_CHILD(d, path, c, sp) \
	for (struct vfs_fs *c = advance((d)->children, path, &sp); c; c = advance(c->next, path, &sp))

/* keep the most telling of several refusals: any real error beats "not mine" */
static int worse(int have, int r)
{
	if (have != LOOKUP && have != DENIED) return have;
	if (r != LOOKUP && r != DENIED) return r;
	return have == DENIED || r == DENIED ? DENIED : LOOKUP;
}

/* ---------------------------------------------------------------- dir_fs */

static int dir_stat(struct vfs_fs *fs, const char *path, struct vfs_stat *st)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	const char *sp;
	if (strcmp(path, "/") == 0) {
		*st = (struct vfs_stat){ .mode = CAIRN_FS_MODE_DIRECTORY, .inode = vfs_inode(d, 0) };
		return CAIRN_OK;
	}
	FOR_EACH_CHILD(d, path, c, sp)
		if (c->ops->stat && c->ops->stat(c, sp, st) == CAIRN_OK) return CAIRN_OK;
	return LOOKUP;
}

static uint64_t dir_num_dirent(struct vfs_fs *fs, const char *path)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	bool top = strcmp(path, "/") == 0;
	uint64_t n = 0;
	for (struct vfs_fs *c = d->children; c; c = c->next) {
		if (is_dir_fs(c)) {
			const char *s = sub_path(path, ((struct dir_fs *)c)->name);
			if (top) n++;
			else if (s && c->ops->num_dirent) n += c->ops->num_dirent(c, s);
		} else if (c->ops->num_dirent) {
			n += c->ops->num_dirent(c, path);
		}
	}
	return n;
}

static int dir_dirent(struct vfs_fs *fs, const char *path, uint64_t index, struct vfs_dirent *de)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	bool top = strcmp(path, "/") == 0;
	for (struct vfs_fs *c = d->children; c; c = c->next) {
		const char *s = path;
		uint64_t n;
		if (is_dir_fs(c)) {
			struct dir_fs *cd = (struct dir_fs *)c;
			if (top) {
				if (index == 0) {
					*de = (struct vfs_dirent){ .inode = vfs_inode(cd, 0), .type = CAIRN_FS_TYPE_DIRECTORY };
					memcpy(de->name, cd->name, sizeof(de->name));
					return CAIRN_OK;
				}
				index--;
				continue;
			}
			s = sub_path(path, cd->name);
			if (!s) continue;
		}
		n = c->ops->num_dirent ? c->ops->num_dirent(c, s) : 0;
		if (index < n) return c->ops->dirent(c, s, index, de);
		index -= n;
	}
	*de = (struct vfs_dirent){ .type = VFS_DIRENT_END };
	return CAIRN_OK;
}

static int dir_mkdir(struct vfs_fs *fs, const char *path)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	const char *sp;
	int best = LOOKUP;
	FOR_EACH_CHILD(d, path, c, sp) {
		int r = c->ops->mkdir ? c->ops->mkdir(c, sp) : DENIED;
		if (r == CAIRN_OK) return r;
		best = worse(best, r);
	}
	return best;
}

/* the child that has the node at path (and the path within it) */
static struct vfs_fs *owner(struct dir_fs *d, const char *path, const char **sp, struct vfs_stat *st)
{
	FOR_EACH_CHILD(d, path, c, *sp)
		if (c->ops->stat && c->ops->stat(c, *sp, st) == CAIRN_OK) return c;
	return 0;
}

static int dir_unlink(struct vfs_fs *fs, const char *path)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	if (strcmp(path, "/") == 0) return DENIED;   /* a configured directory stays */
	const char *sp;
	struct vfs_stat st;
	struct vfs_fs *c = owner(d, path, &sp, &st);
	if (!c) return LOOKUP;
	return c->ops->unlink ? c->ops->unlink(c, sp) : DENIED;
}

/*
 * A rename stays within one file system: the one that has `from` must
 * also hold the directory of `to` (or `to` lies directly in this
 * directory), and `to` must not be a node of another file system.
 */
static int dir_rename(struct vfs_fs *fs, const char *from, const char *to)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	if (strcmp(from, "/") == 0 || strcmp(to, "/") == 0) return DENIED;
	const char *spf, *spt = to, *sp;
	struct vfs_stat st;
	struct vfs_fs *c = owner(d, from, &spf, &st);
	if (!c) return LOOKUP;
	struct vfs_fs *other = owner(d, to, &sp, &st);
	if (other && other != c) return DENIED;
	char to_dir[CAIRN_FS_MAX_PATH_LEN];
	const char *slash = strrchr(to, '/');
	size_t n = slash && slash != to ? (size_t)(slash - to) : 1;
	memcpy(to_dir, to, n);
	to_dir[n] = 0;
	if (strcmp(to_dir, "/") != 0) {
		other = owner(d, to_dir, &sp, &st);
		if (other && other != c) return DENIED;
	}
	if (is_dir_fs(c) && !(spt = sub_path(to, ((struct dir_fs *)c)->name))) return DENIED;
	return c->ops->rename ? c->ops->rename(c, spf, spt) : DENIED;
}

static int dir_symlink(struct vfs_fs *fs, const char *path, const char *target, bool create)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	const char *sp;
	struct vfs_stat st;
	struct vfs_fs *c = owner(d, path, &sp, &st);
	if (c) {
		if (st.mode != CAIRN_FS_MODE_SYMLINK) return create ? CAIRN_FS_ERR_NODE_ALREADY_EXISTS : LOOKUP;
		return c->ops->symlink ? c->ops->symlink(c, sp, target, false) : DENIED;
	}
	if (!create) return LOOKUP;
	int best = LOOKUP;
	FOR_EACH_CHILD(d, path, ch, sp) {
		int r = ch->ops->symlink ? ch->ops->symlink(ch, sp, target, true) : DENIED;
		if (r == CAIRN_OK) return r;
		best = worse(best, r);
	}
	return best;
}

static int dir_readlink(struct vfs_fs *fs, const char *path, char *buf, size_t size, size_t *out)
{
	const char *sp;
	struct vfs_stat st;
	struct vfs_fs *c = owner((struct dir_fs *)fs, path, &sp, &st);
	if (!c || st.mode != CAIRN_FS_MODE_SYMLINK || !c->ops->readlink) return LOOKUP;
	return c->ops->readlink(c, sp, buf, size, out);
}

static int dir_open(struct vfs_fs *fs, const char *path, unsigned mode, bool create,
                    cairn_heap *alloc, struct vfs_handle **out)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	const char *sp;
	struct vfs_stat st;
	struct vfs_fs *c = owner(d, path, &sp, &st);
	if (c) {
		if (create) return CAIRN_FS_ERR_NODE_ALREADY_EXISTS;
		if (st.mode != CAIRN_FS_MODE_FILE || !c->ops->open) return LOOKUP;
		return c->ops->open(c, sp, mode, false, alloc, out);
	}
	if (!create) return LOOKUP;
	int best = LOOKUP;
	FOR_EACH_CHILD(d, path, ch, sp) {
		int r = ch->ops->open ? ch->ops->open(ch, sp, mode, true, alloc, out) : DENIED;
		if (r == CAIRN_OK) return r;
		best = worse(best, r);
	}
	return best;
}

static void dir_sync(struct vfs_fs *fs, const char *path)
{
	const char *sp;
	FOR_EACH_CHILD((struct dir_fs *)fs, path, c, sp)
		if (c->ops->sync) c->ops->sync(c, sp);
}

static void dir_destroy(struct vfs_fs *fs)
{
	struct dir_fs *d = (struct dir_fs *)fs;
	while (d->children) {
		struct vfs_fs *c = d->children;
		d->children = c->next;
		if (c->ops->destroy) c->ops->destroy(c);
	}
	cairn_heap_free(fs->env->heap, d);
}

static const struct vfs_fs_ops dir_ops = {
	.type       = "dir",
	.destroy    = dir_destroy,
	.stat       = dir_stat,
	.dirent     = dir_dirent,
	.num_dirent = dir_num_dirent,
	.mkdir      = dir_mkdir,
	.unlink     = dir_unlink,
	.rename     = dir_rename,
	.symlink    = dir_symlink,
	.readlink   = dir_readlink,
	.open       = dir_open,
	.sync       = dir_sync,
};

/* ---------------------------------------------------------------- registry */

enum { MAX_PLUGINS = 32 };
static const struct vfs_fs_ops *plugins[MAX_PLUGINS];
static unsigned nplugins;

extern const struct vfs_fs_ops vfs_ram_ops, vfs_tar_ops, vfs_rom_ops, vfs_inline_ops,
	vfs_symlink_ops, vfs_log_ops, vfs_null_ops, vfs_zero_ops, vfs_fs_ops_fs, vfs_rtc_ops,
	vfs_jitterentropy_ops;

static void register_builtins(void)
{
	static bool done;
	if (done) return;
	done = true;
	const struct vfs_fs_ops *b[] = {
		&vfs_ram_ops, &vfs_tar_ops, &vfs_rom_ops, &vfs_inline_ops, &vfs_symlink_ops,
		&vfs_log_ops, &vfs_null_ops, &vfs_zero_ops, &vfs_fs_ops_fs, &vfs_rtc_ops,
		&vfs_jitterentropy_ops,
	};
	for (unsigned i = 0; i < sizeof(b) / sizeof(b[0]); i++) (void)vfs_register_plugin(b[i]);
}

bool vfs_register_plugin(const struct vfs_fs_ops *ops)
{
	register_builtins();
	for (unsigned i = 0; i < nplugins; i++)
		if (strcmp(plugins[i]->type, ops->type) == 0) { plugins[i] = ops; return true; }
	if (nplugins == MAX_PLUGINS) return false;
	plugins[nplugins++] = ops;
	return true;
}

const struct vfs_fs_ops *vfs_plugin(struct str type)
{
	register_builtins();
	for (unsigned i = 0; i < nplugins; i++)
		if (str_eq_z(type, plugins[i]->type)) return plugins[i];
	return 0;
}

/* ---------------------------------------------------------------- building */

static void log_failed(const struct xml_node *n)
{
	struct str t = xml_type(n);
	cairn_error("failed to create %.*s VFS node", (int)t.len, t.ptr);
	struct xml_attr a;
	for (unsigned i = 0; xml_attribute_at(n, i, &a); i++)
		cairn_error("\t%.*s=\"%.*s\"", (int)a.name.len, a.name.ptr, (int)a.value.len, a.value.ptr);
}

static int build_dir(struct vfs_env *env, const struct xml_node *config, const char *name,
                     struct dir_fs **out)
{
	struct dir_fs *d = cairn_heap_calloc(env->heap, 1, sizeof(*d));
	if (!d) return CAIRN_ERR_NO_MEMORY;
	d->base = (struct vfs_fs){ .ops = &dir_ops, .env = env };
	snprintf(d->name, sizeof(d->name), "%s", name);

	struct vfs_fs **tail = &d->children;
	struct xml_iter it;
	struct xml_node n;
	xml_iter_init(&it, config, 0);
	while (xml_iter_next(&it, &n)) {
		struct vfs_fs *fs = 0;
		if (xml_has_type(&n, "dir")) {
			char sub[CAIRN_FS_MAX_NAME_LEN];
			size_t len = xml_attr_string(&n, "name", sub, sizeof(sub), "");
			if (!len || len >= sizeof(sub) || strchr(sub, '/')) { log_failed(&n); continue; }
			struct dir_fs *sd;
			int r = build_dir(env, &n, sub, &sd);
			if (r != CAIRN_OK) { dir_destroy(&d->base); return r; }
			fs = &sd->base;
		} else {
			const struct vfs_fs_ops *ops = vfs_plugin(xml_type(&n));
			if (!ops || !ops->create || ops->create(env, &n, &fs) != CAIRN_OK || !fs) {
				log_failed(&n);
				continue;
			}
			fs->ops = ops;
			fs->env = env;
		}
		*tail = fs;
		tail  = &fs->next;
	}
	*out = d;
	return CAIRN_OK;
}

int vfs_create(vfs **out, struct vfs_env *env, const struct xml_node *config)
{
	struct vfs *v = cairn_heap_calloc(env->heap, 1, sizeof(*v));
	if (!v) return CAIRN_ERR_NO_MEMORY;
	v->env = env;
	int r = build_dir(env, config, "", &v->root);
	if (r != CAIRN_OK) { cairn_heap_free(env->heap, v); return r; }
	*out = v;
	return CAIRN_OK;
}

void vfs_destroy(vfs *v)
{
	dir_destroy(&v->root->base);
	cairn_heap_free(v->env->heap, v);
}

/* ---------------------------------------------------------------- public API */

static bool parent_is_dir(vfs *v, const char *path)
{
	char parent[CAIRN_FS_MAX_PATH_LEN];
	const char *slash = strrchr(path, '/');
	size_t n = slash && slash != path ? (size_t)(slash - path) : 1;
	memcpy(parent, path, n);
	parent[n] = 0;
	return vfs_directory(v, parent);
}

int vfs_stat(vfs *v, const char *path, struct vfs_stat *st)
{
	if (!vfs_path_valid(path)) return LOOKUP;
	return dir_stat(&v->root->base, path, st);
}

bool vfs_directory(vfs *v, const char *path)
{
	struct vfs_stat st;
	return vfs_stat(v, path, &st) == CAIRN_OK && st.mode == CAIRN_FS_MODE_DIRECTORY;
}

int vfs_dirent(vfs *v, const char *path, uint64_t index, struct vfs_dirent *de)
{
	if (!vfs_directory(v, path)) return LOOKUP;
	return dir_dirent(&v->root->base, path, index, de);
}

uint64_t vfs_num_dirent(vfs *v, const char *path)
{
	return vfs_directory(v, path) ? dir_num_dirent(&v->root->base, path) : 0;
}

int vfs_mkdir(vfs *v, const char *path)
{
	struct vfs_stat st;
	if (!vfs_path_valid(path)) return LOOKUP;
	if (dir_stat(&v->root->base, path, &st) == CAIRN_OK) return CAIRN_FS_ERR_NODE_ALREADY_EXISTS;
	if (!parent_is_dir(v, path)) return LOOKUP;
	return dir_mkdir(&v->root->base, path);
}

int vfs_unlink(vfs *v, const char *path)
{
	if (!vfs_path_valid(path)) return LOOKUP;
	return dir_unlink(&v->root->base, path);
}

int vfs_rename(vfs *v, const char *from, const char *to)
{
	if (!vfs_path_valid(from) || !vfs_path_valid(to)) return LOOKUP;
	if (!parent_is_dir(v, to)) return LOOKUP;
	size_t n = strlen(from);
	if (strncmp(to, from, n) == 0 && to[n] == '/') return DENIED;   /* into itself */
	if (strcmp(from, to) == 0) { struct vfs_stat st; return vfs_stat(v, from, &st); }
	return dir_rename(&v->root->base, from, to);
}

int vfs_symlink(vfs *v, const char *path, const char *target, bool create)
{
	if (!vfs_path_valid(path)) return LOOKUP;
	if (create && !parent_is_dir(v, path)) return LOOKUP;
	return dir_symlink(&v->root->base, path, target, create);
}

int vfs_readlink(vfs *v, const char *path, char *buf, size_t size, size_t *out)
{
	*out = 0;
	if (!vfs_path_valid(path)) return LOOKUP;
	return dir_readlink(&v->root->base, path, buf, size, out);
}

int vfs_open(vfs *v, const char *path, unsigned mode, bool create, cairn_heap *alloc, vfs_handle **out)
{
	if (!vfs_path_valid(path) || strcmp(path, "/") == 0) return LOOKUP;
	if (create && !parent_is_dir(v, path)) return LOOKUP;
	return dir_open(&v->root->base, path, mode, create, alloc, out);
}

void vfs_close(vfs_handle *h)
{
	if (h->fs->ops->close) h->fs->ops->close(h);
	else vfs_handle_free(h);
}

int vfs_read(vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	*out = 0;
	if (h->mode != CAIRN_FS_READ_ONLY && h->mode != CAIRN_FS_READ_WRITE) return DENIED;
	return h->fs->ops->read ? h->fs->ops->read(h, pos, buf, len, out) : CAIRN_OK;
}

int vfs_write(vfs_handle *h, uint64_t pos, const void *buf, size_t len, size_t *out)
{
	*out = 0;
	if (h->mode != CAIRN_FS_WRITE_ONLY && h->mode != CAIRN_FS_READ_WRITE) return DENIED;
	return h->fs->ops->write ? h->fs->ops->write(h, pos, buf, len, out) : DENIED;
}

int vfs_ftruncate(vfs_handle *h, uint64_t len)
{
	if (h->mode != CAIRN_FS_WRITE_ONLY && h->mode != CAIRN_FS_READ_WRITE) return DENIED;
	return h->fs->ops->ftruncate ? h->fs->ops->ftruncate(h, len) : DENIED;
}

int vfs_fstat(vfs_handle *h, struct vfs_stat *st)
{
	return h->fs->ops->fstat ? h->fs->ops->fstat(h, st) : LOOKUP;
}

unsigned vfs_handle_mode(const vfs_handle *h) { return h->mode; }

void vfs_sync(vfs *v, const char *path)
{
	if (vfs_path_valid(path)) dir_sync(&v->root->base, path);
}
