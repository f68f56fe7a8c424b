/* rpc_msg.c - libFuzzer target: decoding RPC requests, as a hostile client sends them */
#include <base/errors.h>
#include <base/msg.h>
#include <base/parent.h>
#include <base/root.h>
#include <base/dataspace.h>
#include <session/log/log.h>
#include <session/pd/pd.h>
#include <session/rom/rom.h>
#include <util/args.h>
#include <util/label.h>

#include "../../src/platform/linux/internal.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * A client controls every byte of its request: the wire header and
 * payload in the shared channel page, and the socket message that carries
 * its capabilities. This target feeds arbitrary bytes through
 *
 * 1. the acceptance of a wire header (the server's check before it copies
 *    a request out of the channel page, src/platform/linux/ep.c), then the
 *    payload into a cairn_msg as the server builds it;
 * 2. the message getters (src/lib/base/msg.c), in an order the input
 *    chooses, checking their invariants after every call;
 * 3. decoders written like the servers' dispatch functions - core's LOG
 *    and PD, init's parent interface, the root helper - including what
 *    they do with the strings (session arguments, label rewriting);
 * 4. the real receiving side of a capability message
 *    (src/platform/linux/ipc_sock.c: sock_recv, caps_recv), with socket
 *    messages and descriptors built from the input sent over a real
 *    socket pair, checking that nothing leaks.
 *
 * Input layout: [wire header, 16 bytes][getter script, 16 bytes]
 * [socket messages, 24 bytes][payload ...]; missing bytes are zero.
 */

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

struct input { const uint8_t *p; size_t n; };

static void take(struct input *in, void *dst, size_t n)
{
	size_t k = in->n < n ? in->n : n;
	memcpy(dst, in->p, k);
	memset((char *)dst + k, 0, n - k);
	in->p += k;
	in->n -= k;
}

/* --------------------------------------------------------------- 1. wire header */

/* the server's check (ep.c, handle_request) before anything is believed */
static bool wire_acceptable(struct wire const *w)
{
	return w->len <= CAIRN_MSG_DATA && (w->ncaps & ~(uint32_t)WIRE_RAW_FD) <= CAIRN_MSG_CAPS;
}

static cairn_msg req, reply;

static bool build_request(struct wire const *w, struct input *payload)
{
	if (!wire_acceptable(w)) return false;
	cairn_msg_init(&req, w->code);
	req.len = w->len;
	/* the page holds whatever the client left there: the input, then zeroes */
	take(payload, req.data, w->len);
	/* capabilities as caps_recv would install them: names, some invalid */
	req.ncaps = w->ncaps & 7u;
	if (req.ncaps > CAIRN_MSG_CAPS) req.ncaps = CAIRN_MSG_CAPS;
	for (uint32_t i = 0; i < req.ncaps; i++) req.caps[i] = (cairn_cap){ (w->badge >> (8 * i)) & 0xff };
	return true;
}

/* --------------------------------------------------------------- 2. getters */

static void check_msg(cairn_msg const *m)
{
	REQUIRE(m->len <= CAIRN_MSG_DATA);
	REQUIRE(m->pos <= m->len);
	REQUIRE(m->capos <= m->ncaps);
	REQUIRE(m->ncaps <= CAIRN_MSG_CAPS);
}

