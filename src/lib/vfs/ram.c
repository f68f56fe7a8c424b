/* ram.c - the `ram` plugin: an in-memory file system of directories, files and symlinks */

#include "chunks.h"

#include <vfs/plugin.h>

#include <stdio.h>
#include <string.h>

/*
 * A tree of nodes; a directory keeps its children in creation order. All
 * memory (nodes, names, content in chunks: chunks.h) comes from the VFS's
 * `store` heap, whose
 * limit is the file system's size: when it is exhausted, creating or
 * growing fails with No_space and nothing else is affected. A node that
 * is unlinked while open lives on, detached, until its last handle is
 * closed.
 */
struct ram_node {
	struct ram_node *parent, *first, *last, *prev, *next;
	char            *name;
	uint64_t         inode;
	uint32_t         type;        /* CAIRN_FS_TYPE_* */
	unsigned         nchildren;
	unsigned         opened;
	bool             unlinked;
	struct chunks    content;     /* file content or symlink target */
};

struct ram_fs {
	struct vfs_fs    base;
	struct ram_node *root;
	uint64_t         next_inode;
};

struct ram_handle {
	struct vfs_handle base;
	struct ram_node  *node;
};

enum {
	LOOKUP = CAIRN_FS_ERR_LOOKUP_FAILED,
	DENIED = CAIRN_FS_ERR_PERMISSION_DENIED,
	NOSPACE = CAIRN_FS_ERR_NO_SPACE,
	MAX_FILE = 1 << 30,   /* one file, at most */
};

static cairn_heap *store(struct ram_fs *fs) { return fs->base.env->store; }

/* ---------------------------------------------------------------- tree */

static struct ram_node *child(struct ram_node *dir, const char *name, size_t len)
{
	for (struct ram_node *c = dir->first; c; c = c->next)
		if (strncmp(c->name, name, len) == 0 && c->name[len] == 0) return c;
	return 0;
}

static struct ram_node *lookup(struct ram_fs *fs, const char *path)
{
	struct ram_node *n = fs->root;
	for (const char *p = path; n && *p == '/' && p[1];) {
		const char *e = p + 1;
		while (*e && *e != '/') e++;
		if (n->type != CAIRN_FS_TYPE_DIRECTORY) return 0;
		n = child(n, p + 1, (size_t)(e - p - 1));
		p = e;
	}
	return n;
}

/* the directory that holds path's last element (which *leaf points at) */
static struct ram_node *lookup_parent(struct ram_fs *fs, const char *path, const char **leaf)
{
	const char *slash = strrchr(path, '/');
	if (!slash || !slash[1]) return 0;
	*leaf = slash + 1;
	char dir[CAIRN_FS_MAX_PATH_LEN];
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof(dir)) return 0;
	memcpy(dir, path, n);
	dir[n] = 0;
	struct ram_node *d = lookup(fs, dir);
	return d && d->type == CAIRN_FS_TYPE_DIRECTORY ? d : 0;
}

static void attach(struct ram_node *dir, struct ram_node *n)
{
	n->parent = dir;
	n->prev   = dir->last;
	n->next   = 0;
	if (dir->last) dir->last->next = n;
	else dir->first = n;
	dir->last = n;
	dir->nchildren++;
}

static void detach(struct ram_node *n)
{
	struct ram_node *dir = n->parent;
	if (!dir) return;
	if (n->prev) n->prev->next = n->next;
	else dir->first = n->next;
	if (n->next) n->next->prev = n->prev;
	else dir->last = n->prev;
	dir->nchildren--;
	n->parent = n->prev = n->next = 0;
}

static char *copy_name(struct ram_fs *fs, const char *name)
{
	size_t len = strlen(name);
	char *s = cairn_heap_alloc(store(fs), len + 1);
	if (s) memcpy(s, name, len + 1);
	return s;
}

static struct ram_node *new_node(struct ram_fs *fs, struct ram_node *dir, const char *name, uint32_t type)
{
	struct ram_node *n = cairn_heap_calloc(store(fs), 1, sizeof(*n));
	if (!n) return 0;
	n->name = copy_name(fs, name);
	if (!n->name) { cairn_heap_free(store(fs), n); return 0; }
	n->type  = type;
	n->inode = ++fs->next_inode;
	attach(dir, n);
	return n;
}

static void free_node(struct ram_fs *fs, struct ram_node *n)
{
	while (n->first) {
		struct ram_node *c = n->first;
		detach(c);
		if (c->opened) c->unlinked = true;
		else free_node(fs, c);
	}
	chunks_free(&n->content, store(fs));
	cairn_heap_free(store(fs), n->name);
	cairn_heap_free(store(fs), n);
}

/* ---------------------------------------------------------------- plugin */

