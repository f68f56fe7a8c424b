/* main.c - fs_rom: ROM modules read from a file system, updated when the files change */

#include <base/dataspace.h>
#include <base/log.h>
#include <base/root.h>
#include <session/file_system/file_system.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/args.h>
#include <util/label.h>

#include <stdio.h>
#include <string.h>

/*
 * One File_system session (label "", root "/", read-only) serves all ROM
 * sessions. A ROM session's module is the file named by the last label
 * element ("backdrop -> config" reads /config; the element may contain
 * '/'). The session watches the file through the File_system's SIGH; if
 * the file does not exist, it watches the nearest existing directory
 * above it (`detected directory change` is logged on each change there)
 * and the ROM is invalid until the file appears. Each change is
 * forwarded as the ROM signal.
 *
 * DATASPACE reads the whole file into a fresh RAM dataspace and hands out
 * a read-only capability of it; the previous one is freed first (the
 * client asks for the new one when it is done with the old). UPDATE
 * re-reads into the current dataspace if the file still fits. The
 * dataspace is paid from the session's donation: a file larger than the
 * donation allows (about donation - 1 KiB, in pages) is refused with
 * `Warning: <path>: file of N bytes exceeds the session quota` and an
 * invalid ROM; the client may upgrade the session.
 */
enum { ROOT_OVERHEAD = 512, TX_BUF = 64 * 1024 };

struct rom_session {
	cairn_rpc_obj        obj;
	size_t               quota;
	char                 path[CAIRN_FS_MAX_PATH_LEN];
	cairn_cap            sigh;        /* the client's */
	cairn_signal_handler changed;     /* the file system's notifications */
	cairn_fs_handle      watch;
	bool                 watching_dir;
	cairn_cap            ds, ds_ro;   /* current content */
	void                *ds_addr;
	size_t               ds_size;
};

static cairn_env *env;
static cairn_fs   fs;
static cairn_root root;

/* ---------------------------------------------------------------- watching */

static void unwatch(struct rom_session *s)
{
	if (s->watch == CAIRN_FS_INVALID_HANDLE) return;
	(void)cairn_fs_close(&fs, s->watch);
	s->watch = CAIRN_FS_INVALID_HANDLE;
}

/* watch the file, or the nearest existing directory above it */
static int watch(struct rom_session *s)
{
	unwatch(s);
	char p[CAIRN_FS_MAX_PATH_LEN];
	snprintf(p, sizeof(p), "%s", s->path);
	s->watching_dir = false;
	for (;;) {
		int r = cairn_fs_node(&fs, p, &s->watch);
		if (r == CAIRN_OK) break;
		if (r != CAIRN_FS_ERR_LOOKUP_FAILED) return r;   /* e.g. out of handles */
		s->watching_dir = true;
		char *slash = strrchr(p, '/');
		if (!slash || (slash == p && !p[1])) return r;
		if (slash == p) p[1] = 0;
		else *slash = 0;
	}
	return cairn_fs_sigh(&fs, s->watch, s->changed.obj.cap);
}

static void on_change(cairn_signal_handler *h, unsigned count)
{
	(void)count;
	struct rom_session *s = h->data;
	if (s->watching_dir) cairn_log("detected directory change");
	if (watch(s) != CAIRN_OK) cairn_error("%s: cannot watch for changes any more", s->path);
	if (cairn_cap_valid(s->sigh)) cairn_signal_submit(s->sigh, 1);
}

/* ---------------------------------------------------------------- content */

/* size of the file, or an error (with the message the original logs) */
static int file_size(struct rom_session *s, cairn_fs_handle *h, uint64_t *size)
{
	char dir[CAIRN_FS_MAX_PATH_LEN];
	const char *slash = strrchr(s->path, '/');
	size_t n = slash == s->path ? 1 : (size_t)(slash - s->path);
	memcpy(dir, s->path, n);
	dir[n] = 0;
	cairn_fs_handle d;
	int r = cairn_fs_dir(&fs, dir, false, &d);
	if (r == CAIRN_OK) {
		r = cairn_fs_file(&fs, d, slash + 1, CAIRN_FS_READ_ONLY, false, h);
		(void)cairn_fs_close(&fs, d);
	}
	struct cairn_fs_status st;
	if (r == CAIRN_OK) {
		r = cairn_fs_status(&fs, *h, &st);
		if (r != CAIRN_OK) (void)cairn_fs_close(&fs, *h);
		*size = st.size;
	}
	if (r == CAIRN_FS_ERR_LOOKUP_FAILED) cairn_error("%s: lookup_failed", s->path);
	else if (r != CAIRN_OK) cairn_error("%s: %s", s->path, cairn_fs_err_str(r));
	return r;
}

static int read_into(cairn_fs_handle h, void *dst, uint64_t size, size_t cap)
{
	size_t n;
	int r = cairn_fs_read(&fs, h, 0, dst, (size_t)size, &n);
	if (r == CAIRN_OK) memset((char *)dst + n, 0, cap - n);
	return r;
}

static void free_ds(struct rom_session *s)
{
	if (!cairn_cap_valid(s->ds)) return;
	cairn_ds_detach(s->ds_addr, s->ds_size);
	cairn_cap_release(s->ds_ro);
	(void)cairn_pd_free(env->pd, s->ds);
	cairn_cap_release(s->ds);
	s->ds = s->ds_ro = CAIRN_CAP_INVALID;
	s->ds_addr = 0;
	s->ds_size = 0;
}

static int readonly_view(cairn_cap ds, cairn_cap *ro)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_READONLY);
	int r = cairn_rpc_call(ds, &m, &m);
	*ro = r == CAIRN_OK ? cairn_msg_get_cap(&m) : CAIRN_CAP_INVALID;
	return r == CAIRN_OK && !cairn_cap_valid(*ro) ? CAIRN_ERR_MSG : r;
}

