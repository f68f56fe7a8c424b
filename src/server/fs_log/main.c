/* main.c - fs_log: LOG sessions written to files of a file system */

#include <base/log.h>
#include <base/root.h>
#include <session/file_system/file_system.h>
#include <session/log/log.h>
#include <session/rom/rom.h>
#include <util/label.h>
#include <util/policy.h>

#include <stdio.h>
#include <string.h>

/*
 * One File_system session (label "", root "/", writeable). A LOG
 * session's label names its file: every element but the last becomes a
 * directory, the last one the file `<element>.log` ('/' in elements
 * becomes '_'): `init -> nitpicker` writes /init/nitpicker.log. Messages
 * are appended as they are, one line each.
 *
 * Policy (util/policy.h; the config is re-read on changes and applies to
 * new sessions): `truncate="yes"` empties the file when the session
 * opens (unmerged files only). `merge="yes"` on a <policy> with only a
 * `label_prefix` makes all matching sessions share a file: the label up
 * to the first " -> " at or after the prefix's length names the file,
 * the rest of the label prefixes each message as `[rest] `. A matching
 * <default-policy> sends everything to /log, prefixed `[label] `.
 */
enum { TX_BUF = 16 * 1024, PREFIX_MAX = 200 };

struct log_session {
	cairn_rpc_obj   obj;
	cairn_fs_handle file;
	char            prefix[PREFIX_MAX];
};

static cairn_env         *env;
static cairn_fs           fs;
static cairn_root         root;
static cairn_attached_rom config;
static cairn_signal_handler config_handler;

/* ---------------------------------------------------------------- files */

/* "a -> b/c -> d" from label[0, len) as "/a/b_c/d" */
static void label_to_path(const char *label, size_t len, char *out, size_t size)
{
	size_t n = 0;
	out[n++] = '/';
	for (size_t i = 0; i < len && n + 2 < size;) {
		if (len - i >= 4 && memcmp(label + i, LABEL_SEPARATOR, 4) == 0) { out[n++] = '/'; i += 4; continue; }
		char c = label[i++];
		out[n++] = c == '/' ? '_' : c;
	}
	out[n] = 0;
}

/* make every directory of path (create as needed) */
static int make_dirs(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		cairn_fs_handle h;
		int r = cairn_fs_dir(&fs, path, false, &h);
		if (r == CAIRN_FS_ERR_LOOKUP_FAILED) r = cairn_fs_dir(&fs, path, true, &h);
		*s = '/';
		if (r != CAIRN_OK) return r;
		(void)cairn_fs_close(&fs, h);
	}
	return CAIRN_OK;
}

static int open_file(const char *path, bool truncate, cairn_fs_handle *out)
{
	char p[CAIRN_FS_MAX_PATH_LEN];
	snprintf(p, sizeof(p), "%s", path);
	int r = make_dirs(p);
	if (r != CAIRN_OK) return r;
	char *slash = strrchr(p, '/');
	cairn_fs_handle d;
	*slash = 0;
	r = cairn_fs_dir(&fs, p[0] ? p : "/", false, &d);
	if (r != CAIRN_OK) return r;
	r = cairn_fs_file(&fs, d, slash + 1, CAIRN_FS_WRITE_ONLY, false, out);
	if (r == CAIRN_FS_ERR_LOOKUP_FAILED) r = cairn_fs_file(&fs, d, slash + 1, CAIRN_FS_WRITE_ONLY, true, out);
	(void)cairn_fs_close(&fs, d);
	if (r == CAIRN_OK && truncate) (void)cairn_fs_truncate(&fs, *out, 0);
	return r;
}

/* ---------------------------------------------------------------- sessions */

static int dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct log_session *s = obj->data;
	static char text[CAIRN_LOG_MAX + PREFIX_MAX + 2];
	if (req->code != CAIRN_LOG_WRITE) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	size_t p = strlen(s->prefix);
	memcpy(text, s->prefix, p);
	if (!cairn_msg_get_str(req, text + p, CAIRN_LOG_MAX)) {
		reply->code = CAIRN_ERR_MSG;
		return CAIRN_RPC_REPLY;
	}
	size_t n = strlen(text + p);
	size_t len = p + n;
	if (!n || text[len - 1] != '\n') text[len++] = '\n';
	size_t written;
	/* a full or failing file system loses the message, the client goes on */
	bool lost = cairn_fs_write(&fs, s->file, CAIRN_FS_SEEK_TAIL, text, len, &written) != CAIRN_OK;
	cairn_msg_put_u32(reply, lost ? 0 : (uint32_t)n);
	return CAIRN_RPC_REPLY;
}

