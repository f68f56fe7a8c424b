/* ep.c - entrypoints: RPC objects, the server side of channels, signals, the event loop */

#include "internal.h"
#include "inohash.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Every RPC object has a socket pair: the server keeps one end (signals
 * arrive there), the other end is the object's capability, handed out as a
 * descriptor. Its inode is the object's identity. An entrypoint has one
 * more socket pair whose client end travels with every capability of its
 * objects: clients send SETUP and ATTACH over it. Requests themselves go
 * through the channels' shared pages.
 */
/*
 * Object badges: index bits and generation bits. Ordinary components use
 * 2^16 objects at most (their tables count against the sandbox's limit
 * of private memory); core, which holds every dataspace, 2^20.
 */
enum {
	OBJ_BITS  = 20,
	OBJ_MAX   = 1 << OBJ_BITS,
	CHAN_MAX  = 1 << 16,
	AUTH_SLOTS = 1000,
	SPIN_SCANS = 1000,
	SPIN_FLOOR = 256,   /* what a budget never falls below (see ipc_sock.c) */
	EV_EP = 1, EV_OBJ, EV_CHAN, EV_WATCH,
};

struct srv_chan {
	struct chan_shm *shm;
	int              sock;
	uint32_t         uid;          /* the component (user id) that set it up */
	uint32_t         last_seq;
	uint32_t         gen;
	uint32_t         attached;  /* badge attached with the request being served, or 0 */
	uint32_t         slot;      /* index in ep->chans */
	uint32_t         pos;       /* index in ep->active */
	bool             deferred;
	bool             hot;       /* in ep->hot: its sleep flag is clear */
	bool             kicked;    /* in ep->kicked: its client woke us */
	struct cairn_ep *ep;
	uint32_t         auth[AUTH_SLOTS]; /* badges attached on this channel */
};

struct obj_slot {
	cairn_rpc_obj   *obj;
	struct cairn_ep *ep;
	int              srv_fd;
	uint64_t         cli_ino;
	uint32_t         gen;
	uint32_t         pending;    /* merged signal count */
	bool             queued;
};

struct watch {
	int        fd;
	plat_fd_fn fn;
	void      *data;
};

enum { MAX_WATCH = 1 << 16, SIGQ = 4096 };

struct cairn_ep {
	int               epfd;
	int               srv_sock;
	int               cli_sock;
	uint64_t          cli_ino;
	struct srv_chan **chans;    /* sparse, by slot */
	uint32_t         *active;   /* dense list of slots */
	uint32_t          nactive;
	uint32_t          free_hint;
	uint32_t          chan_max;
	uint32_t         *hot;       /* channels whose sleep flag is clear (served lately) */
	uint32_t          nhot;
	uint32_t         *kicked;    /* channels whose client sent a wake-up */
	uint32_t          nkicked;
	uint32_t          sigq[SIGQ];  /* objects with pending signals */
	uint32_t          sigq_head, sigq_tail;
	struct watch     *watches;   /* core watches one descriptor per process */
	uint32_t          watch_hint;
	struct srv_chan  *last;      /* the channel served last: likely the next */
	uint32_t          spin_budget;
	pthread_t         thread;
};

static struct obj_slot *objs;
static uint32_t         obj_limit = 1 << 16;   /* in use: at most OBJ_MAX */

void plat_ep_large_tables(void) { obj_limit = OBJ_MAX; }
static struct inohash   obj_hash;
static uint32_t         obj_hint = 1;
static pthread_mutex_t  obj_lock = PTHREAD_MUTEX_INITIALIZER;

_Thread_local struct srv_chan *plat_current_chan;
_Thread_local uint32_t         plat_current_seq;

static uint64_t obj_key(uint32_t i) { return objs[i].cli_ino; }

static void *pages(size_t size, bool noreserve)
{
	void *p = mmap(0, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | (noreserve ? MAP_NORESERVE : 0), -1, 0);
	return p == MAP_FAILED ? 0 : p;
}

static void objs_init(void)
{
	if (objs) return;
	objs = pages(sizeof(*objs) * obj_limit, true);
	if (!objs) plat_die("cannot map object table");
	inohash_init(&obj_hash, obj_limit == OBJ_MAX ? OBJ_BITS + 1 : 17, obj_key);
}

static uint32_t badge_of(uint32_t idx) { return (objs[idx].gen << OBJ_BITS) | idx; }

