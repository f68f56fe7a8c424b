/* main.c - ram_fs: a File_system service keeping everything in memory */

#include "ram_fs.h"

#include <base/log.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/args.h>
#include <util/policy.h>
#include <vfs/fs_server.h>

#include <string.h>

/*
 * The file system is the VFS's `ram` plugin, preloaded from <content>.
 * Unlike the vfs server, ram_fs grants nothing without a policy: the
 * session's label must select a <policy> (or <default-policy>) with a
 * `root` that exists; `writeable="yes"` allows writes if the session
 * asked for them too.
 */
enum { RESERVE = 256 * 1024 };

static cairn_attached_rom config;
static struct xml_node    config_root;
static struct vfs_env     venv;

static int policy(void *data, vfs *v, const char *label, const char *args, struct fs_server_policy *out)
{
	(void)data;
	struct policy_result p = policy_select(&config_root, str_z(label));
	if (p.kind == POLICY_NONE) {
		cairn_error("invalid session request, no matching policy");
		return CAIRN_ERR_DENIED;
	}
	char proot[CAIRN_FS_MAX_PATH_LEN], aroot[CAIRN_FS_MAX_PATH_LEN];
	if (!xml_attr_string(&p.node, "root", proot, sizeof(proot), "")) {
		cairn_error("missing \"root\" attribute in policy definition");
		return CAIRN_ERR_DENIED;
	}
	(void)args_string(args, "root", aroot, sizeof(aroot), "");
	if (proot[0] != '/' || !fs_server_join_root(out->root, sizeof(out->root), proot, aroot)
	    || !vfs_directory(v, out->root)) {
		cairn_error("session root directory \"%s%s\" does not exist", proot, aroot);
		return CAIRN_ERR_DENIED;
	}
	out->writeable = xml_attr_bool(&p.node, "writeable", false) && args_bool(args, "writeable", true);
	return CAIRN_OK;
}

void cairn_component_construct(cairn_env *env)
{
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK) cairn_fatal("no config");
	struct xml_parse_result pr = xml_parse(config.data, strnlen(config.data, config.size), &config_root);
	if (pr.error) cairn_fatal("config: %s at byte %zu", xml_error_str(pr.error), pr.offset);

	size_t quota, used;
	(void)cairn_pd_quota(env->pd, &quota, &used);
	size_t avail = quota > used + RESERVE ? quota - used - RESERVE : quota / 4;
	venv = (struct vfs_env){ .env = env, .heap = env->heap, .store = cairn_heap_create(env->heap, avail) };
	if (!venv.store) cairn_fatal("cannot create the file store");

	static const char ram_config[] = "<vfs><ram/></vfs>";
	struct xml_node vfs_node, content;
	vfs *v;
	if (xml_parse(ram_config, sizeof(ram_config) - 1, &vfs_node).error ||
	    vfs_create(&v, &venv, &vfs_node) != CAIRN_OK)
		cairn_fatal("cannot create the file system");
	if (xml_sub_node_by_type(&config_root, "content", &content)) ram_fs_load(v, &venv, &content, "/");

	int r = fs_server_announce(env, v, policy, 0);
	if (r != CAIRN_OK) cairn_fatal("cannot announce the File_system service: %s", cairn_err_str(r));
}
