/* fs_client.c - File_system session client: RPC stubs and blocking packet transfer */

#include <base/env.h>
#include <base/parent.h>
#include <session/file_system/file_system.h>

#include <stdio.h>
#include <string.h>

const char *cairn_fs_err_str(int code)
{
	switch (code) {
	case CAIRN_FS_ERR_INVALID_HANDLE:      return "Invalid_handle";
	case CAIRN_FS_ERR_INVALID_NAME:        return "Invalid_name";
	case CAIRN_FS_ERR_LOOKUP_FAILED:       return "Lookup_failed";
	case CAIRN_FS_ERR_NAME_TOO_LONG:       return "Name_too_long";
	case CAIRN_FS_ERR_NODE_ALREADY_EXISTS: return "Node_already_exists";
	case CAIRN_FS_ERR_NO_SPACE:            return "No_space";
	case CAIRN_FS_ERR_NOT_EMPTY:           return "Not_empty";
	case CAIRN_FS_ERR_PERMISSION_DENIED:   return "Permission_denied";
	}
	return cairn_err_str(code);
}

int cairn_fs_connect(cairn_fs *fs, cairn_env *env, const char *label, const char *root,
                     bool writeable, size_t tx_buf_size)
{
	*fs = (cairn_fs){ .env = env, .tx_buf_size = tx_buf_size };
	char root_arg[CAIRN_FS_MAX_PATH_LEN + 16] = "";
	if (root && root[0]) snprintf(root_arg, sizeof(root_arg), ", root=\"%s\"", root);
	int r = cairn_session(env, "File_system", &fs->session,
	                      "ram_quota=%zu, tx_buf_size=%zu, label=\"%s\", writeable=%s%s",
	                      CAIRN_FS_RAM(tx_buf_size), tx_buf_size, label ? label : "",
	                      writeable ? "yes" : "no", root_arg);
	if (r != CAIRN_OK) return r;
	r = cairn_ps_tx_source_init(&fs->tx, env, fs->session, CAIRN_FS_QUEUE_SIZE,
	                            sizeof(struct cairn_fs_packet), CAIRN_FS_QUEUE_SIZE);
	if (r != CAIRN_OK) {
		(void)cairn_parent_close(env->parent, fs->session);
		cairn_cap_release(fs->session);
		fs->session = CAIRN_CAP_INVALID;
	}
	return r;
}

void cairn_fs_disconnect(cairn_fs *fs)
{
	if (!cairn_cap_valid(fs->session)) return;
	cairn_ps_tx_source_fini(&fs->tx);
	(void)cairn_parent_close(fs->env->parent, fs->session);
	cairn_cap_release(fs->session);
	fs->session = CAIRN_CAP_INVALID;
}

/* ---------------------------------------------------------------- RPCs */

static int call_handle(cairn_fs *fs, cairn_msg *m, cairn_fs_handle *out)
{
	int r = cairn_rpc_call(fs->session, m, m);
	*out = CAIRN_FS_INVALID_HANDLE;
	if (r != CAIRN_OK) return r;
	*out = cairn_msg_get_u32(m);
	return m->err ? CAIRN_ERR_MSG : CAIRN_OK;
}

int cairn_fs_file(cairn_fs *fs, cairn_fs_handle dir, const char *name, unsigned mode,
                  bool create, cairn_fs_handle *out)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_FILE);
	cairn_msg_put_u32(&m, dir);
	cairn_msg_put_str(&m, name);
	cairn_msg_put_u32(&m, mode);
	cairn_msg_put_u32(&m, create);
	return call_handle(fs, &m, out);
}

int cairn_fs_symlink(cairn_fs *fs, cairn_fs_handle dir, const char *name, bool create,
                     cairn_fs_handle *out)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_SYMLINK);
	cairn_msg_put_u32(&m, dir);
	cairn_msg_put_str(&m, name);
	cairn_msg_put_u32(&m, create);
	return call_handle(fs, &m, out);
}

int cairn_fs_dir(cairn_fs *fs, const char *path, bool create, cairn_fs_handle *out)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_DIR);
	cairn_msg_put_str(&m, path);
	cairn_msg_put_u32(&m, create);
	return call_handle(fs, &m, out);
}

int cairn_fs_node(cairn_fs *fs, const char *path, cairn_fs_handle *out)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_NODE);
	cairn_msg_put_str(&m, path);
	return call_handle(fs, &m, out);
}

static int call_u32(cairn_fs *fs, int op, uint32_t v)
{
	cairn_msg m;
	cairn_msg_init(&m, op);
	cairn_msg_put_u32(&m, v);
	return cairn_rpc_call(fs->session, &m, &m);
}

int cairn_fs_close(cairn_fs *fs, cairn_fs_handle h)   { return call_u32(fs, CAIRN_FS_CLOSE, h); }
int cairn_fs_control(cairn_fs *fs, cairn_fs_handle h) { return call_u32(fs, CAIRN_FS_CONTROL, h); }
int cairn_fs_sync(cairn_fs *fs, cairn_fs_handle h)    { return call_u32(fs, CAIRN_FS_SYNC, h); }

