/* file_system.h - File_system session: nodes by handle, data through a packet stream */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/packet_stream.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * The File_system service (servers `vfs`, `ram_fs`) gives a client a view
 * of a directory tree, rooted where the server's policy and the client's
 * `root` argument say. Nodes are opened by path or by name within an
 * open directory and named by small session-local handles; file content,
 * directory listings and symlink targets travel through the session's tx
 * packet stream (base/packet_stream.h), whose transport buffer the server
 * allocates from the client's donation.
 *
 * Session args:
 *   ram_quota    pays for the transport buffer (cairn_ps_tx_sink_cost)
 *                and the session's metadata (handles and their paths);
 *                the client library donates CAIRN_FS_RAM(tx_buf_size). A
 *                donation below the buffer's cost plus about 9 KiB is
 *                refused with CAIRN_ERR_QUOTA (`Error: Insufficient ram
 *                quota, provided=P, required=R`).
 *   tx_buf_size  bytes of the bulk buffer; 0 or missing: CAIRN_ERR_INVALID_ARGS
 *   label        selects the server's <policy>
 *   root         appended to the policy's root (default "/")
 *   writeable    yes/no (default yes); writes are allowed only if both the
 *                policy and this argument allow them
 * A session whose root does not exist, or for which the server has no
 * policy (ram_fs), is denied (CAIRN_ERR_DENIED).
 *
 * Handles are session-local numbers, CAIRN_FS_INVALID_HANDLE is none. At
 * most CAIRN_FS_MAX_HANDLES are open per session; more, or handles whose
 * metadata the donation cannot pay, give CAIRN_ERR_METADATA
 * (Out_of_metadata: upgrade the session and retry).
 *
 * Paths passed to DIR and NODE are absolute within the session root
 * ("/" is the root), at most CAIRN_FS_MAX_PATH_LEN - 1 bytes, no "." or
 * ".." elements. Names passed to FILE, SYMLINK, UNLINK and MOVE are
 * single elements: non-empty, no '/', at most CAIRN_FS_MAX_NAME_LEN - 1
 * bytes, else CAIRN_FS_ERR_INVALID_NAME.
 *
 * Operations (the session capability):
 *
 *   FILE     u32 dir, str name, u32 mode, u32 create -> u32 handle
 *            Open (or with create: create) a file in an open directory.
 *            Errors: INVALID_HANDLE (dir is no directory handle),
 *            INVALID_NAME, LOOKUP_FAILED (not found without create, or not
 *            a file), NODE_ALREADY_EXISTS (create on an existing node),
 *            NO_SPACE, CAIRN_ERR_METADATA, PERMISSION_DENIED (create or a
 *            writing mode on a read-only session).
 *   SYMLINK  u32 dir, str name, u32 create -> u32 handle
 *            The same for a symlink; its target is read and written with
 *            packets at position 0. Same errors.
 *   DIR      str path, u32 create -> u32 handle
 *            Open (create: make, only the last element) a directory.
 *            Errors: LOOKUP_FAILED (missing, not a directory, bad path),
 *            NAME_TOO_LONG, NODE_ALREADY_EXISTS, NO_SPACE,
 *            CAIRN_ERR_METADATA, PERMISSION_DENIED.
 *   NODE     str path -> u32 handle
 *            A handle of any node, for STATUS and SIGH only.
 *            Errors: LOOKUP_FAILED, CAIRN_ERR_METADATA.
 *   CLOSE    u32 handle -> -          (an unknown handle is ignored)
 *            Closing a file that was written notifies its watchers.
 *   STATUS   u32 handle -> u64 size, u32 mode, u64 inode
 *            mode is CAIRN_FS_MODE_FILE, _DIRECTORY or _SYMLINK; a
 *            directory's size is entries * sizeof(struct cairn_fs_dirent).
 *            Errors: INVALID_HANDLE, LOOKUP_FAILED (the node is gone).
 *   CONTROL  u32 handle -> -          no-op, kept for compatibility
 *   UNLINK   u32 dir, str name -> -
 *            Errors: INVALID_HANDLE, INVALID_NAME, LOOKUP_FAILED,
 *            NOT_EMPTY, PERMISSION_DENIED.
 *   TRUNCATE u32 file, u64 size -> -
 *            Errors: INVALID_HANDLE, NO_SPACE, PERMISSION_DENIED.
 *   MOVE     u32 dir_from, str from, u32 dir_to, str to -> -
 *            Errors: INVALID_HANDLE, INVALID_NAME, LOOKUP_FAILED,
 *            PERMISSION_DENIED (read-only, or across file systems).
 *   SIGH     u32 handle, cap sigh -> -
 *            Signal `sigh` whenever the node changes: a file when a
 *            handle that wrote it is closed or synced, or it is
 *            truncated, created, moved or unlinked; a directory when an
 *            entry is created, moved or unlinked. Errors: INVALID_HANDLE.
 *   SYNC     u32 handle -> -          flush, and notify as CLOSE does
 *
 * plus the tx channel's operations (CAIRN_PS_*, base/packet_stream.h),
 * queue size CAIRN_FS_QUEUE_SIZE, descriptor struct cairn_fs_packet.
 *
 * Packets: {offset, size} of the payload, the handle, the opcode (READ or
 * WRITE), the position (CAIRN_FS_SEEK_TAIL: the end of the file when
 * processed, i.e. append for writes) and the length to transfer (at most
 * size). The server sets `length` to the bytes transferred and
 * `succeeded` to length > 0; a short read is the end of the file.
 * Reading a directory yields whole struct cairn_fs_dirent records, at a
 * position that is a multiple of their size; past the last entry the
 * length is 0. A packet with an unknown handle, a payload outside the
 * bulk buffer, or an operation the handle does not permit is acknowledged
 * with length 0 and succeeded 0 (the server logs a warning, a limited
 * number per session), never trusted.
 */