static int ram_create(struct vfs_env *env, const struct xml_node *node, struct vfs_fs **out)
{
	(void)node;
	struct ram_fs *fs = cairn_heap_calloc(env->heap, 1, sizeof(*fs));
	if (!fs) return CAIRN_ERR_NO_MEMORY;
	fs->base.env = env;
	fs->root = cairn_heap_calloc(env->store, 1, sizeof(*fs->root));
	if (fs->root) fs->root->name = copy_name(fs, "");
	if (!fs->root || !fs->root->name) {
		if (fs->root) cairn_heap_free(env->store, fs->root);
		cairn_heap_free(env->heap, fs);
		return CAIRN_ERR_NO_MEMORY;
	}
	fs->root->type  = CAIRN_FS_TYPE_DIRECTORY;
	fs->root->inode = ++fs->next_inode;
	*out = &fs->base;
	return CAIRN_OK;
}

static void ram_destroy(struct vfs_fs *f)
{
	struct ram_fs *fs = (struct ram_fs *)f;
	free_node(fs, fs->root);
	cairn_heap_free(f->env->heap, fs);
}

static uint32_t mode_of(const struct ram_node *n)
{
	return n->type == CAIRN_FS_TYPE_DIRECTORY ? CAIRN_FS_MODE_DIRECTORY
	     : n->type == CAIRN_FS_TYPE_SYMLINK   ? CAIRN_FS_MODE_SYMLINK : CAIRN_FS_MODE_FILE;
}

static void stat_of(const struct ram_node *n, struct vfs_stat *st)
{
	*st = (struct vfs_stat){
		.size  = n->type == CAIRN_FS_TYPE_DIRECTORY ? 0 : n->content.size,
		.mode  = mode_of(n),
		.inode = n->inode,
	};
}

static int ram_stat(struct vfs_fs *f, const char *path, struct vfs_stat *st)
{
	struct ram_node *n = lookup((struct ram_fs *)f, path);
	if (!n) return LOOKUP;
	stat_of(n, st);
	return CAIRN_OK;
}

static uint64_t ram_num_dirent(struct vfs_fs *f, const char *path)
{
	struct ram_node *n = lookup((struct ram_fs *)f, path);
	return n && n->type == CAIRN_FS_TYPE_DIRECTORY ? n->nchildren : 0;
}

static int ram_dirent(struct vfs_fs *f, const char *path, uint64_t index, struct vfs_dirent *de)
{
	struct ram_node *n = lookup((struct ram_fs *)f, path);
	*de = (struct vfs_dirent){ .type = VFS_DIRENT_END };
	if (!n || n->type != CAIRN_FS_TYPE_DIRECTORY) return LOOKUP;
	struct ram_node *c = n->first;
	for (uint64_t i = 0; c && i < index; i++) c = c->next;
	if (!c) return CAIRN_OK;
	de->inode = c->inode;
	de->type  = c->type;
	snprintf(de->name, sizeof(de->name), "%s", c->name);
	return CAIRN_OK;
}

static int ram_mkdir(struct vfs_fs *f, const char *path)
{
	struct ram_fs *fs = (struct ram_fs *)f;
	const char *leaf;
	struct ram_node *dir = lookup_parent(fs, path, &leaf);
	if (!dir) return LOOKUP;
	if (child(dir, leaf, strlen(leaf))) return CAIRN_FS_ERR_NODE_ALREADY_EXISTS;
	return new_node(fs, dir, leaf, CAIRN_FS_TYPE_DIRECTORY) ? CAIRN_OK : NOSPACE;
}

static void drop(struct ram_fs *fs, struct ram_node *n)
{
	detach(n);
	if (n->opened) n->unlinked = true;
	else free_node(fs, n);
}

static int ram_unlink(struct vfs_fs *f, const char *path)
{
	struct ram_fs *fs = (struct ram_fs *)f;
	struct ram_node *n = lookup(fs, path);
	if (!n) return LOOKUP;
	if (n == fs->root) return DENIED;
	if (n->nchildren) return CAIRN_FS_ERR_NOT_EMPTY;
	drop(fs, n);
	return CAIRN_OK;
}

static int ram_rename(struct vfs_fs *f, const char *from, const char *to)
{
	struct ram_fs *fs = (struct ram_fs *)f;
	struct ram_node *n = lookup(fs, from);
	if (!n) return LOOKUP;
	if (n == fs->root) return DENIED;
	const char *leaf;
	struct ram_node *dir = lookup_parent(fs, to, &leaf);
	if (!dir) return LOOKUP;
	for (struct ram_node *a = dir; a; a = a->parent)
		if (a == n) return DENIED;   /* into its own subtree */
	struct ram_node *dest = child(dir, leaf, strlen(leaf));
	if (dest == n) return CAIRN_OK;
	if (dest) {
		/* replace a node of the same kind; a directory only if empty */
		bool n_dir = n->type == CAIRN_FS_TYPE_DIRECTORY, d_dir = dest->type == CAIRN_FS_TYPE_DIRECTORY;
		if (n_dir != d_dir || dest->nchildren) return DENIED;
	}
	char *name = copy_name(fs, leaf);
	if (!name) return NOSPACE;
	if (dest) drop(fs, dest);
	detach(n);
	cairn_heap_free(store(fs), n->name);
	n->name = name;
	attach(dir, n);
	return CAIRN_OK;
}

