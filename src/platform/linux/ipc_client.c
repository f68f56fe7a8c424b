/* ipc_client.c - the calling side of RPC: per-thread channels to entrypoints */

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * A thread keeps one channel per server entrypoint it calls, created on the
 * first call (SETUP over the entrypoint's socket). Before an object can be
 * called through a channel, the thread proves that it holds the object's
 * descriptor (ATTACH: both the object descriptor and the channel's server
 * end travel over the entrypoint socket, the server compares inodes) and
 * receives a badge for it; the server accepts a badge only on the channel
 * that attached it. Badges are cached per channel.
 */
enum { BADGE_SLOTS = 256 };

struct badge_entry { uint32_t cap_id; uint32_t badge; };

struct cli_chan {
	struct chan_shm   *shm;
	int                sock;       /* client end: also proves the channel in ATTACH */
	uint64_t           ep_ino;     /* which entrypoint this channel reaches */
	uint32_t           seq;
	uint32_t           attach_seq;
	struct badge_entry badges[BADGE_SLOTS];
};

static _Thread_local struct cli_chan **chans; /* indexed by entrypoint-table slot */

static void *pages(size_t size)
{
	void *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? 0 : p;
}

static void chan_destroy(struct cli_chan *c)
{
	munmap(c->shm, CHAN_SHM_SIZE);
	close(c->sock);
	munmap(c, sizeof(*c));
}

static struct cli_chan *chan_create(int ep_fd, uint64_t ep_ino)
{
	int sv[2];
	struct cli_chan *c = pages(sizeof(*c));
	if (!c) return 0;
	int mfd = memfd_create("chan", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0 || ftruncate(mfd, CHAN_SHM_SIZE) < 0) goto fail_mfd;
	/* the server maps it too: it must not shrink under the server's feet */
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) goto fail_mfd;
	c->shm = mmap(0, CHAN_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (c->shm == MAP_FAILED) goto fail_mfd;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) goto fail_map;
	c->sock    = sv[0];
	c->ep_ino  = ep_ino;
	/*
	 * The server keeps its end and learns the identity of ours, which later
	 * proves the channel in ATTACH. We keep no copy of the server's end, so
	 * that its death shows as a hang-up on ours.
	 */
	struct sock_msg m = { .type = MT_SETUP };
	int fds[3] = { mfd, sv[1], sv[0] };
	if (sock_send(ep_fd, &m, fds, 3, true) < 0) goto fail_sock;
	close(sv[1]);
	close(mfd);
	return c;
fail_sock:
	close(sv[0]); close(sv[1]);
fail_map:
	munmap(c->shm, CHAN_SHM_SIZE);
fail_mfd:
	if (mfd >= 0) close(mfd);
	munmap(c, sizeof(*c));
	return 0;
}

static struct cli_chan *chan_for(int ep)
{
	if (ep <= 0 || ep >= EPT_MAX) return 0;
	int ep_fd = plat_ep_fd(ep);
	if (ep_fd < 0) return 0;
	if (!chans && !(chans = pages(sizeof(*chans) * EPT_MAX))) return 0;
	uint64_t ino = plat_fd_ino(ep_fd);
	struct cli_chan *c = chans[ep];
	if (c && c->ep_ino != ino) { chan_destroy(c); c = chans[ep] = 0; } /* slot reused */
	if (!c) c = chans[ep] = chan_create(ep_fd, ino);
	return c;
}

static void chan_drop(int ep)
{
	if (chans && chans[ep]) { chan_destroy(chans[ep]); chans[ep] = 0; }
}

static struct badge_entry *badge_slot(struct cli_chan *c, uint32_t cap_id)
{
	return &c->badges[(cap_id * 2654435761u >> 24) % BADGE_SLOTS];
}

/* badge for `cap` on channel `c`: > 0 badge, 0 refused by the server, -1 channel broken */
static int64_t attach(struct cli_chan *c, cairn_cap cap, int obj_fd, int ep_fd)
{
	struct badge_entry *b = badge_slot(c, cap.id);
	if (b->cap_id == cap.id) return b->badge;
	uint32_t seq = ++c->attach_seq;
	struct sock_msg m = { .type = MT_ATTACH, .value = seq };
	int fds[2] = { obj_fd, c->sock };
	if (sock_send(ep_fd, &m, fds, 2, true) < 0) return -1;
	if (!chan_wait(&c->shm->attach_seq, seq, &c->shm->cli_sleep, c->sock)) return -1;
	uint32_t badge = c->shm->attach_badge;
	if (badge) *b = (struct badge_entry){ cap.id, badge };
	return badge;
}

int cairn_rpc_call(cairn_cap cap, cairn_msg *req, cairn_msg *reply)
{
	int obj_fd, ep_fd;
	if (req->len > CAIRN_MSG_DATA || req->ncaps > CAIRN_MSG_CAPS || req->err) {
		reply->code = CAIRN_ERR_MSG;
		return reply->code;
	}
	int retried = 0;
again:
	if (!plat_cap_fds(cap, &obj_fd, &ep_fd)) goto ipc_error;
	int ep = plat_cap_ep_index(cap);
	struct cli_chan *c = chan_for(ep);
	if (!c) goto ipc_error;
	int64_t badge = attach(c, cap, obj_fd, ep_fd);
	if (badge < 0) { chan_drop(ep); goto ipc_error; }
	if (badge == 0) goto ipc_error;

	struct chan_shm *s = c->shm;
	uint32_t wire_ncaps = req->ncaps | (req->_plat >= 0 ? WIRE_RAW_FD : 0);
	if (caps_send(c->sock, req) < 0) { chan_drop(ep); goto ipc_error; }
	s->req.code  = req->code;
	s->req.badge = (uint32_t)badge;
	s->req.len   = req->len;
	s->req.ncaps = wire_ncaps;
	memcpy(s->req.data, req->data, req->len);
	uint32_t seq = ++c->seq;
	atomic_store_explicit(&s->req_seq, seq, memory_order_seq_cst);
	chan_kick(&s->srv_sleep, c->sock);
	if (!chan_wait(&s->rep_seq, seq, &s->cli_sleep, c->sock)) { chan_drop(ep); goto ipc_error; }

	uint32_t len = s->rep.len, ncaps = s->rep.ncaps;
	int32_t code = s->rep.code;
	if (len > CAIRN_MSG_DATA || (ncaps & ~WIRE_RAW_FD) > CAIRN_MSG_CAPS) { chan_drop(ep); goto ipc_error; }
	if (code == PLAT_ERR_REATTACH) {
		/* the server forgot the badge (evicted, or the object is gone) */
		badge_slot(c, cap.id)->cap_id = 0;
		if (retried++) goto ipc_error;
		goto again;
	}
	reply->code  = code;
	reply->len   = len;
	reply->pos   = 0;
	reply->err   = false;
	reply->_plat = -1;
	memcpy(reply->data, s->rep.data, len);
	reply->ncaps = 0;
	reply->capos = 0;
	if (ncaps && caps_recv(c->sock, reply, ncaps) < 0) {
		reply->code = CAIRN_ERR_MSG;
		return reply->code;
	}
	return code;

ipc_error:
	reply->code  = CAIRN_ERR_IPC;
	reply->len   = 0;
	reply->pos   = 0;
	reply->ncaps = 0;
	reply->_plat = -1;
	return CAIRN_ERR_IPC;
}
