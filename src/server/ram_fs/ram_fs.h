/* ram_fs.h - ram_fs internals: preloading the <content> */
#pragma once

#include <vfs/vfs.h>

/* fill the directory `dir` of v from a <content> (or <dir>) node */
void ram_fs_load(vfs *v, struct vfs_env *env, const struct xml_node *content, const char *dir);