static void ep_add(struct cairn_ep *ep, int fd, uint32_t type, uint32_t idx, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u64 = ((uint64_t)type << 32) | idx };
	if (epoll_ctl(ep->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) plat_die("epoll_ctl");
}

cairn_ep *plat_ep_create_here(const char *name)
{
	(void)name;
	objs_init();
	struct cairn_ep *ep = pages(sizeof(*ep), false);
	int sv[2];
	if (!ep) plat_die("cannot allocate entrypoint");
	ep->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ep->epfd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		plat_die("cannot create entrypoint");
	ep->srv_sock  = sv[0];
	ep->cli_sock  = sv[1];
	ep->cli_ino   = plat_fd_ino(sv[1]);
	int on = 1;
	if (setsockopt(ep->srv_sock, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) < 0)
		plat_die("cannot learn the senders on the entrypoint socket");
	ep->chan_max  = obj_limit == OBJ_MAX ? CHAN_MAX : 4096;
	ep->chans     = pages(sizeof(*ep->chans) * ep->chan_max, true);
	ep->active    = pages(sizeof(*ep->active) * ep->chan_max, true);
	ep->hot       = pages(sizeof(*ep->hot) * ep->chan_max, true);
	ep->kicked    = pages(sizeof(*ep->kicked) * ep->chan_max, true);
	if (!ep->hot || !ep->kicked) plat_die("cannot allocate entrypoint tables");
	ep->free_hint = 1;
	ep->thread    = pthread_self();
	if (!ep->chans || !ep->active) plat_die("cannot allocate entrypoint tables");
	ep_add(ep, ep->srv_sock, EV_EP, 0, EPOLLIN);
	return ep;
}

cairn_cap cairn_ep_manage(cairn_ep *ep, cairn_rpc_obj *obj)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return CAIRN_CAP_INVALID;
	pthread_mutex_lock(&obj_lock);
	uint32_t idx = 0;
	for (uint32_t n = 1; n < obj_limit; n++) {
		uint32_t i = (obj_hint + n - 1) % (obj_limit - 1) + 1;
		if (!objs[i].obj) { idx = i; break; }
	}
	if (!idx) {
		pthread_mutex_unlock(&obj_lock);
		close(sv[0]); close(sv[1]);
		return CAIRN_CAP_INVALID;
	}
	obj_hint = idx + 1;
	struct obj_slot *s = &objs[idx];
	s->obj     = obj;
	s->ep      = ep;
	s->srv_fd  = sv[0];
	s->cli_ino = plat_fd_ino(sv[1]);
	s->gen     = (s->gen + 1) & ((1u << (32 - OBJ_BITS)) - 1);
	if (!s->gen) s->gen = 1;
	s->pending = 0;
	s->queued  = false;
	inohash_insert(&obj_hash, idx);
	pthread_mutex_unlock(&obj_lock);

	/* only objects that take signals listen on their socket */
	if (obj->signal) ep_add(ep, sv[0], EV_OBJ, idx, EPOLLIN);
	obj->_plat = s;
	obj->cap   = plat_cap_install_local(sv[1], s->cli_ino, ep->cli_sock, ep->cli_ino);
	return obj->cap;
}

void cairn_ep_dissolve(cairn_ep *ep, cairn_rpc_obj *obj)
{
	struct obj_slot *s = obj->_plat;
	if (!s || s->obj != obj) return;
	pthread_mutex_lock(&obj_lock);
	inohash_remove(&obj_hash, (uint32_t)(s - objs));
	if (obj->signal) epoll_ctl(ep->epfd, EPOLL_CTL_DEL, s->srv_fd, 0);
	close(s->srv_fd);
	s->obj     = 0;
	s->srv_fd  = -1;
	s->pending = 0;
	s->gen++;            /* badges handed out before are void now */
	pthread_mutex_unlock(&obj_lock);
	cairn_cap_release(obj->cap);
	obj->cap   = CAIRN_CAP_INVALID;
	obj->_plat = 0;
}

cairn_rpc_obj *cairn_ep_lookup(cairn_ep *ep, cairn_cap cap)
{
	uint64_t ino = plat_cap_ino(cap);
	if (!ino) return 0;
	pthread_mutex_lock(&obj_lock);
	uint32_t i = inohash_find(&obj_hash, ino);
	cairn_rpc_obj *o = (i && objs[i].ep == ep) ? objs[i].obj : 0;
	pthread_mutex_unlock(&obj_lock);
	return o;
}

