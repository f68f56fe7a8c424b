/* fs_server.h - a File_system service over a VFS (the core of the vfs and ram_fs servers) */
#pragma once

#include <vfs/vfs.h>

/*
 * Serves the File_system session (session/file_system/file_system.h) on
 * env->ep for the tree of `v`. What differs between servers is how a
 * session's root and write permission follow from its label and args:
 * the `policy` function decides (and logs what it wants to), the core
 * does the rest: quota checks, handles, the packet stream, notifications.
 *
 * Sessions pay for their transport buffer and metadata from their
 * donation. File content is paid by the VFS's store (the server's own
 * quota): the file systems are shared among the sessions.
 */
struct fs_server_policy {
	char root[CAIRN_FS_MAX_PATH_LEN];   /* absolute VFS path of an existing directory */
	bool writeable;
};

/* CAIRN_OK and *out filled, or an error that denies the session (CAIRN_ERR_DENIED, ...) */
typedef int (*fs_server_policy_fn)(void *data, vfs *v, const char *label, const char *args,
                                   struct fs_server_policy *out);

int fs_server_announce(cairn_env *env, vfs *v, fs_server_policy_fn policy, void *data)
	__attribute__((warn_unused_result));

/*
 * Join a policy root and a session's `root` argument into a normalised
 * absolute path ("/" + elements, no empty, "." or ".." elements).
 * False if the result is not valid or too long.
 */
bool fs_server_join_root(char *dst, size_t size, const char *policy_root, const char *arg_root);