/* the file and message prefix of a label, by policy */
static void choose(const char *label, char *path, size_t size, char *prefix, bool *truncate)
{
	struct xml_node cfg = { 0 };
	if (config.data && xml_parse(config.data, strnlen(config.data, config.size), &cfg).error)
		cfg = (struct xml_node){ 0 };
	struct policy_result p = policy_select(&cfg, str_z(label));
	size_t len = strlen(label);
	prefix[0] = 0;
	*truncate = false;

	if (p.kind == POLICY_DEFAULT) {
		snprintf(path, size, "/log");
		snprintf(prefix, PREFIX_MAX, "[%s] ", label);
		return;
	}
	if (p.kind == POLICY_MATCH && xml_attr_bool(&p.node, "merge", false)
	    && xml_has_attribute(&p.node, "label_prefix") && !xml_has_attribute(&p.node, "label")
	    && !xml_has_attribute(&p.node, "label_suffix")) {
		struct xml_attr a;
		size_t plen = xml_attribute(&p.node, "label_prefix", &a) ? a.value.len : 0;
		const char *sep = plen <= len ? strstr(label + plen, LABEL_SEPARATOR) : 0;
		if (sep) {
			label_to_path(label, (size_t)(sep - label), path, size - 4);
			strcat(path, ".log");
			snprintf(prefix, PREFIX_MAX, "[%s] ", sep + 4);
			return;
		}
	}
	if (p.kind == POLICY_MATCH) *truncate = xml_attr_bool(&p.node, "truncate", false);
	label_to_path(label, len, path, size - 4);
	if (!len) snprintf(path, size, "/log");
	else strcat(path, ".log");
}

static int create(cairn_root *rt, const char *args, const char *label, cairn_heap *heap,
                  cairn_rpc_obj **obj)
{
	(void)rt; (void)args;
	struct log_session *s = cairn_heap_calloc(heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_QUOTA;
	char path[CAIRN_FS_MAX_PATH_LEN];
	bool truncate;
	choose(label, path, sizeof(path), s->prefix, &truncate);
	int r = open_file(path, truncate, &s->file);
	if (r != CAIRN_OK) {
		cairn_error("cannot open log file %s, %s", path, cairn_fs_err_str(r));
		cairn_heap_free(heap, s);
		return CAIRN_ERR_DENIED;
	}
	s->obj = (cairn_rpc_obj){ .dispatch = dispatch, .data = s };
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &s->obj))) {
		(void)cairn_fs_close(&fs, s->file);
		cairn_heap_free(heap, s);
		return CAIRN_ERR_NO_MEMORY;
	}
	*obj = &s->obj;
	return CAIRN_OK;
}

static void destroy(cairn_root *rt, cairn_rpc_obj *obj)
{
	(void)rt;
	struct log_session *s = obj->data;
	cairn_ep_dissolve(env->ep, obj);
	(void)cairn_fs_close(&fs, s->file);
	cairn_heap_free(cairn_root_session_heap(obj), s);
}

static const cairn_root_ops ops = {
	.session_size = sizeof(struct log_session),
	.create       = create,
	.destroy      = destroy,
};

static void config_changed(cairn_signal_handler *h, unsigned count)
{
	(void)h; (void)count;
	(void)cairn_attached_rom_update(&config);
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	if (cairn_attached_rom_open(&config, env, "config") == CAIRN_OK) {
		cairn_cap c = cairn_signal_handler_init(&config_handler, env->ep, config_changed, 0);
		(void)cairn_rom_sigh(config.session, c);
	}
	int r = cairn_fs_connect(&fs, env, "", "/", true, TX_BUF);
	if (r != CAIRN_OK) cairn_fatal("cannot open the File_system session: %s", cairn_fs_err_str(r));
	r = cairn_root_announce(&root, env, "LOG", &ops, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the LOG service: %s", cairn_err_str(r));
}