static int set_content(struct ram_fs *fs, struct ram_node *n, const char *data, size_t len)
{
	int r = chunks_truncate(&n->content, store(fs), 0);
	return r == CAIRN_OK ? chunks_write(&n->content, store(fs), 0, data, len) : r;
}

static int ram_symlink(struct vfs_fs *f, const char *path, const char *target, bool create)
{
	struct ram_fs *fs = (struct ram_fs *)f;
	struct ram_node *n = lookup(fs, path);
	if (n) {
		if (n->type != CAIRN_FS_TYPE_SYMLINK) return create ? CAIRN_FS_ERR_NODE_ALREADY_EXISTS : LOOKUP;
		return set_content(fs, n, target, strlen(target));
	}
	if (!create) return LOOKUP;
	const char *leaf;
	struct ram_node *dir = lookup_parent(fs, path, &leaf);
	if (!dir) return LOOKUP;
	n = new_node(fs, dir, leaf, CAIRN_FS_TYPE_SYMLINK);
	if (!n) return NOSPACE;
	int r = set_content(fs, n, target, strlen(target));
	if (r != CAIRN_OK) drop(fs, n);
	return r;
}

static int ram_readlink(struct vfs_fs *f, const char *path, char *buf, size_t size, size_t *out)
{
	struct ram_node *n = lookup((struct ram_fs *)f, path);
	if (!n || n->type != CAIRN_FS_TYPE_SYMLINK) return LOOKUP;
	chunks_read(&n->content, 0, buf, size, out);
	return CAIRN_OK;
}

static int ram_open(struct vfs_fs *f, const char *path, unsigned mode, bool create,
                    cairn_heap *alloc, struct vfs_handle **out)
{
	struct ram_fs *fs = (struct ram_fs *)f;
	if (mode > CAIRN_FS_READ_WRITE) return DENIED;
	struct ram_node *n = lookup(fs, path);
	if (n && create) return CAIRN_FS_ERR_NODE_ALREADY_EXISTS;
	if (n && n->type != CAIRN_FS_TYPE_FILE) return LOOKUP;
	if (!n && !create) return LOOKUP;
	struct ram_handle *h = vfs_handle_alloc(f, alloc, sizeof(*h), mode);
	if (!h) return CAIRN_ERR_METADATA;
	if (!n) {
		const char *leaf;
		struct ram_node *dir = lookup_parent(fs, path, &leaf);
		n = dir ? new_node(fs, dir, leaf, CAIRN_FS_TYPE_FILE) : 0;
		if (!n) { vfs_handle_free(&h->base); return dir ? NOSPACE : LOOKUP; }
	}
	h->node = n;
	n->opened++;
	*out = &h->base;
	return CAIRN_OK;
}

static int ram_read(struct vfs_handle *vh, uint64_t pos, void *buf, size_t len, size_t *out)
{
	struct ram_node *n = ((struct ram_handle *)vh)->node;
	chunks_read(&n->content, pos, buf, len, out);
	return CAIRN_OK;
}

static int ram_write(struct vfs_handle *vh, uint64_t pos, const void *buf, size_t len, size_t *out)
{
	struct ram_fs *fs = (struct ram_fs *)vh->fs;
	struct ram_node *n = ((struct ram_handle *)vh)->node;
	*out = 0;
	if (!len) return CAIRN_OK;
	if (pos > MAX_FILE || len > MAX_FILE - pos) return NOSPACE;
	int r = chunks_write(&n->content, store(fs), pos, buf, len);
	if (r == CAIRN_OK) *out = len;
	return r;
}

static int ram_ftruncate(struct vfs_handle *vh, uint64_t len)
{
	struct ram_fs *fs = (struct ram_fs *)vh->fs;
	if (len > MAX_FILE) return NOSPACE;
	return chunks_truncate(&((struct ram_handle *)vh)->node->content, store(fs), len);
}

static int ram_fstat(struct vfs_handle *vh, struct vfs_stat *st)
{
	stat_of(((struct ram_handle *)vh)->node, st);
	return CAIRN_OK;
}

static void ram_close(struct vfs_handle *vh)
{
	struct ram_fs *fs = (struct ram_fs *)vh->fs;
	struct ram_node *n = ((struct ram_handle *)vh)->node;
	if (!--n->opened && n->unlinked) free_node(fs, n);
	vfs_handle_free(vh);
}

const struct vfs_fs_ops vfs_ram_ops = {
	.type       = "ram",
	.create     = ram_create,
	.destroy    = ram_destroy,
	.stat       = ram_stat,
	.dirent     = ram_dirent,
	.num_dirent = ram_num_dirent,
	.mkdir      = ram_mkdir,
	.unlink     = ram_unlink,
	.rename     = ram_rename,
	.symlink    = ram_symlink,
	.readlink   = ram_readlink,
	.open       = ram_open,
	.read       = ram_read,
	.write      = ram_write,
	.ftruncate  = ram_ftruncate,
	.fstat      = ram_fstat,
	.close      = ram_close,
};