typedef uint32_t cairn_fs_handle;
#define CAIRN_FS_INVALID_HANDLE ((cairn_fs_handle)0xffffffffu)

enum cairn_fs_op {
	CAIRN_FS_FILE = 1,
	CAIRN_FS_SYMLINK,
	CAIRN_FS_DIR,
	CAIRN_FS_NODE,
	CAIRN_FS_CLOSE,
	CAIRN_FS_STATUS,
	CAIRN_FS_CONTROL,
	CAIRN_FS_UNLINK,
	CAIRN_FS_TRUNCATE,
	CAIRN_FS_MOVE,
	CAIRN_FS_SIGH,
	CAIRN_FS_SYNC,
};

/* errors of the interface (the original's exception names) */
enum cairn_fs_error {
	CAIRN_FS_ERR_INVALID_HANDLE      = -1100, /* Invalid_handle */
	CAIRN_FS_ERR_INVALID_NAME        = -1101, /* Invalid_name */
	CAIRN_FS_ERR_LOOKUP_FAILED       = -1102, /* Lookup_failed */
	CAIRN_FS_ERR_NAME_TOO_LONG       = -1103, /* Name_too_long */
	CAIRN_FS_ERR_NODE_ALREADY_EXISTS = -1104, /* Node_already_exists */
	CAIRN_FS_ERR_NO_SPACE            = -1105, /* No_space */
	CAIRN_FS_ERR_NOT_EMPTY           = -1106, /* Not_empty */
	CAIRN_FS_ERR_PERMISSION_DENIED   = -1107, /* Permission_denied */
	/* Out_of_metadata is the framework's CAIRN_ERR_METADATA */
};

/* the exception name of a result code, e.g. "Lookup_failed" (any code) */
const char *cairn_fs_err_str(int code);

enum cairn_fs_mode {
	CAIRN_FS_STAT_ONLY  = 0,
	CAIRN_FS_READ_ONLY  = 1,
	CAIRN_FS_WRITE_ONLY = 2,
	CAIRN_FS_READ_WRITE = 3,
};

enum {
	CAIRN_FS_MODE_FILE      = 0100000,
	CAIRN_FS_MODE_DIRECTORY = 0040000,
	CAIRN_FS_MODE_SYMLINK   = 0020000,
};

enum {
	CAIRN_FS_MAX_NAME_LEN = 256,   /* with the terminating NUL */
	CAIRN_FS_MAX_PATH_LEN = 1024,  /* with the terminating NUL */
	CAIRN_FS_MAX_HANDLES  = 128,
	CAIRN_FS_QUEUE_SIZE   = 16,
	CAIRN_FS_META_RAM     = 8192 * sizeof(long),  /* the original's donation for metadata */
};

/* the donation for a session with a bulk buffer of tx bytes */
#define CAIRN_FS_RAM(tx) ((size_t)CAIRN_FS_META_RAM + (size_t)(tx) + 8192)

enum { CAIRN_FS_PACKET_READ = 0, CAIRN_FS_PACKET_WRITE = 1 };
#define CAIRN_FS_SEEK_TAIL (~(uint64_t)0)