static void getters(uint8_t const script[16])
{
	for (unsigned i = 0; i < 16; i++) {
		bool err_before = req.err;
		uint32_t pos_before = req.pos;
		uint8_t op = script[i];
		switch (op & 7) {
		case 0: { uint32_t v = cairn_msg_get_u32(&req); if (req.err) REQUIRE(v == 0); break; }
		case 1: { uint64_t v = cairn_msg_get_u64(&req); if (req.err) REQUIRE(v == 0); break; }
		case 2: { int64_t v = cairn_msg_get_i64(&req); if (req.err) REQUIRE(v == 0); break; }
		case 3: {
			char s[64];
			size_t cap = 1 + (op >> 3) % sizeof(s);
			bool ok = cairn_msg_get_str(&req, s, cap);
			if (ok) { REQUIRE(strlen(s) < cap); REQUIRE(!req.err); }
			else REQUIRE(req.err && s[0] == 0);
			break;
		}
		case 4: {
			size_t n = (size_t)(op >> 3) * 67;
			const uint8_t *p = cairn_msg_get_ptr(&req, n);
			if (p) REQUIRE(p >= req.data && p + n <= req.data + req.len);
			else REQUIRE(req.err);
			break;
		}
		case 5: {
			uint32_t capos = req.capos;
			cairn_cap c = cairn_msg_get_cap(&req);
			if (capos >= req.ncaps) REQUIRE(!cairn_cap_valid(c) && req.err && req.capos == capos);
			else REQUIRE(c.id == req.caps[capos].id && req.capos == capos + 1);
			break;
		}
		case 6: { uint8_t b[40]; bool ok = cairn_msg_get(&req, b, (op >> 3) % sizeof(b)); REQUIRE(ok || req.err); break; }
		case 7: req.pos = 0; req.capos = 0; req.err = false; break;
		}
		check_msg(&req);
		/* an error sticks, and a failed getter consumes nothing */
		if (err_before && (op & 7) != 7) REQUIRE(req.err && req.pos == pos_before);
	}
}

/* --------------------------------------------------------------- 3. decoders */

static void rewind_req(void) { req.pos = 0; req.capos = 0; req.err = false; }

/* core's LOG session (src/core/services.c): one output line per line of text */
static int decode_log(void)
{
	if (req.code != CAIRN_LOG_WRITE) return CAIRN_ERR_OPCODE;
	uint32_t n = cairn_msg_get_u32(&req);
	const char *p = cairn_msg_get_ptr(&req, n);
	if (!p || n > CAIRN_LOG_MAX) return CAIRN_ERR_MSG;
	char line[CAIRN_LOG_MAX + 200];
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i;
		while (j < n && p[j] != '\n' && p[j]) j++;
		int len = snprintf(line, sizeof(line), "[%s] %.*s\n", "init -> fuzz", (int)(j - i), p + i);
		REQUIRE(len > 0 && (size_t)len < sizeof(line));
		i = j + 1;
	}
	cairn_msg_put_u32(&reply, n);
	return CAIRN_OK;
}

/* core's PD session (src/core/pd.c) */
static int decode_pd(void)
{
	switch (req.code) {
	case CAIRN_PD_ALLOC: {
		uint64_t size = cairn_msg_get_u64(&req);
		if (req.err) return CAIRN_ERR_MSG;
		if (!size || size > ((uint64_t)1 << 40)) return CAIRN_ERR_INVALID_ARGS;
		cairn_msg_put_cap(&reply, (cairn_cap){ 1 });
		return CAIRN_OK;
	}
	case CAIRN_PD_FREE: case CAIRN_PD_REF_ACCOUNT: case CAIRN_PD_EXIT_SIGH:
		(void)cairn_msg_get_cap(&req);
		return req.err ? CAIRN_ERR_INVALID_ARGS : CAIRN_OK;
	case CAIRN_PD_TRANSFER: {
		(void)cairn_msg_get_cap(&req);
		uint64_t amount = cairn_msg_get_u64(&req);
		(void)amount;
		return req.err ? CAIRN_ERR_MSG : CAIRN_OK;
	}
	case CAIRN_PD_QUOTA:
		cairn_msg_put_u64(&reply, 1 << 20);
		cairn_msg_put_u64(&reply, 4096);
		return CAIRN_OK;
	case CAIRN_PD_START: {
		(void)cairn_msg_get_cap(&req);
		(void)cairn_msg_get_cap(&req);
		char name[64];
		if (!cairn_msg_get_str(&req, name, sizeof(name))) return CAIRN_ERR_INVALID_ARGS;
		REQUIRE(strlen(name) < sizeof(name));
		return CAIRN_OK;
	}
	}
	return CAIRN_ERR_OPCODE;
}