int cairn_fs_status(cairn_fs *fs, cairn_fs_handle h, struct cairn_fs_status *st)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_STATUS);
	cairn_msg_put_u32(&m, h);
	int r = cairn_rpc_call(fs->session, &m, &m);
	*st = (struct cairn_fs_status){ 0 };
	if (r != CAIRN_OK) return r;
	st->size  = cairn_msg_get_u64(&m);
	st->mode  = cairn_msg_get_u32(&m);
	st->inode = cairn_msg_get_u64(&m);
	return m.err ? CAIRN_ERR_MSG : CAIRN_OK;
}

int cairn_fs_unlink(cairn_fs *fs, cairn_fs_handle dir, const char *name)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_UNLINK);
	cairn_msg_put_u32(&m, dir);
	cairn_msg_put_str(&m, name);
	return cairn_rpc_call(fs->session, &m, &m);
}

int cairn_fs_truncate(cairn_fs *fs, cairn_fs_handle file, uint64_t size)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_TRUNCATE);
	cairn_msg_put_u32(&m, file);
	cairn_msg_put_u64(&m, size);
	return cairn_rpc_call(fs->session, &m, &m);
}

int cairn_fs_move(cairn_fs *fs, cairn_fs_handle from_dir, const char *from,
                  cairn_fs_handle to_dir, const char *to)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_MOVE);
	cairn_msg_put_u32(&m, from_dir);
	cairn_msg_put_str(&m, from);
	cairn_msg_put_u32(&m, to_dir);
	cairn_msg_put_str(&m, to);
	return cairn_rpc_call(fs->session, &m, &m);
}

int cairn_fs_sigh(cairn_fs *fs, cairn_fs_handle h, cairn_cap sigh)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_FS_SIGH);
	cairn_msg_put_u32(&m, h);
	cairn_msg_put_cap(&m, sigh);
	return cairn_rpc_call(fs->session, &m, &m);
}

/* ---------------------------------------------------------------- packets */

int cairn_fs_packet(cairn_fs *fs, struct cairn_fs_packet *p, void *data)
{
	struct cairn_fs_packet mine = *p;
	if (ps_source_alloc(&fs->tx.source, (size_t)p->length, 3, &mine.base) != PS_OK)
		return CAIRN_ERR_METADATA;
	void *content = ps_source_content(&fs->tx.source, &mine.base);
	if (p->opcode == CAIRN_FS_PACKET_WRITE && p->length) memcpy(content, data, (size_t)p->length);

	int r = cairn_ps_tx_submit(&fs->tx, &mine);
	struct cairn_fs_packet ack;
	if (r == CAIRN_OK) r = cairn_ps_tx_get_acked(&fs->tx, &ack);
	/* the server acknowledges our packet or nothing we know: believe only ours */
	if (r == CAIRN_OK && (ack.base.offset != mine.base.offset || ack.base.size != mine.base.size))
		r = CAIRN_ERR_MSG;
	if (r == CAIRN_OK) {
		uint64_t n = ack.length < mine.length ? ack.length : mine.length;
		if (p->opcode == CAIRN_FS_PACKET_READ && n) memcpy(data, content, (size_t)n);
		*p = ack;
		p->length = n;
	}
	(void)ps_source_release(&fs->tx.source, &mine.base);
	return r;
}

static int transfer(cairn_fs *fs, cairn_fs_handle h, unsigned op, uint64_t pos,
                    void *buf, size_t len, size_t *out)
{
	*out = 0;
	size_t chunk_max = fs->tx_buf_size;
	while (*out < len) {
		size_t chunk = len - *out < chunk_max ? len - *out : chunk_max;
		struct cairn_fs_packet p = {
			.handle = h, .opcode = op, .length = chunk,
			.position = pos == CAIRN_FS_SEEK_TAIL ? pos : pos + *out,
		};
		int r = cairn_fs_packet(fs, &p, (char *)buf + *out);
		if (r != CAIRN_OK) return r;
		*out += (size_t)p.length;
		if (p.length < chunk) break;
	}
	return CAIRN_OK;
}

int cairn_fs_read(cairn_fs *fs, cairn_fs_handle h, uint64_t position, void *buf,
                  size_t len, size_t *out)
{
	return transfer(fs, h, CAIRN_FS_PACKET_READ, position, buf, len, out);
}

int cairn_fs_write(cairn_fs *fs, cairn_fs_handle h, uint64_t position, const void *buf,
                   size_t len, size_t *out)
{
	int r = transfer(fs, h, CAIRN_FS_PACKET_WRITE, position, (void *)buf, len, out);
	return r == CAIRN_OK && *out < len ? CAIRN_FS_ERR_NO_SPACE : r;
}
