/* single.h - the common part of plugins that provide one node (inline, rom, log, null, ...) */
#pragma once

#include <vfs/plugin.h>

/*
 * Such a plugin has one node, "/<name>", at the level it is mounted:
 * it lists that one entry in "/" and knows no other path.
 */
struct single_fs {
	struct vfs_fs base;
	char          name[CAIRN_FS_MAX_NAME_LEN];
	uint32_t      mode;       /* CAIRN_FS_MODE_FILE or _SYMLINK */
	bool          writable;   /* may be opened for writing */
	uint64_t    (*size)(struct single_fs *s);
};

/* allocate a plugin instance of `size` bytes with the node name from `name` (default def) */
void *single_create(struct vfs_env *env, const struct xml_node *n, const char *def, size_t size,
                    uint32_t mode, bool writable);

int      single_stat(struct vfs_fs *fs, const char *path, struct vfs_stat *st);
uint64_t single_num_dirent(struct vfs_fs *fs, const char *path);
int      single_dirent(struct vfs_fs *fs, const char *path, uint64_t index, struct vfs_dirent *de);
int      single_open(struct vfs_fs *fs, const char *path, unsigned mode, bool create,
                     cairn_heap *alloc, struct vfs_handle **out);
int      single_fstat(struct vfs_handle *h, struct vfs_stat *st);
void     single_destroy(struct vfs_fs *fs);

#define SINGLE_OPS \
	.stat = single_stat, .num_dirent = single_num_dirent, .dirent = single_dirent, \
	.fstat = single_fstat
