/* single.c - the common part of plugins that provide one node */

#include "single.h"

#include <stdio.h>
#include <string.h>

void *single_create(struct vfs_env *env, const struct xml_node *n, const char *def, size_t size,
                    uint32_t mode, bool writable)
{
	char name[CAIRN_FS_MAX_NAME_LEN];
	size_t len = xml_attr_string(n, "name", name, sizeof(name), def);
	if (!len || len >= sizeof(name) || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	struct single_fs *s = cairn_heap_calloc(env->heap, 1, size);
	if (!s) return 0;
	s->base.env = env;
	memcpy(s->name, name, len + 1);
	s->mode     = mode;
	s->writable = writable;
	return s;
}

static uint64_t size_of(struct single_fs *s) { return s->size ? s->size(s) : 0; }

int single_stat(struct vfs_fs *fs, const char *path, struct vfs_stat *st)
{
	struct single_fs *s = (struct single_fs *)fs;
	if (!vfs_is_leaf(path, s->name)) return CAIRN_FS_ERR_LOOKUP_FAILED;
	*st = (struct vfs_stat){ .size = size_of(s), .mode = s->mode, .inode = vfs_inode(s, 1) };
	return CAIRN_OK;
}

uint64_t single_num_dirent(struct vfs_fs *fs, const char *path)
{
	(void)fs;
	return strcmp(path, "/") == 0 ? 1 : 0;
}

int single_dirent(struct vfs_fs *fs, const char *path, uint64_t index, struct vfs_dirent *de)
{
	struct single_fs *s = (struct single_fs *)fs;
	if (strcmp(path, "/") != 0 || index != 0) {
		*de = (struct vfs_dirent){ .type = VFS_DIRENT_END };
		return CAIRN_OK;
	}
	*de = (struct vfs_dirent){
		.inode = vfs_inode(s, 1),
		.type  = s->mode == CAIRN_FS_MODE_SYMLINK ? CAIRN_FS_TYPE_SYMLINK : CAIRN_FS_TYPE_FILE,
	};
	memcpy(de->name, s->name, sizeof(de->name));
	return CAIRN_OK;
}

int single_open(struct vfs_fs *fs, const char *path, unsigned mode, bool create,
                cairn_heap *alloc, struct vfs_handle **out)
{
	struct single_fs *s = (struct single_fs *)fs;
	if (!vfs_is_leaf(path, s->name)) return create ? CAIRN_FS_ERR_PERMISSION_DENIED : CAIRN_FS_ERR_LOOKUP_FAILED;
	if (create) return CAIRN_FS_ERR_NODE_ALREADY_EXISTS;
	if (s->mode != CAIRN_FS_MODE_FILE) return CAIRN_FS_ERR_LOOKUP_FAILED;
	if (mode > CAIRN_FS_READ_WRITE) return CAIRN_FS_ERR_PERMISSION_DENIED;
	if ((mode == CAIRN_FS_WRITE_ONLY || mode == CAIRN_FS_READ_WRITE) && !s->writable)
		return CAIRN_FS_ERR_PERMISSION_DENIED;
	struct vfs_handle *h = vfs_handle_alloc(fs, alloc, sizeof(*h), mode);
	if (!h) return CAIRN_ERR_METADATA;
	*out = h;
	return CAIRN_OK;
}

int single_fstat(struct vfs_handle *h, struct vfs_stat *st)
{
	struct single_fs *s = (struct single_fs *)h->fs;
	*st = (struct vfs_stat){ .size = size_of(s), .mode = s->mode, .inode = vfs_inode(s, 1) };
	return CAIRN_OK;
}

void single_destroy(struct vfs_fs *fs) { cairn_heap_free(fs->env->heap, fs); }
