/* plugin.h - VFS file-system plugins: a table of functions per node type */
#pragma once

#include <vfs/vfs.h>

/*
 * A file system of the VFS is an instance of a plugin, created from its
 * config node. Paths handed to a plugin are relative to the directory it
 * is mounted in ("/" is that directory); a plugin answers for the paths
 * it has and says CAIRN_FS_ERR_LOOKUP_FAILED for all others, so that the
 * stacking in the directory above can try the next file system. Every
 * function may be NULL: the VFS then answers as if the plugin had no such
 * node (lookups) or refused (CAIRN_FS_ERR_PERMISSION_DENIED, changes).
 *
 * Instances embed struct vfs_fs first; open files embed struct
 * vfs_handle first (allocated from the `alloc` given to open, with
 * vfs_handle_alloc). The original loaded unknown node types as shared
 * libraries (vfs_<type>.lib.so); here plugins are linked in and found by
 * name in a registry that starts with the built-in ones.
 */
struct vfs_fs;

struct vfs_fs_ops {
	const char *type;     /* the config node's name */
	int      (*create)(struct vfs_env *env, const struct xml_node *node, struct vfs_fs **out);
	void     (*destroy)(struct vfs_fs *fs);

	int      (*stat)(struct vfs_fs *fs, const char *path, struct vfs_stat *st);
	int      (*dirent)(struct vfs_fs *fs, const char *path, uint64_t index, struct vfs_dirent *de);
	uint64_t (*num_dirent)(struct vfs_fs *fs, const char *path);
	int      (*mkdir)(struct vfs_fs *fs, const char *path);
	int      (*unlink)(struct vfs_fs *fs, const char *path);
	int      (*rename)(struct vfs_fs *fs, const char *from, const char *to);
	int      (*symlink)(struct vfs_fs *fs, const char *path, const char *target, bool create);
	int      (*readlink)(struct vfs_fs *fs, const char *path, char *buf, size_t size, size_t *out);
	int      (*open)(struct vfs_fs *fs, const char *path, unsigned mode, bool create,
	                 cairn_heap *alloc, struct vfs_handle **out);
	void     (*sync)(struct vfs_fs *fs, const char *path);

	int      (*read)(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out);
	int      (*write)(struct vfs_handle *h, uint64_t pos, const void *buf, size_t len, size_t *out);
	int      (*ftruncate)(struct vfs_handle *h, uint64_t len);
	int      (*fstat)(struct vfs_handle *h, struct vfs_stat *st);
	void     (*close)(struct vfs_handle *h);
};

struct vfs_fs {
	const struct vfs_fs_ops *ops;
	struct vfs_env          *env;
	struct vfs_fs           *next;   /* the next file system at the same level */
};

struct vfs_handle {
	struct vfs_fs *fs;
	cairn_heap    *alloc;
	unsigned       mode;
};

/* allocate a plugin's handle of `size` bytes (>= sizeof(struct vfs_handle)) from alloc */
void *vfs_handle_alloc(struct vfs_fs *fs, cairn_heap *alloc, size_t size, unsigned mode);
void  vfs_handle_free(struct vfs_handle *h);

/* make a plugin known by its type name (false: the registry is full) */
bool vfs_register_plugin(const struct vfs_fs_ops *ops);
const struct vfs_fs_ops *vfs_plugin(struct str type);

/* ---- helpers for plugins ---- */

/* the single-file plugins' test: path is "/<name>" */
bool vfs_is_leaf(const char *path, const char *name);

/* a read from a byte range at pos: copies what is there, *out = bytes */
void vfs_read_range(const void *data, uint64_t size, uint64_t pos, void *buf, size_t len, size_t *out);

/* stable pseudo inode number for a plugin's node */
uint64_t vfs_inode(const void *fs, uint64_t n);
