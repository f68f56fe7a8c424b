/* vfs.h - the virtual file system: a directory tree composed from a <vfs> config */
#pragma once

#include <base/env.h>
#include <base/heap.h>
#include <session/file_system/file_system.h>
#include <stdbool.h>
#include <stdint.h>
#include <util/xml.h>

/*
 * A VFS is built from a <vfs> node (configs.md 11): an unnamed root
 * directory whose sub nodes are file systems. <dir name="x"> makes a
 * directory holding the file systems inside it; every other node type
 * names a plugin (include/vfs/plugin.h): ram, tar, rom, inline, symlink,
 * log, null, zero, fs, rtc, jitterentropy, and whatever was registered.
 * File systems at one level are stacked: a lookup tries them in document
 * order and the first hit wins, directory listings are concatenated, a
 * new node goes to the first file system that accepts it.
 *
 * Paths are absolute ("/" is the root), elements separated by single
 * '/', no "." or ".." (callers normalise; vfs_path_valid tells). Symlinks
 * are nodes of their own: the VFS does not follow them.
 *
 * Results are CAIRN_OK or the File_system error codes
 * (CAIRN_FS_ERR_LOOKUP_FAILED, ..., CAIRN_ERR_METADATA), so a File_system
 * server hands them on unchanged.
 */
typedef struct vfs vfs;
typedef struct vfs_handle vfs_handle;

/* what plugins may use: the component's env, where metadata and file content come from */
struct vfs_env {
	cairn_env  *env;
	cairn_heap *heap;    /* nodes and plugin state */
	cairn_heap *store;   /* content of in-memory files (ram), limited */
};

struct vfs_stat {
	uint64_t size;
	uint32_t mode;       /* CAIRN_FS_MODE_FILE, _DIRECTORY, _SYMLINK */
	uint64_t inode;
};

enum { VFS_DIRENT_END = 0xff };   /* type of the entry past the last one */

struct vfs_dirent {
	uint64_t inode;
	uint32_t type;       /* CAIRN_FS_TYPE_*, or VFS_DIRENT_END */
	char     name[CAIRN_FS_MAX_NAME_LEN];
};

/*
 * Build the VFS of a <vfs> node. A node that cannot be created is logged
 * (`failed to create <type> VFS node` plus one line per attribute) and
 * left out; the rest is built. Returns CAIRN_ERR_NO_MEMORY if the heap is
 * exhausted.
 */
int  vfs_create(vfs **out, struct vfs_env *env, const struct xml_node *config)
	__attribute__((warn_unused_result));
void vfs_destroy(vfs *v);

/* path syntax as above, at most CAIRN_FS_MAX_PATH_LEN - 1 bytes */
bool vfs_path_valid(const char *path);

int      vfs_stat(vfs *v, const char *path, struct vfs_stat *st) __attribute__((warn_unused_result));
bool     vfs_directory(vfs *v, const char *path);
/* entry `index` of a directory (type VFS_DIRENT_END past the last) */
int      vfs_dirent(vfs *v, const char *path, uint64_t index, struct vfs_dirent *de)
	__attribute__((warn_unused_result));
uint64_t vfs_num_dirent(vfs *v, const char *path);

int vfs_mkdir(vfs *v, const char *path) __attribute__((warn_unused_result));
int vfs_unlink(vfs *v, const char *path) __attribute__((warn_unused_result));
int vfs_rename(vfs *v, const char *from, const char *to) __attribute__((warn_unused_result));

/* set a symlink's target; create: make it if missing (NODE_ALREADY_EXISTS for another node) */
int vfs_symlink(vfs *v, const char *path, const char *target, bool create)
	__attribute__((warn_unused_result));
int vfs_readlink(vfs *v, const char *path, char *buf, size_t size, size_t *out)
	__attribute__((warn_unused_result));

/*
 * Open a file (CAIRN_FS_* mode). With create, a missing file is created in
 * the first file system of its directory that accepts it; an existing one
 * gives CAIRN_FS_ERR_NODE_ALREADY_EXISTS. A directory or symlink gives
 * CAIRN_FS_ERR_LOOKUP_FAILED. The handle is allocated from `alloc` (e.g.
 * a session heap: CAIRN_ERR_METADATA when it is exhausted).
 */
int vfs_open(vfs *v, const char *path, unsigned mode, bool create, cairn_heap *alloc,
             vfs_handle **out) __attribute__((warn_unused_result));
void vfs_close(vfs_handle *h);

int vfs_read(vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
	__attribute__((warn_unused_result));
int vfs_write(vfs_handle *h, uint64_t pos, const void *buf, size_t len, size_t *out)
	__attribute__((warn_unused_result));
int vfs_ftruncate(vfs_handle *h, uint64_t len) __attribute__((warn_unused_result));
int vfs_fstat(vfs_handle *h, struct vfs_stat *st) __attribute__((warn_unused_result));
unsigned vfs_handle_mode(const vfs_handle *h);

void vfs_sync(vfs *v, const char *path);