/* what init does with session arguments before it routes them */
static void session_args(const char *args)
{
	char buf[CAIRN_ARGS_MAX + 64], label[LABEL_MAX + 1];
	REQUIRE(strlen(args) < CAIRN_ARGS_MAX);
	(void)args_size(args, "ram_quota", 0);
	snprintf(buf, sizeof(buf), "%s", args);
	if (label_prefix_args(buf, sizeof(buf), str_z("fuzz_child")) == LABEL_OK) {
		REQUIRE(strlen(buf) < sizeof(buf));
		REQUIRE(label_from_args(buf, label, sizeof(label)) == LABEL_OK);
		REQUIRE(strncmp(label, "fuzz_child", 10) == 0);
		struct str last = label_last_element(str_z(label));
		REQUIRE(last.ptr >= label && last.ptr + last.len == label + strlen(label));
	}
	(void)args_remove(buf, sizeof(buf), "ram_quota");
	REQUIRE(args_set_ulong(buf, sizeof(buf), "ram_quota", 8192) != ARGS_OK || args_size(buf, "ram_quota", 0) == 8192);
}

/* init's parent interface (src/init/parent.c) */
static int decode_parent(void)
{
	char service[CAIRN_SERVICE_NAME_MAX], args[CAIRN_ARGS_MAX];
	switch (req.code) {
	case CAIRN_PARENT_EXIT:
		(void)cairn_msg_get_i64(&req);
		return req.err ? CAIRN_ERR_MSG : CAIRN_OK;
	case CAIRN_PARENT_ANNOUNCE: {
		if (!cairn_msg_get_str(&req, service, sizeof(service))) return CAIRN_ERR_UNAVAILABLE;
		cairn_cap c = cairn_msg_get_cap(&req);
		if (req.err || !cairn_cap_valid(c)) return CAIRN_ERR_MSG;
		return CAIRN_OK;
	}
	case CAIRN_PARENT_SESSION:
		if (!cairn_msg_get_str(&req, service, sizeof(service)) || !cairn_msg_get_str(&req, args, sizeof(args)))
			return CAIRN_ERR_UNAVAILABLE;
		session_args(args);
		cairn_msg_put_cap(&reply, (cairn_cap){ 2 });
		return CAIRN_OK;
	case CAIRN_PARENT_UPGRADE:
		(void)cairn_msg_get_cap(&req);
		if (!cairn_msg_get_str(&req, args, sizeof(args))) return CAIRN_ERR_UNAVAILABLE;
		(void)args_size(args, "ram_quota", 0);
		return CAIRN_OK;
	case CAIRN_PARENT_CLOSE: case CAIRN_PARENT_RESOURCE_AVAIL_SIGH: case CAIRN_PARENT_YIELD_SIGH:
		(void)cairn_msg_get_cap(&req);
		return CAIRN_OK;
	case CAIRN_PARENT_RESOURCE_REQUEST:
		if (!cairn_msg_get_str(&req, args, sizeof(args))) return CAIRN_ERR_MSG;
		(void)args_size(args, "ram_quota", 0);
		return CAIRN_OK;
	case CAIRN_PARENT_YIELD_REQUEST:
		cairn_msg_put_str(&reply, "ram_quota=4096");
		return CAIRN_OK;
	}
	return CAIRN_ERR_OPCODE;
}

/* the root helper (src/lib/base/root.c), which every server's root uses */
static int decode_root(void)
{
	char args[CAIRN_ARGS_MAX + 200], label[CAIRN_ARGS_MAX];
	switch (req.code) {
	case CAIRN_ROOT_SESSION:
		if (!cairn_msg_get_str(&req, args, sizeof(args))) return CAIRN_ERR_UNAVAILABLE;
		(void)args_size(args, "ram_quota", 0);
		(void)args_string(args, "label", label, sizeof(label), "");
		REQUIRE(strlen(label) < sizeof(label));
		return CAIRN_OK;
	case CAIRN_ROOT_UPGRADE:
		(void)cairn_msg_get_cap(&req);
		if (!cairn_msg_get_str(&req, args, sizeof(args))) return CAIRN_ERR_INVALID_ARGS;
		(void)args_size(args, "ram_quota", 0);
		return CAIRN_OK;
	case CAIRN_ROOT_CLOSE:
		(void)cairn_msg_get_cap(&req);
		return CAIRN_OK;
	}
	return CAIRN_ERR_OPCODE;
}