/* a fresh dataspace with the file's content; the ROM is invalid if it fails */
static void load(struct rom_session *s)
{
	free_ds(s);
	cairn_fs_handle h;
	uint64_t size;
	if (file_size(s, &h, &size) != CAIRN_OK) return;
	size_t need = (size_t)((size + 1 + 4095) & ~(uint64_t)4095);
	size_t meta = cairn_heap_block_cost(sizeof(*s) + 32) + ROOT_OVERHEAD;
	size_t room = s->quota > meta ? s->quota - meta : 0;
	int r = size > (1u << 30) || need > room ? CAIRN_ERR_QUOTA : cairn_pd_alloc(env->pd, need, &s->ds);
	if (r == CAIRN_ERR_QUOTA)
		cairn_warning("%s: file of %llu bytes exceeds the session quota", s->path, (unsigned long long)size);
	if (r == CAIRN_OK) {
		r = cairn_ds_attach(s->ds, 0, 0, false, &s->ds_addr, &s->ds_size);
		if (r != CAIRN_OK) {
			(void)cairn_pd_free(env->pd, s->ds);
			cairn_cap_release(s->ds);
			s->ds = CAIRN_CAP_INVALID;
		}
	}
	if (r == CAIRN_OK) r = read_into(h, s->ds_addr, size, s->ds_size);
	if (r == CAIRN_OK) r = readonly_view(s->ds, &s->ds_ro);
	if (r != CAIRN_OK && cairn_cap_valid(s->ds)) { s->ds_ro = CAIRN_CAP_INVALID; free_ds(s); }
	(void)cairn_fs_close(&fs, h);
}

/* the new content into the current dataspace, if it fits */
static bool update(struct rom_session *s)
{
	if (!cairn_cap_valid(s->ds)) return false;
	cairn_fs_handle h;
	uint64_t size;
	if (file_size(s, &h, &size) != CAIRN_OK) return false;
	bool ok = size < s->ds_size && read_into(h, s->ds_addr, size, s->ds_size) == CAIRN_OK;
	(void)cairn_fs_close(&fs, h);
	return ok;
}

/* ---------------------------------------------------------------- sessions */

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct rom_session *s = obj->data;
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_ROM_DATASPACE:
		load(s);
		cairn_msg_put_cap(reply, s->ds_ro);
		break;
	case CAIRN_ROM_UPDATE:
		cairn_msg_put_u32(reply, update(s));
		break;
	case CAIRN_ROM_SIGH:
		if (cairn_cap_valid(s->sigh)) cairn_cap_release(s->sigh);
		s->sigh = cairn_msg_get_cap(req);
		/* a change between session creation and registration is not missed */
		if (cairn_cap_valid(s->sigh)) cairn_signal_submit(s->sigh, 1);
		break;
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int create(cairn_root *rt, const char *args, const char *label, cairn_heap *heap,
                  cairn_rpc_obj **obj)
{
	(void)rt;
	cairn_log("request for %s", label);
	struct str name = label_last_element(str_z(label));
	if (!name.len || name.len + 2 > CAIRN_FS_MAX_PATH_LEN) return CAIRN_ERR_DENIED;
	struct rom_session *s = cairn_heap_calloc(heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_QUOTA;
	s->quota = args_size(args, "ram_quota", 0);
	s->watch = CAIRN_FS_INVALID_HANDLE;
	snprintf(s->path, sizeof(s->path), "%s%.*s", name.ptr[0] == '/' ? "" : "/", (int)name.len, name.ptr);
	s->obj = (cairn_rpc_obj){ .dispatch = dispatch, .data = s };
	if (!cairn_cap_valid(cairn_signal_handler_init(&s->changed, env->ep, on_change, s)) ||
	    !cairn_cap_valid(cairn_ep_manage(env->ep, &s->obj))) {
		if (cairn_cap_valid(s->changed.obj.cap)) cairn_signal_handler_fini(&s->changed, env->ep);
		cairn_heap_free(heap, s);
		return CAIRN_ERR_NO_MEMORY;
	}
	int r = watch(s);
	if (r != CAIRN_OK) {
		cairn_error("%s: cannot watch for changes: %s", s->path, cairn_fs_err_str(r));
		cairn_ep_dissolve(env->ep, &s->obj);
		cairn_signal_handler_fini(&s->changed, env->ep);
		cairn_heap_free(heap, s);
		return CAIRN_ERR_DENIED;
	}
	*obj = &s->obj;
	return CAIRN_OK;
}

static void upgrade(cairn_root *rt, cairn_rpc_obj *obj, size_t ram_quota)
{
	(void)rt;
	((struct rom_session *)obj->data)->quota += ram_quota;
}

static void destroy(cairn_root *rt, cairn_rpc_obj *obj)
{
	(void)rt;
	struct rom_session *s = obj->data;
	cairn_ep_dissolve(env->ep, obj);
	unwatch(s);
	cairn_signal_handler_fini(&s->changed, env->ep);
	free_ds(s);
	if (cairn_cap_valid(s->sigh)) cairn_cap_release(s->sigh);
	cairn_heap_free(cairn_root_session_heap(obj), s);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct rom_session),
	.create       = create,
	.upgrade      = upgrade,
	.destroy      = destroy,
};

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int r = cairn_fs_connect(&fs, env, "", "/", false, TX_BUF);
	if (r != CAIRN_OK) cairn_fatal("cannot open the File_system session: %s", cairn_fs_err_str(r));
	r = cairn_root_announce(&root, env, "ROM", &ops, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the ROM service: %s", cairn_err_str(r));
}
