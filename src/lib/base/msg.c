/* msg.c - bounds-checked marshalling of RPC messages */

#include <base/msg.h>
#include <string.h>

void cairn_msg_init(cairn_msg *m, int32_t code)
{
	m->code  = code;
	m->len   = 0;
	m->pos   = 0;
	m->ncaps = 0;
	m->capos = 0;
	m->err   = false;
	m->_plat = -1;
}

void cairn_msg_put(cairn_msg *m, const void *src, size_t n)
{
	if (m->err || n > CAIRN_MSG_DATA - m->len) { m->err = true; return; }
	memcpy(m->data + m->len, src, n);
	m->len += (uint32_t)n;
}

void cairn_msg_put_u32(cairn_msg *m, uint32_t v) { cairn_msg_put(m, &v, sizeof(v)); }
void cairn_msg_put_u64(cairn_msg *m, uint64_t v) { cairn_msg_put(m, &v, sizeof(v)); }
void cairn_msg_put_i64(cairn_msg *m, int64_t v)  { cairn_msg_put(m, &v, sizeof(v)); }

void cairn_msg_put_str(cairn_msg *m, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > UINT32_MAX) { m->err = true; return; }
	cairn_msg_put_u32(m, (uint32_t)n);
	cairn_msg_put(m, s, n);
}

void cairn_msg_put_cap(cairn_msg *m, cairn_cap c)
{
	if (m->ncaps >= CAIRN_MSG_CAPS) { m->err = true; return; }
	m->caps[m->ncaps++] = c;
}

const void *cairn_msg_get_ptr(cairn_msg *m, size_t n)
{
	if (m->err || m->pos > m->len || n > m->len - m->pos) { m->err = true; return 0; }
	const void *p = m->data + m->pos;
	m->pos += (uint32_t)n;
	return p;
}

bool cairn_msg_get(cairn_msg *m, void *dst, size_t n)
{
	const void *p = cairn_msg_get_ptr(m, n);
	if (p) memcpy(dst, p, n);
	else   memset(dst, 0, n);
	return p != 0;
}

uint32_t cairn_msg_get_u32(cairn_msg *m) { uint32_t v; cairn_msg_get(m, &v, sizeof(v)); return v; }
uint64_t cairn_msg_get_u64(cairn_msg *m) { uint64_t v; cairn_msg_get(m, &v, sizeof(v)); return v; }
int64_t  cairn_msg_get_i64(cairn_msg *m) { int64_t v;  cairn_msg_get(m, &v, sizeof(v)); return v; }

cairn_cap cairn_msg_get_cap(cairn_msg *m)
{
	if (m->capos >= m->ncaps) { m->err = true; return CAIRN_CAP_INVALID; }
	return m->caps[m->capos++];
}

bool cairn_msg_get_str(cairn_msg *m, char *dst, size_t cap)
{
	uint32_t n = cairn_msg_get_u32(m);
	const char *p = cairn_msg_get_ptr(m, n);
	if (cap) dst[0] = 0;
	if (!p) return false;
	if (n >= cap || memchr(p, 0, n)) { m->err = true; return false; }
	memcpy(dst, p, n);
	dst[n] = 0;
	return true;
}
