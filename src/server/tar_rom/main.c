/* main.c - tar_rom: ROM modules served from the files of a tar archive */

#include <base/dataspace.h>
#include <base/log.h>
#include <base/root.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/label.h>
#include <vfs/vfs.h>

#include <stdio.h>
#include <string.h>

/*
 * Config: <archive name="archive.tar"/> names the archive, a ROM module
 * requested from the parent. The archive is indexed by the VFS's tar
 * plugin; a ROM request's last label element is looked up as a path in
 * it (`could not find file "<name>"` and Service_denied if missing).
 *
 * Content: each file is copied once into a RAM dataspace of tar_rom's
 * own, shared read-only by all sessions of that file and freed with the
 * last of them. Deviating from "the client pays", this keeps the
 * original's behaviour that lets init load binaries through tar_rom with
 * the usual small ROM donation; it is bounded by the archive's size,
 * whatever clients do. The session's donation pays its session object.
 */
struct file {
	char         path[CAIRN_FS_MAX_PATH_LEN];
	cairn_cap    ds, ds_ro;
	unsigned     users;
	struct file *next;
};

struct rom_session {
	cairn_rpc_obj obj;
	struct file  *file;
};

static cairn_env     *env;
static vfs           *archive;
static struct file   *files;
static cairn_root     root;
static struct vfs_env venv;

static int readonly_view(cairn_cap ds, cairn_cap *ro)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_READONLY);
	int r = cairn_rpc_call(ds, &m, &m);
	*ro = r == CAIRN_OK ? cairn_msg_get_cap(&m) : CAIRN_CAP_INVALID;
	return r == CAIRN_OK && !cairn_cap_valid(*ro) ? CAIRN_ERR_MSG : r;
}

/* copy a file of the archive into a dataspace */
static int load(struct file *f)
{
	vfs_handle *h;
	struct vfs_stat st;
	int r = vfs_open(archive, f->path, CAIRN_FS_READ_ONLY, false, env->heap, &h);
	if (r != CAIRN_OK) return r;
	r = vfs_fstat(h, &st);
	void *addr = 0;
	size_t size = 0, n;
	if (r == CAIRN_OK) r = cairn_pd_alloc(env->pd, st.size ? (size_t)st.size : 1, &f->ds);
	if (r == CAIRN_OK) r = cairn_ds_attach(f->ds, 0, 0, false, &addr, &size);
	if (r == CAIRN_OK) r = vfs_read(h, 0, addr, (size_t)st.size, &n);
	if (addr) cairn_ds_detach(addr, size);
	if (r == CAIRN_OK) r = readonly_view(f->ds, &f->ds_ro);
	vfs_close(h);
	if (r != CAIRN_OK && cairn_cap_valid(f->ds)) {
		(void)cairn_pd_free(env->pd, f->ds);
		cairn_cap_release(f->ds);
		f->ds = CAIRN_CAP_INVALID;
	}
	return r;
}

static struct file *acquire(const char *path)
{
	for (struct file *f = files; f; f = f->next)
		if (strcmp(f->path, path) == 0) { f->users++; return f; }
	struct file *f = cairn_heap_calloc(env->heap, 1, sizeof(*f));
	if (!f) return 0;
	snprintf(f->path, sizeof(f->path), "%s", path);
	if (load(f) != CAIRN_OK) { cairn_heap_free(env->heap, f); return 0; }
	f->users = 1;
	f->next  = files;
	files    = f;
	return f;
}

static void release(struct file *f)
{
	if (--f->users) return;
	for (struct file **p = &files; *p; p = &(*p)->next)
		if (*p == f) { *p = f->next; break; }
	cairn_cap_release(f->ds_ro);
	(void)cairn_pd_free(env->pd, f->ds);
	cairn_cap_release(f->ds);
	cairn_heap_free(env->heap, f);
}

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct rom_session *s = obj->data;
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_ROM_DATASPACE: cairn_msg_put_cap(reply, s->file->ds_ro); break;
	case CAIRN_ROM_UPDATE:    cairn_msg_put_u32(reply, 0);              break;
	case CAIRN_ROM_SIGH:      break;   /* archive content never changes */
	default:                  r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static int create(cairn_root *rt, const char *args, const char *label, cairn_heap *heap,
                  cairn_rpc_obj **obj)
{
	(void)rt; (void)args;
	struct str name = label_last_element(str_z(label));
	char path[CAIRN_FS_MAX_PATH_LEN];
	snprintf(path, sizeof(path), "/%.*s", (int)name.len, name.ptr);
	struct vfs_stat st;
	if (!name.len || vfs_stat(archive, path, &st) != CAIRN_OK || st.mode != CAIRN_FS_MODE_FILE) {
		cairn_error("could not find file \"%.*s\"", (int)name.len, name.ptr);
		return CAIRN_ERR_DENIED;
	}
	struct rom_session *s = cairn_heap_calloc(heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_QUOTA;
	s->file = acquire(path);
	if (!s->file) {
		cairn_error("cannot provide \"%s\": out of memory", path);
		cairn_heap_free(heap, s);
		return CAIRN_ERR_DENIED;
	}
	s->obj = (cairn_rpc_obj){ .dispatch = dispatch, .data = s };
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &s->obj))) {
		release(s->file);
		cairn_heap_free(heap, s);
		return CAIRN_ERR_NO_MEMORY;
	}
	*obj = &s->obj;
	return CAIRN_OK;
}

static void destroy(cairn_root *rt, cairn_rpc_obj *obj)
{
	(void)rt;
	struct rom_session *s = obj->data;
	cairn_ep_dissolve(env->ep, obj);
	release(s->file);
	cairn_heap_free(cairn_root_session_heap(obj), s);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct rom_session),
	.create       = create,
	.destroy      = destroy,
};

void cairn_component_construct(cairn_env *e)
{
	env = e;
	cairn_attached_rom config;
	struct xml_node cfg, a;
	char name[160] = "";
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		if (!xml_parse(config.data, strnlen(config.data, config.size), &cfg).error
		    && xml_sub_node_by_type(&cfg, "archive", &a))
			xml_attr_string(&a, "name", name, sizeof(name), "");
		cairn_attached_rom_close(&config, env);
	}
	if (!name[0]) cairn_fatal("no archive configured (<archive name=\"...\"/>)");

	char vfs_config[256];
	snprintf(vfs_config, sizeof(vfs_config), "<vfs><tar name=\"%s\"/></vfs>", name);
	struct xml_node vfs_node;
	venv = (struct vfs_env){ .env = env, .heap = env->heap, .store = env->heap };
	if (xml_parse(vfs_config, strlen(vfs_config), &vfs_node).error ||
	    vfs_create(&archive, &venv, &vfs_node) != CAIRN_OK || vfs_num_dirent(archive, "/") == 0)
		cairn_fatal("cannot read the archive \"%s\"", name);
	int r = cairn_root_announce(&root, env, "ROM", &ops, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the ROM service: %s", cairn_err_str(r));
}
