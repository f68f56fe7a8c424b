/* simple.c - plugins of one node without a back end: inline, symlink, null, zero */

#include "single.h"

#include <string.h>

/* ---------------------------------------------------------------- inline */

/* a read-only file whose content is the node's raw content, copied */
struct inline_fs {
	struct single_fs s;
	size_t           len;
	char             data[];
};

static uint64_t inline_size(struct single_fs *s) { return ((struct inline_fs *)s)->len; }

static int inline_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct str c = xml_content(n);
	struct inline_fs *f = single_create(env, n, "", sizeof(*f) + c.len, CAIRN_FS_MODE_FILE, false);
	if (!f) return CAIRN_FS_ERR_INVALID_NAME;
	f->len = c.len;
	memcpy(f->data, c.ptr, c.len);
	f->s.size = inline_size;
	*out = &f->s.base;
	return CAIRN_OK;
}

static int inline_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	struct inline_fs *f = (struct inline_fs *)h->fs;
	vfs_read_range(f->data, f->len, pos, buf, len, out);
	return CAIRN_OK;
}

const struct vfs_fs_ops vfs_inline_ops = {
	.type = "inline", .create = inline_create, .destroy = single_destroy, SINGLE_OPS, .open = single_open,
	.read = inline_read,
};

/* ---------------------------------------------------------------- symlink */

struct symlink_fs {
	struct single_fs s;
	char             target[CAIRN_FS_MAX_PATH_LEN];
};

static uint64_t symlink_size(struct single_fs *s) { return strlen(((struct symlink_fs *)s)->target); }

static int symlink_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct symlink_fs *f = single_create(env, n, "", sizeof(*f), CAIRN_FS_MODE_SYMLINK, false);
	if (!f) return CAIRN_FS_ERR_INVALID_NAME;
	size_t len = xml_attr_string(n, "target", f->target, sizeof(f->target), "");
	if (!len || len >= sizeof(f->target)) { single_destroy(&f->s.base); return CAIRN_FS_ERR_INVALID_NAME; }
	f->s.size = symlink_size;
	*out = &f->s.base;
	return CAIRN_OK;
}

static int symlink_readlink(struct vfs_fs *fs, const char *path, char *buf, size_t size, size_t *out)
{
	struct symlink_fs *f = (struct symlink_fs *)fs;
	if (!vfs_is_leaf(path, f->s.name)) return CAIRN_FS_ERR_LOOKUP_FAILED;
	vfs_read_range(f->target, strlen(f->target), 0, buf, size, out);
	return CAIRN_OK;
}

static int symlink_set(struct vfs_fs *fs, const char *path, const char *target, bool create)
{
	(void)target;
	struct symlink_fs *f = (struct symlink_fs *)fs;
	if (!vfs_is_leaf(path, f->s.name))
		return create ? CAIRN_FS_ERR_PERMISSION_DENIED : CAIRN_FS_ERR_LOOKUP_FAILED;
	return CAIRN_FS_ERR_PERMISSION_DENIED;   /* configured, read-only */
}

const struct vfs_fs_ops vfs_symlink_ops = {
	.type = "symlink", .create = symlink_create, .destroy = single_destroy, SINGLE_OPS, .open = single_open,
	.readlink = symlink_readlink, .symlink = symlink_set,
};

/* ---------------------------------------------------------------- null, zero */

static int null_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct single_fs *s = single_create(env, n, "null", sizeof(*s), CAIRN_FS_MODE_FILE, true);
	if (!s) return CAIRN_FS_ERR_INVALID_NAME;
	*out = &s->base;
	return CAIRN_OK;
}

static int zero_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct single_fs *s = single_create(env, n, "zero", sizeof(*s), CAIRN_FS_MODE_FILE, true);
	if (!s) return CAIRN_FS_ERR_INVALID_NAME;
	*out = &s->base;
	return CAIRN_OK;
}

static int null_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	(void)h; (void)pos; (void)buf; (void)len;
	*out = 0;
	return CAIRN_OK;
}

static int zero_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	(void)h; (void)pos;
	memset(buf, 0, len);
	*out = len;
	return CAIRN_OK;
}

static int discard(struct vfs_handle *h, uint64_t pos, const void *buf, size_t len, size_t *out)
{
	(void)h; (void)pos; (void)buf;
	*out = len;
	return CAIRN_OK;
}

static int no_truncate(struct vfs_handle *h, uint64_t len) { (void)h; (void)len; return CAIRN_OK; }

const struct vfs_fs_ops vfs_null_ops = {
	.type = "null", .create = null_create, .destroy = single_destroy, SINGLE_OPS, .open = single_open,
	.read = null_read, .write = discard, .ftruncate = no_truncate,
};

const struct vfs_fs_ops vfs_zero_ops = {
	.type = "zero", .create = zero_create, .destroy = single_destroy, SINGLE_OPS, .open = single_open,
	.read = zero_read, .write = discard, .ftruncate = no_truncate,
};
