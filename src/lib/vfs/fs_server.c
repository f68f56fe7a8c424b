/* fs_server.c - File_system sessions over a VFS: handles, packets, notifications */

#include <base/log.h>
#include <base/root.h>
#include <util/args.h>
#include <util/label.h>
#include <vfs/fs_server.h>

#include <stdio.h>
#include <string.h>

/*
 * Every session is an RPC object on the entrypoint, paid from its
 * client's donation: the session heap (limited by the root helper, then
 * lowered by the transport buffer's cost) holds the session and its
 * handles. A handle remembers the VFS path it names; file handles also
 * hold the VFS's open file. Packets are processed when the client's
 * packet_avail (or ready_to_ack) signal arrives, a bounded number at a
 * time, and only while an ack slot is free: the server never waits for a
 * client. Every request and packet is checked before it is believed;
 * what is wrong is answered with an error (RPC) or length 0 (packet).
 */
enum {
	ROOT_OVERHEAD  = 512,     /* the root helper's bookkeeping, at most */
	META_MIN       = 4096,    /* metadata room a session needs at least */
	PACKET_BUDGET  = 64,      /* packets per round before other work gets a turn */
	MAX_WARNINGS   = 8,       /* packet warnings per session */
	TX_BUF_MAX     = 64 << 20,
};

enum kind { H_FILE, H_DIR, H_SYMLINK, H_NODE };

struct fs_session;

struct fs_handle {
	enum kind          kind;
	char              *path;        /* full VFS path */
	vfs_handle        *vh;          /* H_FILE */
	unsigned           mode;
	bool               dirty;       /* written since the last notification */
	cairn_cap          sigh;
	struct fs_session *session;
	struct fs_handle  *wprev, *wnext;   /* in the server's watch list while sigh is set */
};

struct fs_session {
	cairn_rpc_obj     obj;
	cairn_heap       *heap;
	size_t            quota, ds_cost;
	bool              limit_stale;
	char              label[LABEL_MAX + 1];
	char              root[CAIRN_FS_MAX_PATH_LEN];   /* "" for the VFS root */
	bool              writeable;
	cairn_ps_tx_sink  tx;
	struct fs_handle *handles[CAIRN_FS_MAX_HANDLES];
	unsigned          warnings;
};

static struct {
	cairn_env          *env;
	vfs                *v;
	fs_server_policy_fn policy;
	void               *data;
	cairn_root          root;
	struct fs_handle   *watched;
} srv;

enum {
	INVALID_HANDLE = CAIRN_FS_ERR_INVALID_HANDLE,
	INVALID_NAME   = CAIRN_FS_ERR_INVALID_NAME,
	LOOKUP         = CAIRN_FS_ERR_LOOKUP_FAILED,
	DENIED         = CAIRN_FS_ERR_PERMISSION_DENIED,
};

/* ---------------------------------------------------------------- paths */

bool fs_server_join_root(char *dst, size_t size, const char *policy_root, const char *arg_root)
{
	char tmp[2 * CAIRN_FS_MAX_PATH_LEN];
	snprintf(tmp, sizeof(tmp), "/%s/%s", policy_root ? policy_root : "", arg_root ? arg_root : "");
	size_t n = 0;
	for (const char *p = tmp; *p;) {
		while (*p == '/') p++;
		const char *e = p;
		while (*e && *e != '/') e++;
		if (e == p) break;
		if (n + 1 + (size_t)(e - p) + 1 > size) return false;
		dst[n++] = '/';
		memcpy(dst + n, p, (size_t)(e - p));
		n += (size_t)(e - p);
		p = e;
	}
	if (!n) { if (size < 2) return false; dst[n++] = '/'; }
	dst[n] = 0;
	return vfs_path_valid(dst);
}

/* session path (absolute in the session root) to VFS path; false: invalid */
static bool full_path(struct fs_session *s, const char *rel, char *out, size_t size)
{
	char clean[CAIRN_FS_MAX_PATH_LEN];
	size_t n = strlen(rel);
	if (!n || rel[0] != '/' || n >= sizeof(clean)) return false;
	memcpy(clean, rel, n + 1);
	while (n > 1 && clean[n - 1] == '/') clean[--n] = 0;   /* "/a/" is "/a" */
	if (!vfs_path_valid(clean)) return false;
	int len = strcmp(clean, "/") == 0 ? snprintf(out, size, "%s", s->root[0] ? s->root : "/")
	                                  : snprintf(out, size, "%s%s", s->root, clean);
	return len > 0 && (size_t)len < size && vfs_path_valid(out);
}