static void decoders(void)
{
	int (*const decode[])(void) = { decode_log, decode_pd, decode_parent, decode_root };
	for (unsigned i = 0; i < sizeof(decode) / sizeof(decode[0]); i++) {
		rewind_req();
		cairn_msg_init(&reply, CAIRN_OK);
		int r = decode[i]();
		REQUIRE(r <= 0);
		check_msg(&req);
		check_msg(&reply);
		REQUIRE(cairn_err_str(r) != 0);
	}
}

/* --------------------------------------------------------------- 4. capability messages */

/* the lowest free descriptor: equal before and after means nothing leaked */
static int lowest_free(void)
{
	int fd = fcntl(0, F_DUPFD, 0);
	if (fd >= 0) close(fd);
	return fd;
}

static void cap_messages(uint8_t const raw[24])
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return;
	int before = lowest_free();

	/* up to three socket messages of 8 bytes, each with some descriptors */
	unsigned nmsgs = 1 + raw[23] % 3;
	for (unsigned k = 0; k < nmsgs; k++) {
		struct sock_msg m;
		memcpy(&m, raw + 8 * k, sizeof(m));
		if (k == nmsgs - 1 && (raw[22] & 1)) m.type = MT_CAPS;  /* mostly what caps_recv expects */
		unsigned nfds = (raw[21] >> (2 * k)) % 12;               /* the receiver takes at most 10 */
		size_t len = (raw[20] >> k) & 1 ? sizeof(m) : (size_t)(raw[19] % 12 + 1);
		int fds[12];
		for (unsigned i = 0; i < nfds; i++) fds[i] = sv[i % 2];
		union { char buf[CMSG_SPACE(sizeof(int) * 12)]; struct cmsghdr align; } u;
		memset(&u, 0, sizeof(u));
		char payload[16] = { 0 };
		memcpy(payload, &m, sizeof(m));
		struct iovec iov = { .iov_base = payload, .iov_len = len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (nfds) {
			mh.msg_control = u.buf;
			mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
		}
		(void)sendmsg(sv[1], &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	}

	cairn_msg m;
	cairn_msg_init(&m, 0);
	uint32_t wire_ncaps = raw[18] | ((raw[17] & 1) ? WIRE_RAW_FD : 0) | ((raw[17] & 2) ? WIRE_ATTACH : 0);
	int attach_fd = -2;
	int r = caps_recv(sv[0], &m, wire_ncaps, (raw[17] & 4) ? 0 : &attach_fd);
	if (r == 0) {
		REQUIRE(m.ncaps == (wire_ncaps & ~(uint32_t)WIRE_FLAGS));
		REQUIRE(m.ncaps <= CAIRN_MSG_CAPS);
		REQUIRE((m._plat >= 0) == ((wire_ncaps & WIRE_RAW_FD) != 0));
		/* an object to attach comes exactly when announced, and only to a caller that takes it */
		if (wire_ncaps & WIRE_ATTACH) {
			REQUIRE(!(raw[17] & 4) && attach_fd >= 0);
			close(attach_fd);
		} else {
			REQUIRE((raw[17] & 4) || attach_fd == -1);
		}
		for (uint32_t i = 0; i < m.ncaps; i++) {
			if (!cairn_cap_valid(m.caps[i])) continue;
			int o, e;
			REQUIRE(plat_cap_fds(m.caps[i], &o, &e));
			cairn_cap_release(m.caps[i]);
		}
		if (m._plat >= 0) close(m._plat);
	} else {
		REQUIRE(r == CAIRN_ERR_MSG);
		REQUIRE(m.ncaps == 0 && m._plat == -1);
		REQUIRE((raw[17] & 4) || attach_fd == -1);
	}
	/* what is left in the socket is dropped with it; nothing may stay open */
	REQUIRE(lowest_free() == before);
	close(sv[0]);
	close(sv[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	if (!init) { plat_cap_init(); init = true; }

	struct input in = { data, size };
	struct wire w;
	uint8_t script[16], raw[24];
	take(&in, &w, 16);           /* code, badge, len, ncaps */
	take(&in, script, sizeof(script));
	take(&in, raw, sizeof(raw));

	if (build_request(&w, &in)) {
		check_msg(&req);
		getters(script);
		decoders();
	}
	cap_messages(raw);
	return 0;
}
