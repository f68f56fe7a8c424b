/* main.c - vfs server: the File_system service over a VFS configured by <vfs> */

#include <base/log.h>
#include <base/parent.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/args.h>
#include <util/policy.h>
#include <vfs/fs_server.h>

#include <string.h>

/*
 * The config (read once at start) holds the <vfs> tree and <policy>
 * nodes. Policy per session label (16.08 rules, util/policy.h): `root`
 * (default "/") with the session's `root` argument appended, and
 * `writeable` (default no), which only grants write access if the
 * session asked for it too. A label without a matching policy gets
 * read-only access to "/": the server is a resource multiplexer without
 * strong isolation, as the original.
 */
enum { RESERVE = 256 * 1024 };   /* of the initial quota, kept for metadata */

static cairn_attached_rom config;
static struct xml_node    config_root;
static struct vfs_env     venv;

static int policy(void *data, vfs *v, const char *label, const char *args, struct fs_server_policy *out)
{
	(void)data;
	char proot[CAIRN_FS_MAX_PATH_LEN] = "/", aroot[CAIRN_FS_MAX_PATH_LEN];
	bool writeable = false;
	struct policy_result p = policy_select(&config_root, str_z(label));
	if (p.kind != POLICY_NONE) {
		xml_attr_string(&p.node, "root", proot, sizeof(proot), "/");
		writeable = xml_attr_bool(&p.node, "writeable", false);
	}
	(void)args_string(args, "root", aroot, sizeof(aroot), "");
	if (!fs_server_join_root(out->root, sizeof(out->root), proot, aroot)) {
		cairn_error("invalid session root '%s%s' for '%s'", proot, aroot, label);
		return CAIRN_ERR_DENIED;
	}
	if (!vfs_directory(v, out->root)) {
		cairn_error("session root '%s' not found for '%s'", out->root, label);
		return CAIRN_ERR_DENIED;
	}
	out->writeable = writeable && args_bool(args, "writeable", true);
	cairn_log("session opened for '%s' at '%s'", label, out->root);
	return CAIRN_OK;
}

void cairn_component_construct(cairn_env *env)
{
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK) cairn_fatal("no config");
	struct xml_parse_result pr = xml_parse(config.data, strnlen(config.data, config.size), &config_root);
	if (pr.error) cairn_fatal("config: %s at byte %zu", xml_error_str(pr.error), pr.offset);

	struct xml_node vfs_node;
	if (!xml_sub_node_by_type(&config_root, "vfs", &vfs_node)) cairn_fatal("VFS not configured");

	size_t quota, used;
	(void)cairn_pd_quota(env->pd, &quota, &used);
	size_t avail = quota > used + RESERVE ? quota - used - RESERVE : quota / 4;
	venv = (struct vfs_env){ .env = env, .heap = env->heap, .store = cairn_heap_create(env->heap, avail) };
	if (!venv.store) cairn_fatal("cannot create the file store");

	vfs *v;
	int r = vfs_create(&v, &venv, &vfs_node);
	if (r != CAIRN_OK) cairn_fatal("cannot build the VFS: %s", cairn_err_str(r));
	r = fs_server_announce(env, v, policy, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the File_system service: %s", cairn_err_str(r));
}