static bool valid_name(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static bool child_path(const char *dir, const char *name, char *out, size_t size)
{
	int len = snprintf(out, size, "%s/%s", strcmp(dir, "/") ? dir : "", name);
	return len > 0 && (size_t)len < size;
}

static void parent_path(const char *path, char *out)
{
	const char *s = strrchr(path, '/');
	size_t n = s && s != path ? (size_t)(s - path) : 1;
	memcpy(out, path, n);
	out[n] = 0;
}

/* ---------------------------------------------------------------- notifications */

static void notify(const char *path)
{
	for (struct fs_handle *h = srv.watched; h; h = h->wnext)
		if (strcmp(h->path, path) == 0) cairn_signal_submit(h->sigh, 1);
}

/* a node was created, removed or renamed: its watchers and its directory's */
static void notify_change(const char *path)
{
	char dir[CAIRN_FS_MAX_PATH_LEN];
	notify(path);
	parent_path(path, dir);
	if (strcmp(dir, path)) notify(dir);
}

static void unwatch(struct fs_handle *h)
{
	if (!cairn_cap_valid(h->sigh)) return;
	if (h->wprev) h->wprev->wnext = h->wnext;
	else srv.watched = h->wnext;
	if (h->wnext) h->wnext->wprev = h->wprev;
	h->wprev = h->wnext = 0;
	cairn_cap_release(h->sigh);
	h->sigh = CAIRN_CAP_INVALID;
}

static void watch(struct fs_handle *h, cairn_cap sigh)
{
	unwatch(h);
	if (!cairn_cap_valid(sigh)) return;
	h->sigh  = sigh;
	h->wnext = srv.watched;
	if (srv.watched) srv.watched->wprev = h;
	srv.watched = h;
}

/* ---------------------------------------------------------------- handles */

static struct fs_handle *handle_of(struct fs_session *s, uint32_t id)
{
	return id < CAIRN_FS_MAX_HANDLES ? s->handles[id] : 0;
}

static int new_handle(struct fs_session *s, enum kind kind, const char *path, vfs_handle *vh,
                      unsigned mode, cairn_msg *reply)
{
	unsigned id = 0;
	while (id < CAIRN_FS_MAX_HANDLES && s->handles[id]) id++;
	size_t len = strlen(path);
	struct fs_handle *h = id < CAIRN_FS_MAX_HANDLES ? cairn_heap_calloc(s->heap, 1, sizeof(*h)) : 0;
	char *p = h ? cairn_heap_alloc(s->heap, len + 1) : 0;
	if (!p) {
		if (h) cairn_heap_free(s->heap, h);
		if (vh) vfs_close(vh);
		return CAIRN_ERR_METADATA;
	}
	memcpy(p, path, len + 1);
	*h = (struct fs_handle){ .kind = kind, .path = p, .vh = vh, .mode = mode, .session = s };
	s->handles[id] = h;
	cairn_msg_put_u32(reply, id);
	return CAIRN_OK;
}

static void flush(struct fs_handle *h)
{
	if (!h->dirty) return;
	h->dirty = false;
	notify(h->path);
}

static void close_handle(struct fs_session *s, uint32_t id)
{
	struct fs_handle *h = handle_of(s, id);
	if (!h) return;
	s->handles[id] = 0;
	flush(h);
	unwatch(h);
	if (h->vh) vfs_close(h->vh);
	cairn_heap_free(s->heap, h->path);
	cairn_heap_free(s->heap, h);
}

/* ---------------------------------------------------------------- operations */

static bool writes(unsigned mode) { return mode == CAIRN_FS_WRITE_ONLY || mode == CAIRN_FS_READ_WRITE; }

/* the directory handle and the element name of FILE, SYMLINK, UNLINK, MOVE */
static int dir_and_name(struct fs_session *s, cairn_msg *req, char *path, size_t size)
{
	struct fs_handle *d = handle_of(s, cairn_msg_get_u32(req));
	char name[CAIRN_FS_MAX_NAME_LEN];
	bool name_ok = cairn_msg_get_str(req, name, sizeof(name));
	if (!d || d->kind != H_DIR) return INVALID_HANDLE;
	if (!name_ok || !valid_name(name) || !child_path(d->path, name, path, size)) return INVALID_NAME;
	return CAIRN_OK;
}

static int op_file(struct fs_session *s, cairn_msg *req, cairn_msg *reply)
{
	char path[CAIRN_FS_MAX_PATH_LEN];
	int r = dir_and_name(s, req, path, sizeof(path));
	unsigned mode = cairn_msg_get_u32(req);
	bool create = cairn_msg_get_u32(req) != 0;
	if (r != CAIRN_OK) return r;
	if (req->err || mode > CAIRN_FS_READ_WRITE) return CAIRN_ERR_INVALID_ARGS;
	if ((create || writes(mode)) && !s->writeable) return DENIED;
	vfs_handle *vh;
	r = vfs_open(srv.v, path, mode, create, s->heap, &vh);
	if (r != CAIRN_OK) return r;
	r = new_handle(s, H_FILE, path, vh, mode, reply);
	if (r == CAIRN_OK && create) notify_change(path);
	return r;
}

static int op_symlink(struct fs_session *s, cairn_msg *req, cairn_msg *reply)
{
	char path[CAIRN_FS_MAX_PATH_LEN];
	int r = dir_and_name(s, req, path, sizeof(path));
	bool create = cairn_msg_get_u32(req) != 0;
	if (r != CAIRN_OK) return r;
	if (create && !s->writeable) return DENIED;
	struct vfs_stat st;
	if (vfs_stat(srv.v, path, &st) == CAIRN_OK) {
		if (create) return CAIRN_FS_ERR_NODE_ALREADY_EXISTS;
		if (st.mode != CAIRN_FS_MODE_SYMLINK) return LOOKUP;
	} else if (!create) {
		return LOOKUP;
	} else {
		r = vfs_symlink(srv.v, path, "", true);
		if (r != CAIRN_OK) return r;
		notify_change(path);
	}
	return new_handle(s, H_SYMLINK, path, 0, s->writeable ? CAIRN_FS_READ_WRITE : CAIRN_FS_READ_ONLY, reply);
}

static int op_dir(struct fs_session *s, cairn_msg *req, cairn_msg *reply)
{
	char rel[CAIRN_FS_MAX_PATH_LEN], path[CAIRN_FS_MAX_PATH_LEN];
	bool ok = cairn_msg_get_str(req, rel, sizeof(rel));
	bool create = cairn_msg_get_u32(req) != 0;
	if (!ok) return CAIRN_FS_ERR_NAME_TOO_LONG;
	if (!full_path(s, rel, path, sizeof(path))) {
		bool too_long = strlen(rel) + strlen(s->root) >= CAIRN_FS_MAX_PATH_LEN - 1;
		return too_long ? CAIRN_FS_ERR_NAME_TOO_LONG : LOOKUP;
	}
	if (create) {
		if (!s->writeable) return DENIED;
		int r = vfs_mkdir(srv.v, path);
		if (r != CAIRN_OK) return r;
		notify_change(path);
	}
	if (!vfs_directory(srv.v, path)) return LOOKUP;
	return new_handle(s, H_DIR, path, 0, CAIRN_FS_READ_ONLY, reply);
}

static int op_node(struct fs_session *s, cairn_msg *req, cairn_msg *reply)
{
	char rel[CAIRN_FS_MAX_PATH_LEN], path[CAIRN_FS_MAX_PATH_LEN];
	struct vfs_stat st;
	if (!cairn_msg_get_str(req, rel, sizeof(rel)) || !full_path(s, rel, path, sizeof(path))) return LOOKUP;
	if (vfs_stat(srv.v, path, &st) != CAIRN_OK) return LOOKUP;
	return new_handle(s, H_NODE, path, 0, CAIRN_FS_STAT_ONLY, reply);
}

static int op_status(struct fs_session *s, cairn_msg *req, cairn_msg *reply)
{
	struct fs_handle *h = handle_of(s, cairn_msg_get_u32(req));
	if (!h) return INVALID_HANDLE;
	struct vfs_stat st;
	int r = h->vh ? vfs_fstat(h->vh, &st) : vfs_stat(srv.v, h->path, &st);
	if (r != CAIRN_OK) return r;
	if (st.mode == CAIRN_FS_MODE_DIRECTORY)
		st.size = vfs_num_dirent(srv.v, h->path) * sizeof(struct cairn_fs_dirent);
	cairn_msg_put_u64(reply, st.size);
	cairn_msg_put_u32(reply, st.mode);
	cairn_msg_put_u64(reply, st.inode);
	return CAIRN_OK;
}

static int op_unlink(struct fs_session *s, cairn_msg *req)
{
	char path[CAIRN_FS_MAX_PATH_LEN];
	int r = dir_and_name(s, req, path, sizeof(path));
	if (r != CAIRN_OK) return r;
	if (!s->writeable) return DENIED;
	r = vfs_unlink(srv.v, path);
	if (r == CAIRN_OK) notify_change(path);
	return r;
}

static int op_truncate(struct fs_session *s, cairn_msg *req)
{
	struct fs_handle *h = handle_of(s, cairn_msg_get_u32(req));
	uint64_t size = cairn_msg_get_u64(req);
	if (!h || h->kind != H_FILE) return INVALID_HANDLE;
	if (req->err) return CAIRN_ERR_INVALID_ARGS;
	if (!s->writeable || !writes(h->mode)) return DENIED;
	int r = vfs_ftruncate(h->vh, size);
	if (r == CAIRN_OK) h->dirty = true;
	return r;
}

static int op_move(struct fs_session *s, cairn_msg *req)
{
	char from[CAIRN_FS_MAX_PATH_LEN], to[CAIRN_FS_MAX_PATH_LEN];
	int r = dir_and_name(s, req, from, sizeof(from));
	int r2 = dir_and_name(s, req, to, sizeof(to));
	if (r != CAIRN_OK) return r;
	if (r2 != CAIRN_OK) return r2;
	if (!s->writeable) return DENIED;
	r = vfs_rename(srv.v, from, to);
	if (r != CAIRN_OK) return r;
	/* one signal per watcher: the directories may be the same */
	char from_dir[CAIRN_FS_MAX_PATH_LEN], to_dir[CAIRN_FS_MAX_PATH_LEN];
	parent_path(from, from_dir);
	parent_path(to, to_dir);
	notify(from);
	notify(to);
	notify(from_dir);
	if (strcmp(from_dir, to_dir)) notify(to_dir);
	return CAIRN_OK;
}

static int op_sigh(struct fs_session *s, cairn_msg *req)
{
	struct fs_handle *h = handle_of(s, cairn_msg_get_u32(req));
	cairn_cap c = cairn_msg_get_cap(req);
	if (!h) { cairn_cap_release(c); return INVALID_HANDLE; }
	watch(h, c);
	return CAIRN_OK;
}

static int op_sync(struct fs_session *s, cairn_msg *req)
{
	struct fs_handle *h = handle_of(s, cairn_msg_get_u32(req));
	if (!h) return INVALID_HANDLE;
	flush(h);
	vfs_sync(srv.v, h->path);
	return CAIRN_OK;
}

/* ---------------------------------------------------------------- packets */

static void warn(struct fs_session *s, const char *what, uint32_t handle)
{
	if (s->warnings < MAX_WARNINGS)
		cairn_warning("%s: packet refused: %s (handle %u)", s->label, what, handle);
	if (++s->warnings == MAX_WARNINGS)
		cairn_warning("%s: further refused packets are not logged", s->label);
}

static size_t read_dir(struct fs_handle *h, uint64_t pos, char *dst, size_t len)
{
	enum { REC = sizeof(struct cairn_fs_dirent) };
	if (pos % REC) return 0;
	size_t n = 0;
	for (uint64_t i = pos / REC; n + REC <= len; i++) {
		struct vfs_dirent de;
		if (vfs_dirent(srv.v, h->path, i, &de) != CAIRN_OK || de.type == VFS_DIRENT_END) break;
		struct cairn_fs_dirent rec = { .inode = de.inode, .type = de.type };
		memcpy(rec.name, de.name, sizeof(rec.name));
		rec.name[sizeof(rec.name) - 1] = 0;
		memcpy(dst + n, &rec, REC);
		n += REC;
	}
	return n;
}

static size_t do_read(struct fs_session *s, struct fs_handle *h, struct cairn_fs_packet *p,
                      char *dst, size_t len)
{
	size_t n = 0;
	uint64_t pos = p->position;
	switch (h->kind) {
	case H_FILE:
		if (h->mode != CAIRN_FS_READ_ONLY && h->mode != CAIRN_FS_READ_WRITE) break;
		if (pos == CAIRN_FS_SEEK_TAIL) {
			struct vfs_stat st;
			pos = vfs_fstat(h->vh, &st) == CAIRN_OK && st.size > len ? st.size - len : 0;
		}
		if (vfs_read(h->vh, pos, dst, len, &n) != CAIRN_OK) n = 0;
		return n;
	case H_DIR:
		return read_dir(h, pos, dst, len);
	case H_SYMLINK:
		if (pos == 0 && vfs_readlink(srv.v, h->path, dst, len, &n) != CAIRN_OK) n = 0;
		return n;
	case H_NODE:
		break;
	}
	warn(s, "read not permitted on this handle", p->handle);
	return 0;
}

static size_t do_write(struct fs_session *s, struct fs_handle *h, struct cairn_fs_packet *p,
                       const char *src, size_t len)
{
	size_t n = 0;
	if (!s->writeable) { warn(s, "session is read-only", p->handle); return 0; }
	if (h->kind == H_FILE && writes(h->mode)) {
		uint64_t pos = p->position;
		if (pos == CAIRN_FS_SEEK_TAIL) {
			struct vfs_stat st;
			pos = vfs_fstat(h->vh, &st) == CAIRN_OK ? st.size : 0;
		}
		if (vfs_write(h->vh, pos, src, len, &n) != CAIRN_OK) n = 0;
		if (n) h->dirty = true;
		return n;
	}
	if (h->kind == H_SYMLINK && p->position == 0) {
		/* the payload can change under us: the target is copied first */
		char target[CAIRN_FS_MAX_PATH_LEN];
		if (len >= sizeof(target)) { warn(s, "symlink target too long", p->handle); return 0; }
		memcpy(target, src, len);
		target[len] = 0;
		if (vfs_symlink(srv.v, h->path, target, false) != CAIRN_OK) return 0;
		notify_change(h->path);
		return len;
	}
	warn(s, "write not permitted on this handle", p->handle);
	return 0;
}

static void process(struct fs_session *s, struct cairn_fs_packet *p)
{
	uint64_t want = p->length;
	p->length = 0;
	p->succeeded = 0;
	char *content = ps_sink_content(&s->tx.sink, &p->base);
	if (!content) { warn(s, "payload outside the transport buffer", p->handle); return; }
	struct fs_handle *h = handle_of(s, p->handle);
	if (!h) { warn(s, "invalid handle", p->handle); return; }
	size_t len = (size_t)(want < p->base.size ? want : p->base.size);
	size_t n;
	if (p->opcode == CAIRN_FS_PACKET_READ) n = do_read(s, h, p, content, len);
	else if (p->opcode == CAIRN_FS_PACKET_WRITE) n = do_write(s, h, p, content, len);
	else { warn(s, "unknown opcode", p->handle); return; }
	p->length = n;
	p->succeeded = n > 0;
}

static void fix_limit(struct fs_session *s)
{
	if (!s->limit_stale) return;
	s->limit_stale = false;
	cairn_heap_set_limit(s->heap, s->quota - s->ds_cost - ROOT_OVERHEAD);
}

static void progress(cairn_ps_tx_sink *t, void *data)
{
	struct fs_session *s = data;
	fix_limit(s);
	unsigned budget = PACKET_BUDGET;
	while (ps_sink_packet_avail(&t->sink) && ps_sink_ready_to_ack(&t->sink)) {
		if (!budget--) {
			/* other sessions get their turn; we continue on our own signal */
			cairn_signal_submit(t->packet_avail.obj.cap, 1);
			return;
		}
		struct cairn_fs_packet p;
		if (ps_sink_get(&t->sink, &p) != PS_OK) break;
		process(s, &p);
		if (ps_sink_ack(&t->sink, &p) != PS_OK) break;
	}
}

/* ---------------------------------------------------------------- sessions */

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct fs_session *s = obj->data;
	fix_limit(s);
	int r;
	if (cairn_ps_tx_sink_dispatch(&s->tx, req, reply)) {
		r = CAIRN_OK;
	} else switch (req->code) {
	case CAIRN_FS_FILE:     r = op_file(s, req, reply);     break;
	case CAIRN_FS_SYMLINK:  r = op_symlink(s, req, reply);  break;
	case CAIRN_FS_DIR:      r = op_dir(s, req, reply);      break;
	case CAIRN_FS_NODE:     r = op_node(s, req, reply);     break;
	case CAIRN_FS_CLOSE:    close_handle(s, cairn_msg_get_u32(req)); r = CAIRN_OK; break;
	case CAIRN_FS_STATUS:   r = op_status(s, req, reply);   break;
	case CAIRN_FS_CONTROL:  r = handle_of(s, cairn_msg_get_u32(req)) ? CAIRN_OK : INVALID_HANDLE; break;
	case CAIRN_FS_UNLINK:   r = op_unlink(s, req);          break;
	case CAIRN_FS_TRUNCATE: r = op_truncate(s, req);        break;
	case CAIRN_FS_MOVE:     r = op_move(s, req);            break;
	case CAIRN_FS_SIGH:     r = op_sigh(s, req);            break;
	case CAIRN_FS_SYNC:     r = op_sync(s, req);            break;
	default:                r = CAIRN_ERR_OPCODE;
	}
	/* capabilities the operation did not take belong to us: drop them */
	if (r != CAIRN_OK) cairn_msg_init(reply, r);
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int create(cairn_root *root, const char *args, const char *label, cairn_heap *heap,
                  cairn_rpc_obj **obj)
{
	(void)root;
	size_t tx = args_size(args, "tx_buf_size", 0);
	if (!tx || tx > TX_BUF_MAX) {
		cairn_error("%s: invalid tx_buf_size %zu (1..%d bytes)", label, tx, TX_BUF_MAX);
		return CAIRN_ERR_INVALID_ARGS;
	}
	size_t quota = args_size(args, "ram_quota", 0);
	size_t ds_cost = cairn_ps_tx_sink_cost(tx, CAIRN_FS_QUEUE_SIZE, sizeof(struct cairn_fs_packet));
	size_t need = ds_cost + cairn_heap_block_cost(sizeof(struct fs_session) + 32) + META_MIN + ROOT_OVERHEAD;
	if (quota < need) {
		cairn_error("Insufficient ram quota, provided=%zu, required=%zu", quota, need);
		return CAIRN_ERR_QUOTA;
	}
	struct fs_server_policy pol;
	int r = srv.policy(srv.data, srv.v, label, args, &pol);
	if (r != CAIRN_OK) return r;

	cairn_heap_set_limit(heap, quota - ds_cost - ROOT_OVERHEAD);
	struct fs_session *s = cairn_heap_calloc(heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_QUOTA;
	s->heap      = heap;
	s->quota     = quota;
	s->ds_cost   = ds_cost;
	s->writeable = pol.writeable;
	snprintf(s->label, sizeof(s->label), "%s", label);
	snprintf(s->root, sizeof(s->root), "%s", strcmp(pol.root, "/") ? pol.root : "");
	r = cairn_ps_tx_sink_init(&s->tx, srv.env, tx, CAIRN_FS_QUEUE_SIZE,
	                          sizeof(struct cairn_fs_packet), progress, s);
	if (r != CAIRN_OK) { cairn_heap_free(heap, s); return r; }
	s->obj = (cairn_rpc_obj){ .dispatch = dispatch, .data = s };
	if (!cairn_cap_valid(cairn_ep_manage(srv.env->ep, &s->obj))) {
		cairn_ps_tx_sink_fini(&s->tx);
		cairn_heap_free(heap, s);
		return CAIRN_ERR_NO_MEMORY;
	}
	*obj = &s->obj;
	return CAIRN_OK;
}

static void upgrade(cairn_root *root, cairn_rpc_obj *obj, size_t ram_quota)
{
	(void)root;
	struct fs_session *s = obj->data;
	/* the root helper sets the heap's limit after this: correct it on the next call */
	s->quota += ram_quota;
	s->limit_stale = true;
}

static void destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	(void)root;
	struct fs_session *s = obj->data;
	cairn_ep_dissolve(srv.env->ep, obj);
	for (uint32_t i = 0; i < CAIRN_FS_MAX_HANDLES; i++) close_handle(s, i);
	cairn_ps_tx_sink_fini(&s->tx);
	cairn_heap_free(s->heap, s);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct fs_session),
	.create       = create,
	.upgrade      = upgrade,
	.destroy      = destroy,
};

int fs_server_announce(cairn_env *env, vfs *v, fs_server_policy_fn policy, void *data)
{
	srv.env    = env;
	srv.v      = v;
	srv.policy = policy;
	srv.data   = data;
	return cairn_root_announce(&srv.root, env, "File_system", &ops, 0);
}