/* ---------------------------------------------------------------- channels */

/*
 * Which channels to look at. A channel's sleep flag is set (its client
 * kicks us through the socket, and epoll names the channel: `kicked`)
 * unless the entrypoint cleared it when it served the client (then the
 * channel is `hot`, and the entrypoint looks at it by itself). So an
 * entrypoint with many clients looks at a few pages per event, not at
 * every channel's page.
 */
static void list_drop(uint32_t *list, uint32_t *n, uint32_t slot)
{
	for (uint32_t i = 0; i < *n; i++)
		if (list[i] == slot) { list[i] = list[--*n]; return; }
}

static void hot_add(struct cairn_ep *ep, struct srv_chan *c)
{
	if (c->hot) return;
	c->hot = true;
	ep->hot[ep->nhot++] = c->slot;
}

static void kicked_add(struct cairn_ep *ep, struct srv_chan *c)
{
	if (c->kicked) return;
	c->kicked = true;
	ep->kicked[ep->nkicked++] = c->slot;
}

static void chan_remove(struct cairn_ep *ep, struct srv_chan *c)
{
	if (c->hot) list_drop(ep->hot, &ep->nhot, c->slot);
	if (c->kicked) list_drop(ep->kicked, &ep->nkicked, c->slot);
	c->hot = c->kicked = false;
	epoll_ctl(ep->epfd, EPOLL_CTL_DEL, c->sock, 0);
	close(c->sock);
	munmap(c->shm, CHAN_SHM_SIZE);
	uint32_t last = ep->active[--ep->nactive];
	ep->active[c->pos] = last;
	ep->chans[last]->pos = c->pos;
	ep->chans[c->slot] = 0;
	c->gen++;          /* deferred reply tokens for this channel are void */
	if (ep->last == c) ep->last = 0;
	c->shm = 0;
	c->ep  = 0;
	/* the structure stays mapped so that stale tokens can be checked */
}

static bool memfd_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	struct stat st;
	return seals >= 0 && (seals & F_SEAL_SHRINK) && fstat(fd, &st) == 0
	       && st.st_size >= (off_t)CHAN_SHM_SIZE;
}

/*
 * Every component runs under a user id of its own, and the kernel tells
 * the sender's with each message on the entrypoint socket: a component may
 * hold at most CHANS_PER_CLIENT channels here (one per thread that calls),
 * so a flood of SETUPs cannot use up this server's descriptors.
 */
enum { CHANS_PER_CLIENT = 256 };

static unsigned chans_of(struct cairn_ep *ep, uint32_t uid)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < ep->nactive; i++) n += ep->chans[ep->active[i]]->uid == uid;
	return n;
}

