/* ipc_client.c - the calling side of RPC: per-thread channels to entrypoints */

#include "internal.h"

#include <errno.h>
#include <base/dataspace.h>
#include <pthread.h>
#include <sched.h>
#include <session/pd/pd.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * A thread keeps one channel per server entrypoint it calls, created on the
 * first call (SETUP over the entrypoint's socket). The first call of an
 * object through a channel proves that the thread holds the object's
 * descriptor: it travels ahead of the request over the channel's socket
 * (attach with the call), and the reply carries a badge for the object;
 * the server accepts a badge only on the channel that attached it. Badges
 * are cached per channel.
 */
enum { BADGE_SLOTS = 256 };

struct badge_entry { uint32_t cap_id; uint32_t badge; };

struct cli_chan {
	struct chan_shm   *shm;
	cairn_cap          page;       /* the RAM dataspace of the page, if from core */
	int                sock;       /* client end: also proves the channel in ATTACH */
	uint64_t           ep_ino;     /* which entrypoint this channel reaches */
	int                ep;         /* its slot, referenced while the channel lives */
	uint32_t           seq;
	uint32_t           spin;       /* adaptive spin budget for replies */
	struct badge_entry badges[BADGE_SLOTS];
};

static _Thread_local struct cli_chan **chans; /* indexed by entrypoint-table slot */

static int ipc_error(cairn_msg *reply)
{
	reply->code  = CAIRN_ERR_IPC;
	reply->len   = 0;
	reply->pos   = 0;
	reply->ncaps = 0;
	reply->_plat = -1;
	return CAIRN_ERR_IPC;
}

static void *pages(size_t size)
{
	void *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? 0 : p;
}

/*
 * Channel pages are RAM of the component's quota: allocated at core through
 * the service channel, a channel to core's entrypoint that the process got
 * a page for at start and that any thread uses under a lock. (Processes
 * without a PD, such as unit tests, make their own pages.)
 */
static struct cli_chan *service;
static cairn_cap        service_pd;
static pthread_mutex_t  service_lock = PTHREAD_MUTEX_INITIALIZER;

static int call_on(struct cli_chan *c, cairn_cap cap, cairn_msg *req, cairn_msg *reply, bool *broken);

static int service_call(cairn_cap cap, cairn_msg *m)
{
	bool broken = false;
	return call_on(service, cap, m, m, &broken);
}

/* a sealed shared page for a channel: descriptor, and its dataspace if from core */
static int page_fd(cairn_cap *ds)
{
	*ds = CAIRN_CAP_INVALID;
	if (!service) {
		int mfd = memfd_create("chan", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (mfd < 0 || ftruncate(mfd, CHAN_SHM_SIZE) < 0
		    || fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
			if (mfd >= 0) close(mfd);
			return -1;
		}
		return mfd;
	}
	cairn_msg m;
	int fd = -1;
	pthread_mutex_lock(&service_lock);
	cairn_msg_init(&m, CAIRN_PD_ALLOC);
	cairn_msg_put_u64(&m, CHAN_SHM_SIZE);
	if (service_call(service_pd, &m) == CAIRN_OK) {
		/* the reply carries the descriptor too (core's pd.c); else ask for it */
		*ds = cairn_msg_get_cap(&m);
		fd = plat_msg_take_fd(&m);
		if (fd < 0) {
			cairn_msg_init(&m, CAIRN_DS_MAP);
			int r = service_call(*ds, &m);
			fd = plat_msg_take_fd(&m);
			if (r != CAIRN_OK && fd >= 0) { close(fd); fd = -1; }
		}
	}
	pthread_mutex_unlock(&service_lock);
	return fd;
}

static void page_free(cairn_cap ds)
{
	if (!cairn_cap_valid(ds)) return;
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_PD_FREE);
	cairn_msg_put_cap(&m, ds);
	pthread_mutex_lock(&service_lock);
	(void)service_call(service_pd, &m);
	pthread_mutex_unlock(&service_lock);
	cairn_cap_release(ds);
}

static void chan_destroy(struct cli_chan *c)
{
	munmap(c->shm, CHAN_SHM_SIZE);
	close(c->sock);
	if (c != service) page_free(c->page);
	if (c->ep > 0) plat_ep_unref(c->ep);
	munmap(c, sizeof(*c));
}

static struct cli_chan *chan_setup(int ep_fd, uint64_t ep_ino, int mfd, cairn_cap page)
{
	int sv[2];
	struct cli_chan *c = pages(sizeof(*c));
	if (!c) goto fail_mfd;
	c->page = page;
	c->shm = mmap(0, CHAN_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (c->shm == MAP_FAILED) goto fail_mfd;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) goto fail_map;
	c->sock    = sv[0];
	c->ep_ino  = ep_ino;
	/* the server does not watch this channel before it takes the SETUP: kick it */
	atomic_store(&c->shm->srv_sleep, 1);
	/*
	 * The server keeps its end. We keep no copy of it, so that its death
	 * shows as a hang-up on ours.
	 */
	struct sock_msg m = { .type = MT_SETUP };
	int fds[2] = { mfd, sv[1] };
	if (sock_send(ep_fd, &m, fds, 2, true) < 0) goto fail_sock;
	close(sv[1]);
	close(mfd);
	return c;
fail_sock:
	close(sv[0]); close(sv[1]);
fail_map:
	munmap(c->shm, CHAN_SHM_SIZE);
fail_mfd:
	if (mfd >= 0) close(mfd);
	if (c) munmap(c, sizeof(*c));
	if (c != service) page_free(page);
	return 0;
}

static struct cli_chan *chan_create(int ep_fd, uint64_t ep_ino)
{
	cairn_cap page;
	int mfd = page_fd(&page);
	return mfd < 0 ? 0 : chan_setup(ep_fd, ep_ino, mfd, page);
}

void plat_service_init(cairn_cap pd, int page)
{
	int obj_fd, ep_fd;
	if (!plat_cap_fds(pd, &obj_fd, &ep_fd)) return;
	service    = chan_setup(ep_fd, plat_fd_ino(ep_fd), page, CAIRN_CAP_INVALID);
	service_pd = pd;
}

/*
 * The first thread that calls core's entrypoint (usually the component's
 * main thread) shares the service channel, under its lock, instead of
 * paying for a channel (and a page) of its own.
 */
static bool service_taken;

static struct cli_chan *chan_for(int ep)
{
	if (ep <= 0 || ep >= EPT_MAX) return 0;
	if (!chans && !(chans = pages(sizeof(*chans) * EPT_MAX))) return 0;
	/* a channel holds its slot, so a cached one is always the right one */
	struct cli_chan *c = chans[ep];
	if (c) return c;
	int ep_fd = plat_ep_fd(ep);
	if (ep_fd < 0) return 0;
	uint64_t ino = plat_fd_ino(ep_fd);
	if (service && ino == service->ep_ino) {
		pthread_mutex_lock(&service_lock);
		bool take = !service_taken;
		service_taken = true;
		pthread_mutex_unlock(&service_lock);
		if (take) {
			/* held for good, like the slot of any channel (see below) */
			service->ep = ep;
			plat_ep_ref(ep);
			return chans[ep] = service;
		}
	}
	if ((c = chans[ep] = chan_create(ep_fd, ino))) {
		/*
		 * The channel keeps the entrypoint's slot: when the last capability
		 * to it goes and a new one comes, it lands in the same slot and finds
		 * this channel instead of making a new one (and a new page).
		 */
		c->ep = ep;
		plat_ep_ref(ep);
	}
	return c;
}

static void chan_drop(int ep)
{
	if (chans && chans[ep] && chans[ep] != service) chan_destroy(chans[ep]);
	if (chans) chans[ep] = 0;
}

static struct badge_entry *badge_slot(struct cli_chan *c, uint32_t cap_id)
{
	return &c->badges[(cap_id * 2654435761u >> 24) % BADGE_SLOTS];
}

/* the badge cached for `cap` on channel `c`, or 0: attach with the call */
static uint32_t cached_badge(struct cli_chan *c, cairn_cap cap)
{
	struct badge_entry *b = badge_slot(c, cap.id);
	return b->cap_id == cap.id ? b->badge : 0;
}

int cairn_rpc_call(cairn_cap cap, cairn_msg *req, cairn_msg *reply)
{
	if (req->len > CAIRN_MSG_DATA || req->ncaps > CAIRN_MSG_CAPS || req->err) {
		reply->code = CAIRN_ERR_MSG;
		return reply->code;
	}
	int ep = plat_cap_ep_index(cap);
	struct cli_chan *c = chan_for(ep);
	if (!c) return ipc_error(reply);
	bool broken = false;
	if (c == service) pthread_mutex_lock(&service_lock);
	int r = call_on(c, cap, req, reply, &broken);
	if (c == service) pthread_mutex_unlock(&service_lock);
	if (broken) chan_drop(ep);
	return r;
}

static int call_on(struct cli_chan *c, cairn_cap cap, cairn_msg *req, cairn_msg *reply, bool *broken)
{
	int retried = 0;
again:
	if (!c) return ipc_error(reply);
	uint32_t badge = cached_badge(c, cap);
	int obj_fd = -1, ep_fd;
	if (!badge && !plat_cap_fds(cap, &obj_fd, &ep_fd)) return ipc_error(reply);

	struct chan_shm *s = c->shm;
	uint32_t wire_ncaps = req->ncaps | (req->_plat >= 0 ? WIRE_RAW_FD : 0) | (badge ? 0 : WIRE_ATTACH);
	if (caps_send(c->sock, req, obj_fd) < 0) { *broken = true; return ipc_error(reply); }
	s->req.code  = req->code;
	s->req.badge = badge;
	s->req.len   = req->len;
	s->req.ncaps = wire_ncaps;
	memcpy(s->req.data, req->data, req->len);
	uint32_t seq = ++c->seq;
	int cpu = sched_getcpu();
	atomic_store_explicit(&s->cli_cpu, (uint32_t)cpu, memory_order_relaxed);
	atomic_store_explicit(&s->req_seq, seq, memory_order_seq_cst);
	chan_kick(&s->srv_sleep, c->sock);
	/* spinning only pays while the server runs on another CPU */
	bool spin = atomic_load_explicit(&s->srv_cpu, memory_order_relaxed) != (uint32_t)cpu;
	if (!chan_wait(&s->rep_seq, seq, &s->cli_sleep, c->sock, spin ? &c->spin : 0)) { *broken = true; return ipc_error(reply); }

	uint32_t len = s->rep.len, ncaps = s->rep.ncaps;
	int32_t code = s->rep.code;
	uint32_t attached = s->rep.badge;
	if (len > CAIRN_MSG_DATA || (ncaps & ~WIRE_RAW_FD) > CAIRN_MSG_CAPS) { *broken = true; return ipc_error(reply); }
	if (code == PLAT_ERR_REATTACH) {
		/* the server forgot the badge (evicted, or the object is gone) */
		badge_slot(c, cap.id)->cap_id = 0;
		if (retried++) return ipc_error(reply);
		goto again;
	}
	/* not an object of this server (or gone): like any call of an invalid capability */
	if (code == PLAT_ERR_NOOBJ) return ipc_error(reply);
	if (!badge && attached) *badge_slot(c, cap.id) = (struct badge_entry){ cap.id, attached };
	reply->code  = code;
	reply->len   = len;
	reply->pos   = 0;
	reply->err   = false;
	reply->_plat = -1;
	memcpy(reply->data, s->rep.data, len);
	reply->ncaps = 0;
	reply->capos = 0;
	uint32_t badges[CAIRN_MSG_CAPS];
	memcpy(badges, s->rep.badges, sizeof(badges));
	if (ncaps && caps_recv(c->sock, reply, ncaps, 0) < 0) {
		reply->code = CAIRN_ERR_MSG;
		return reply->code;
	}
	/* objects the server attached for us with the reply (see send_reply) */
	for (uint32_t i = 0; i < reply->ncaps; i++)
		if (badges[i] && cairn_cap_valid(reply->caps[i])
		    && plat_cap_ep_ino(reply->caps[i]) == c->ep_ino)
			*badge_slot(c, reply->caps[i].id) = (struct badge_entry){ reply->caps[i].id, badges[i] };
	return code;
}