struct cairn_fs_packet {
	struct ps_desc base;        /* payload in the transport buffer */
	uint32_t       handle;
	uint32_t       opcode;      /* CAIRN_FS_PACKET_READ or _WRITE */
	uint64_t       position;
	uint64_t       length;      /* requested; the server sets the transferred */
	uint32_t       succeeded;
	uint32_t       _pad;
};

enum { CAIRN_FS_TYPE_FILE = 0, CAIRN_FS_TYPE_DIRECTORY = 1, CAIRN_FS_TYPE_SYMLINK = 2 };

struct cairn_fs_dirent {
	uint64_t inode;
	uint32_t type;              /* CAIRN_FS_TYPE_* */
	uint32_t _pad;
	char     name[CAIRN_FS_MAX_NAME_LEN];
};

struct cairn_fs_status {
	uint64_t size;
	uint32_t mode;              /* CAIRN_FS_MODE_* */
	uint64_t inode;
};

/* ---- the client library (src/lib/os/fs_client.c) ---- */

/*
 * A connection: the session and its tx stream. Blocking calls, one
 * packet in flight at a time; to be used on the entrypoint given at
 * connect (env->ep).
 */
struct cairn_env;
typedef struct cairn_fs {
	struct cairn_env  *env;
	cairn_cap          session;
	cairn_ps_tx_source tx;
	size_t             tx_buf_size;
} cairn_fs;

/*
 * Open a session with tx_buf_size bytes of bulk buffer and the donation
 * CAIRN_FS_RAM(tx_buf_size). `root` NULL or "" means the policy's root.
 */
int  cairn_fs_connect(cairn_fs *fs, struct cairn_env *env, const char *label,
                      const char *root, bool writeable, size_t tx_buf_size)
	__attribute__((warn_unused_result));
void cairn_fs_disconnect(cairn_fs *fs);

int cairn_fs_file(cairn_fs *fs, cairn_fs_handle dir, const char *name, unsigned mode,
                  bool create, cairn_fs_handle *out) __attribute__((warn_unused_result));
int cairn_fs_symlink(cairn_fs *fs, cairn_fs_handle dir, const char *name, bool create,
                     cairn_fs_handle *out) __attribute__((warn_unused_result));
int cairn_fs_dir(cairn_fs *fs, const char *path, bool create, cairn_fs_handle *out)
	__attribute__((warn_unused_result));
int cairn_fs_node(cairn_fs *fs, const char *path, cairn_fs_handle *out)
	__attribute__((warn_unused_result));
int cairn_fs_close(cairn_fs *fs, cairn_fs_handle h);
int cairn_fs_status(cairn_fs *fs, cairn_fs_handle h, struct cairn_fs_status *st)
	__attribute__((warn_unused_result));
int cairn_fs_control(cairn_fs *fs, cairn_fs_handle h);
int cairn_fs_unlink(cairn_fs *fs, cairn_fs_handle dir, const char *name);
int cairn_fs_truncate(cairn_fs *fs, cairn_fs_handle file, uint64_t size);
int cairn_fs_move(cairn_fs *fs, cairn_fs_handle from_dir, const char *from,
                  cairn_fs_handle to_dir, const char *to);
int cairn_fs_sigh(cairn_fs *fs, cairn_fs_handle h, cairn_cap sigh);
int cairn_fs_sync(cairn_fs *fs, cairn_fs_handle h);

/*
 * Transfer data in packets of at most tx_buf_size bytes. read stores the
 * bytes read in *out (fewer than len: end of file, or the server refused
 * the packet) and returns CAIRN_OK; write returns CAIRN_FS_ERR_NO_SPACE
 * if fewer than len bytes were written (the server refused or ran out of
 * space; *out tells how many were). position CAIRN_FS_SEEK_TAIL appends.
 * CAIRN_ERR_MSG: the transport broke (corrupted queue, forged ack).
 */
int cairn_fs_read(cairn_fs *fs, cairn_fs_handle h, uint64_t position, void *buf,
                  size_t len, size_t *out) __attribute__((warn_unused_result));
int cairn_fs_write(cairn_fs *fs, cairn_fs_handle h, uint64_t position, const void *buf,
                   size_t len, size_t *out) __attribute__((warn_unused_result));

/*
 * One packet as given, for tests and special clients: allocate
 * packet->length bytes (copying `data` in for writes), submit, wait for the
 * ack, copy the result to `data` for reads, release. `packet` receives the
 * server's ack.
 */
int cairn_fs_packet(cairn_fs *fs, struct cairn_fs_packet *packet, void *data)
	__attribute__((warn_unused_result));