static void handle_setup(struct cairn_ep *ep, int shm_fd, int sock, uint32_t uid)
{
	if (chans_of(ep, uid) >= CHANS_PER_CLIENT) goto refuse;
	if (!memfd_sealed(shm_fd)) goto refuse;
	uint32_t slot = 0;
	for (uint32_t n = 1; n < ep->chan_max; n++) {
		uint32_t i = (ep->free_hint + n - 1) % (ep->chan_max - 1) + 1;
		if (!ep->chans[i]) { slot = i; break; }
	}
	if (!slot) goto refuse;
	static _Thread_local struct srv_chan *spare;  /* reuse a removed structure */
	struct srv_chan *c = spare ? spare : pages(sizeof(*c), false);
	spare = 0;
	if (!c) goto refuse;
	void *shm = mmap(0, CHAN_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
	if (shm == MAP_FAILED) { spare = c; goto refuse; }
	uint32_t gen = c->gen;
	memset(c, 0, sizeof(*c));
	c->gen         = gen + 1;
	c->shm         = shm;
	c->sock        = sock;
	c->uid         = uid;
	/*
	 * A new page: sequences start at 0. The client may have posted its
	 * first request already (it does not wait for SETUP to be taken); it
	 * has kicked for it then (see chan_setup), and the kick waits on the
	 * channel's socket until the socket is watched below.
	 */
	c->last_seq    = 0;
	c->slot        = slot;
	c->pos         = ep->nactive;
	c->ep          = ep;
	ep->chans[slot] = c;
	ep->active[ep->nactive++] = slot;
	ep->free_hint = slot + 1;
	/* not hot: the client kicks us (edge-triggered: stale wake-ups cost nothing) */
	atomic_store_explicit(&c->shm->srv_sleep, 1, memory_order_seq_cst);
	ep_add(ep, sock, EV_CHAN, slot, EPOLLIN | EPOLLET);
	close(shm_fd);
	return;
refuse:
	close(shm_fd);
	close(sock);
}

static uint32_t *auth_slot(struct srv_chan *c, uint32_t badge)
{
	return &c->auth[(badge * 2654435761u) % AUTH_SLOTS];
}

/* the badge of the object whose descriptor came with a request, authorized on `c`; 0 none */
static uint32_t attach(struct cairn_ep *ep, struct srv_chan *c, int obj_fd)
{
	uint64_t ino = plat_fd_ino(obj_fd);
	close(obj_fd);
	pthread_mutex_lock(&obj_lock);
	uint32_t i = ino ? inohash_find(&obj_hash, ino) : 0;
	uint32_t badge = (i && objs[i].ep == ep) ? badge_of(i) : 0;
	pthread_mutex_unlock(&obj_lock);
	if (badge) *auth_slot(c, badge) = badge;   /* may evict: the client attaches again */
	return badge;
}

static void handle_ep_socket(struct cairn_ep *ep)
{
	for (;;) {
		struct sock_msg m;
		int fds[4];
		unsigned n;
		uint32_t uid;
		if (sock_recv_cred(ep->srv_sock, &m, fds, 4, &n, &uid) < 0) return;
		if (m.type == MT_SETUP && n == 2) { handle_setup(ep, fds[0], fds[1], uid); continue; }
		for (unsigned i = 0; i < n; i++) close(fds[i]);
	}
}

/* ---------------------------------------------------------------- requests */

static void send_reply(struct srv_chan *c, uint32_t seq, cairn_msg *reply)
{
	struct chan_shm *s = c->shm;
	if (reply->len > CAIRN_MSG_DATA || reply->ncaps > CAIRN_MSG_CAPS || reply->err) {
		cairn_msg_init(reply, CAIRN_ERR_MSG);
	}
	bool raw = reply->_plat >= 0;
	if (caps_send(c->sock, reply, -1) < 0) { reply->ncaps = 0; raw = false; }
	/*
	 * Objects of this entrypoint are attached to the channel right away:
	 * whoever receives the reply holds the channel, so the client needs no
	 * ATTACH round trip before it calls them.
	 */
	for (uint32_t k = 0; k < reply->ncaps; k++) {
		uint64_t ino = cairn_cap_valid(reply->caps[k]) ? plat_cap_ino(reply->caps[k]) : 0;
		uint32_t badge = 0;
		if (ino) {
			pthread_mutex_lock(&obj_lock);
			uint32_t i = inohash_find(&obj_hash, ino);
			if (i && objs[i].ep == c->ep) badge = badge_of(i);
			pthread_mutex_unlock(&obj_lock);
		}
		if (badge) *auth_slot(c, badge) = badge;
		s->rep.badges[k] = badge;
	}
	s->rep.code  = reply->code;
	s->rep.badge = c->attached;
	s->rep.len   = reply->len;
	s->rep.ncaps = reply->ncaps | (raw ? WIRE_RAW_FD : 0);
	memcpy(s->rep.data, reply->data, reply->len);
	atomic_store_explicit(&s->srv_cpu, (uint32_t)sched_getcpu(), memory_order_relaxed);
	atomic_store_explicit(&s->rep_seq, seq, memory_order_seq_cst);
	chan_wake_client(&s->cli_sleep, &s->rep_seq);
}

static void release_caps(cairn_msg *m)
{
	for (uint32_t i = 0; i < m->ncaps; i++) cairn_cap_release(m->caps[i]);
	m->ncaps = 0;
	if (m->_plat >= 0) { close(m->_plat); m->_plat = -1; }
}

/* one request at a time per entrypoint thread: its messages live here */
static _Thread_local cairn_msg *req_tls, *rep_tls;

static void handle_request(struct cairn_ep *ep, struct srv_chan *c, uint32_t seq)
{
	if (!req_tls) {
		req_tls = pages(sizeof(cairn_msg), false);
		rep_tls = pages(sizeof(cairn_msg), false);
		if (!req_tls || !rep_tls) plat_die("cannot allocate request buffers");
	}
	cairn_msg *req = req_tls, *reply = rep_tls;
	struct chan_shm *s = c->shm;
	c->last_seq = seq;
	/* awake for this client: it need not kick us, we look (see sleep_scan) */
	if (atomic_load_explicit(&s->srv_sleep, memory_order_relaxed))
		atomic_store_explicit(&s->srv_sleep, 0, memory_order_relaxed);
	hot_add(ep, c);

	/* copy the request out of shared memory before believing anything */
	uint32_t len = s->req.len, ncaps = s->req.ncaps, badge = s->req.badge;
	int32_t code = s->req.code;
	c->attached = 0;
	cairn_msg_init(reply, CAIRN_OK);
	if (len > CAIRN_MSG_DATA || (ncaps & ~WIRE_FLAGS) > CAIRN_MSG_CAPS) {
		reply->code = CAIRN_ERR_MSG;
		send_reply(c, seq, reply);
		return;
	}
	cairn_msg_init(req, code);
	req->len = len;
	memcpy(req->data, s->req.data, len);
	int obj_fd = -1;
	if (ncaps && caps_recv(c->sock, req, ncaps, &obj_fd) < 0) {
		release_caps(req);
		reply->code = CAIRN_ERR_MSG;
		send_reply(c, seq, reply);
		return;
	}
	if (ncaps & WIRE_ATTACH) {
		badge = c->attached = attach(ep, c, obj_fd);
		if (!badge) {
			release_caps(req);
			reply->code = PLAT_ERR_NOOBJ;
			send_reply(c, seq, reply);
			return;
		}
	}

	cairn_rpc_obj *obj = 0;
	if (badge && *auth_slot(c, badge) == badge) {
		uint32_t i = badge & (OBJ_MAX - 1);
		pthread_mutex_lock(&obj_lock);
		if (i < obj_limit && objs[i].obj && objs[i].ep == ep && badge_of(i) == badge) obj = objs[i].obj;
		pthread_mutex_unlock(&obj_lock);
	}
	if (!obj) {
		release_caps(req);
		/* unknown on this channel: a stale badge or an evicted one */
		reply->code = PLAT_ERR_REATTACH;
		c->attached = 0;
		*auth_slot(c, badge) = 0;
		send_reply(c, seq, reply);
		return;
	}
	if (!obj->dispatch) {
		release_caps(req);
		reply->code = CAIRN_ERR_OPCODE;
		send_reply(c, seq, reply);
		return;
	}
	plat_current_chan = c;
	plat_current_seq  = seq;
	c->deferred = false;
	int r = obj->dispatch(obj, req, reply);
	plat_current_chan = 0;
	/* what the handler did not take is not its: dropped here for every server (rpc.h) */
	while (req->capos < req->ncaps) cairn_cap_release(req->caps[req->capos++]);
	if (req->_plat >= 0) { close(req->_plat); req->_plat = -1; }
	if (r == CAIRN_RPC_DEFER && c->deferred) return;
	if (c->ep) send_reply(c, seq, reply);
}

cairn_reply_token cairn_rpc_defer(void)
{
	struct srv_chan *c = plat_current_chan;
	if (!c) return (cairn_reply_token){ 0, 0, 0 };
	c->deferred = true;
	return (cairn_reply_token){ c, plat_current_seq, c->gen };
}

void cairn_rpc_reply(cairn_reply_token t, cairn_msg *reply)
{
	struct srv_chan *c = t.chan;
	if (!c || c->gen != t.gen || !c->ep) { release_caps(reply); return; }
	send_reply(c, t.seq, reply);
}

/* the first channel with a request not yet handled, scanning round robin */
static struct srv_chan *scan(struct cairn_ep *ep, uint32_t *seq)
{
	while (ep->nkicked) {
		struct srv_chan *c = ep->chans[ep->kicked[--ep->nkicked]];
		if (!c) continue;
		c->kicked = false;
		uint32_t s = atomic_load_explicit(&c->shm->req_seq, memory_order_acquire);
		if (s != c->last_seq) { *seq = s; return c; }
	}
	static _Thread_local uint32_t rr;
	uint32_t n = ep->nhot;
	for (uint32_t k = 0; k < n; k++) {
		struct srv_chan *c = ep->chans[ep->hot[(rr + k) % n]];
		uint32_t s = atomic_load_explicit(&c->shm->req_seq, memory_order_acquire);
		if (s != c->last_seq) { rr = (rr + k + 1) % n; *seq = s; return c; }
	}
	return 0;
}

/*
 * Before sleeping: announce it on every hot channel and look for a request
 * in the same pass (the fence per channel pairs with the client's store of
 * its request and load of the flag). All other channels have the flag set
 * already. Flags are cleared again on the channels the entrypoint serves.
 */
static struct srv_chan *sleep_scan(struct cairn_ep *ep, uint32_t *seq)
{
	for (uint32_t i = 0; i < ep->nhot;) {
		struct srv_chan *c = ep->chans[ep->hot[i]];
		atomic_store_explicit(&c->shm->srv_sleep, 1, memory_order_relaxed);
		atomic_thread_fence(memory_order_seq_cst);
		uint32_t s = atomic_load_explicit(&c->shm->req_seq, memory_order_relaxed);
		if (s != c->last_seq) { *seq = s; return c; }
		/* flag set: from now on it kicks us */
		c->hot = false;
		ep->hot[i] = ep->hot[--ep->nhot];
	}
	return 0;
}

/*
 * Make every channel kick us (while a blocking library call waits for one
 * signal, requests must queue): set the flags of the hot ones, and keep
 * those with a request already posted in the kicked list.
 */
static void cool_all(struct cairn_ep *ep)
{
	for (uint32_t i = 0; i < ep->nhot; i++) {
		struct srv_chan *c = ep->chans[ep->hot[i]];
		atomic_store_explicit(&c->shm->srv_sleep, 1, memory_order_relaxed);
		atomic_thread_fence(memory_order_seq_cst);
		c->hot = false;
		if (atomic_load_explicit(&c->shm->req_seq, memory_order_relaxed) != c->last_seq)
			kicked_add(ep, c);
	}
	ep->nhot = 0;
}

/* ---------------------------------------------------------------- signals */

static void collect_signals(struct cairn_ep *ep, uint32_t idx)
{
	for (;;) {
		struct sock_msg m;
		int fds[4];
		unsigned n;
		pthread_mutex_lock(&obj_lock);
		int fd = objs[idx].obj && objs[idx].ep == ep ? objs[idx].srv_fd : -1;
		pthread_mutex_unlock(&obj_lock);
		if (fd < 0 || sock_recv(fd, &m, fds, 4, &n) < 0) return;
		for (unsigned i = 0; i < n; i++) close(fds[i]);
		if (m.type != MT_SIGNAL || !m.value) continue;
		struct obj_slot *s = &objs[idx];
		uint32_t sum = s->pending + m.value;
		s->pending = sum < s->pending ? UINT32_MAX : sum;
		if (!s->queued && (ep->sigq_tail - ep->sigq_head) < SIGQ) {
			s->queued = true;
			ep->sigq[ep->sigq_tail++ % SIGQ] = idx;
		}
	}
}

static bool dispatch_signal(struct cairn_ep *ep)
{
	while (ep->sigq_head != ep->sigq_tail) {
		uint32_t idx = ep->sigq[ep->sigq_head++ % SIGQ];
		struct obj_slot *s = &objs[idx];
		s->queued = false;
		unsigned cnt = s->pending;
		s->pending = 0;
		if (!cnt || !s->obj || s->ep != ep || !s->obj->signal) continue;
		s->obj->signal(s->obj, cnt);
		return true;
	}
	return false;
}

void cairn_signal_submit(cairn_cap context, unsigned count)
{
	int obj_fd, ep_fd;
	if (!count || !plat_cap_fds(context, &obj_fd, &ep_fd)) return;
	struct sock_msg m = { .type = MT_SIGNAL, .value = count };
	(void)sock_send(obj_fd, &m, 0, 0, false);   /* full queue: merged anyway */
}

/* ---------------------------------------------------------------- loop */

int plat_ep_watch_fd(cairn_ep *ep, int fd, plat_fd_fn fn, void *data)
{
	if (!ep->watches && !(ep->watches = pages(sizeof(*ep->watches) * MAX_WATCH, true)))
		return -1;
	for (uint32_t n = 0; n < MAX_WATCH; n++) {
		uint32_t i = (ep->watch_hint + n) % MAX_WATCH;
		if (ep->watches[i].fn) continue;
		ep->watches[i] = (struct watch){ fd, fn, data };
		ep->watch_hint = i + 1;
		ep_add(ep, fd, EV_WATCH, i, EPOLLIN);
		return 0;
	}
	return -1;
}

void plat_ep_unwatch_fd(cairn_ep *ep, int fd)
{
	for (uint32_t i = 0; ep->watches && i < MAX_WATCH; i++)
		if (ep->watches[i].fn && ep->watches[i].fd == fd) {
			epoll_ctl(ep->epfd, EPOLL_CTL_DEL, fd, 0);
			ep->watches[i].fn = 0;
			return;
		}
}

/* wait for kernel events and take them in; `block` false: just poll */
static void wait_events(struct cairn_ep *ep, bool block)
{
	struct epoll_event ev[64];
	int n = epoll_wait(ep->epfd, ev, 64, block ? -1 : 0);
	for (int i = 0; i < n; i++) {
		uint32_t type = (uint32_t)(ev[i].data.u64 >> 32), idx = (uint32_t)ev[i].data.u64;
		if (type == EV_EP) handle_ep_socket(ep);
		else if (type == EV_OBJ) collect_signals(ep, idx);
		else if (type == EV_CHAN) {
			struct srv_chan *c = ep->chans[idx];
			if (!c) continue;
			if (ev[i].events & (EPOLLHUP | EPOLLERR)) chan_remove(ep, c);
			else { sock_drain_wakes(c->sock); kicked_add(ep, c); }
		} else if (type == EV_WATCH && ep->watches && idx < MAX_WATCH && ep->watches[idx].fn) {
			struct watch w = ep->watches[idx];
			w.fn(w.data, ev[i].events);
		}
	}
}

/*
 * After a request, the same client's next one is likely near: watch its
 * channel (and now and then all channels) for a bounded time, but only if
 * that client runs on another CPU; then look at kernel events, and sleep.
 */
static struct srv_chan *spin_for_request(struct cairn_ep *ep, uint32_t *seq)
{
	struct srv_chan *last = ep->last;
	if (!last || !last->ep) return 0;
	if (atomic_load_explicit(&last->shm->cli_cpu, memory_order_relaxed) == (uint32_t)sched_getcpu())
		return 0;
	/*
	 * Adaptive: a spin that found the next request doubles the budget, one
	 * that did not halves it. A server with one busy client spins; one
	 * whose requests come from many clients (core starting components)
	 * soon stops wasting time on it.
	 */
	if (!ep->spin_budget) ep->spin_budget = SPIN_SCANS;
	for (uint32_t i = 0; i < ep->spin_budget; i++) {
		uint32_t s = atomic_load_explicit(&last->shm->req_seq, memory_order_acquire);
		if (s != last->last_seq) {
			*seq = s;
			ep->spin_budget = ep->spin_budget * 2 > SPIN_SCANS ? SPIN_SCANS : ep->spin_budget * 2;
			return last;
		}
		__builtin_ia32_pause();
	}
	ep->spin_budget = ep->spin_budget / 2 < SPIN_FLOOR ? SPIN_FLOOR : ep->spin_budget / 2;
	return 0;
}

void cairn_ep_dispatch_one(cairn_ep *ep)
{
	for (;;) {
		uint32_t seq;
		struct srv_chan *c = scan(ep, &seq);
		if (c) { handle_request(ep, c, seq); ep->last = c; return; }
		if (dispatch_signal(ep)) return;
		c = spin_for_request(ep, &seq);
		ep->last = 0;
		if (c) { handle_request(ep, c, seq); ep->last = c; return; }
		wait_events(ep, false);
		if (ep->sigq_head != ep->sigq_tail) continue;
		c = scan(ep, &seq);
		if (c) { handle_request(ep, c, seq); ep->last = c; return; }
		c = sleep_scan(ep, &seq);
		if (c) { handle_request(ep, c, seq); ep->last = c; return; }
		wait_events(ep, true);
	}
}

_Noreturn void cairn_ep_run(cairn_ep *ep)
{
	for (;;) cairn_ep_dispatch_one(ep);
}

unsigned cairn_ep_wait_signal(cairn_ep *ep, cairn_rpc_obj *obj)
{
	struct obj_slot *s = obj->_plat;
	if (!s) return 0;
	for (;;) {
		if (s->pending) {
			unsigned cnt = s->pending;
			s->pending = 0;
			return cnt;
		}
		/* requests stay queued: every channel kicks us while we wait here */
		cool_all(ep);
		wait_events(ep, true);
	}
}
