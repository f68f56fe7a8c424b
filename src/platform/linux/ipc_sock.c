/* ipc_sock.c - socket messages with descriptor passing, and the wait/kick protocol */

#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { MAX_FDS = 2 * CAIRN_MSG_CAPS + 2 };  /* capabilities, a raw descriptor, an object to attach */

int sock_send(int fd, struct sock_msg const *m, int const *fds, unsigned nfds, bool block)
{
	return sock_send_buf(fd, m, sizeof(*m), fds, nfds, block);
}

int sock_send_buf(int fd, void const *data, size_t len, int const *fds, unsigned nfds, bool block)
{
	union { char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)]; struct cmsghdr align; } u;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	if (nfds > MAX_FDS) return -EINVAL;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds) {
		memset(&u, 0, sizeof(u));
		mh.msg_control    = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type  = SCM_RIGHTS;
		c->cmsg_len   = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	for (int tries = 0;; tries++) {
		ssize_t r = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r == (ssize_t)len) return 0;
		if (r < 0 && errno == EINTR) continue;
		if (r < 0 && errno == EAGAIN && block && tries < 2000) {
			/* the peer's queue is full: give it up to a second */
			struct timespec ts = { 0, 500000 };
			nanosleep(&ts, 0);
			continue;
		}
		return r < 0 ? -errno : -EIO;
	}
}

int sock_recv(int fd, struct sock_msg *m, int *fds, unsigned max_fds, unsigned *nfds)
{
	return sock_recv_cred(fd, m, fds, max_fds, nfds, 0);
}

int sock_recv_cred(int fd, struct sock_msg *m, int *fds, unsigned max_fds, unsigned *nfds,
                   uint32_t *uid)
{
	return sock_recv_buf(fd, m, sizeof(*m), fds, max_fds, nfds, uid);
}

int sock_recv_buf(int fd, void *data, size_t len, int *fds, unsigned max_fds, unsigned *nfds,
                  uint32_t *uid)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_FDS) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	if (uid) *uid = UINT32_MAX;
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	*nfds = 0;
	ssize_t r;
	do r = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0) return -errno;
	if (r == 0) return -EPIPE;
	/* collect descriptors first so none leak whatever the message says */
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && uid) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			*uid = cr.uid;
			continue;
		}
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
		unsigned n = (unsigned)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		int *in = (int *)CMSG_DATA(c);
		for (unsigned i = 0; i < n; i++) {
			if (*nfds < max_fds) fds[(*nfds)++] = in[i];
			else close(in[i]);
		}
	}
	if (r != (ssize_t)len || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		for (unsigned i = 0; i < *nfds; i++) close(fds[i]);
		*nfds = 0;
		return -EBADMSG;
	}
	return 0;
}

int sock_peek_type(int fd)
{
	uint8_t t;
	ssize_t r = recv(fd, &t, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r == 1) return t;
	if (r == 0) return -1;
	if (errno == EAGAIN || errno == EINTR) return 0;
	return -1;
}

void sock_drain_wakes(int fd)
{
	while (sock_peek_type(fd) == MT_WAKE) {
		struct sock_msg m;
		unsigned n;
		int fds[MAX_FDS];
		if (sock_recv(fd, &m, fds, MAX_FDS, &n) < 0) return;
		for (unsigned i = 0; i < n; i++) close(fds[i]);
	}
}

int caps_send(int sock, cairn_msg *m, int attach_fd)
{
	if (m->ncaps == 0 && m->_plat < 0 && attach_fd < 0) return 0;
	if (m->ncaps > CAIRN_MSG_CAPS) return CAIRN_ERR_MSG;
	struct sock_msg sm = { .type = MT_CAPS, .ncaps = (uint8_t)m->ncaps,
	                       .value = attach_fd >= 0 ? CAPS_ATTACH : 0 };
	int fds[MAX_FDS];
	unsigned n = 0;
	if (attach_fd >= 0) fds[n++] = attach_fd;
	for (uint32_t i = 0; i < m->ncaps; i++) {
		int o, e;
		if (cairn_cap_valid(m->caps[i]) && plat_cap_fds(m->caps[i], &o, &e)) {
			sm.valid |= (uint8_t)(1u << i);
			fds[n++] = o;
			fds[n++] = e;
		}
	}
	if (m->_plat >= 0) { sm.has_raw = 1; fds[n++] = m->_plat; }
	int r = sock_send(sock, &sm, fds, n, true);
	if (m->_plat >= 0) { close(m->_plat); m->_plat = -1; }
	return r < 0 ? CAIRN_ERR_IPC : 0;
}

int caps_recv(int sock, cairn_msg *m, uint32_t wire_ncaps, int *attach_fd)
{
	uint32_t ncaps = wire_ncaps & ~(uint32_t)WIRE_FLAGS;
	bool raw = (wire_ncaps & WIRE_RAW_FD) != 0, attach = (wire_ncaps & WIRE_ATTACH) != 0;
	m->ncaps = 0;
	m->capos = 0;
	m->_plat = -1;
	if (attach_fd) *attach_fd = -1;
	struct sock_msg sm;
	int fds[MAX_FDS];
	unsigned n;
	/* wake-ups that went stale on the way may precede the capabilities */
	for (;;) {
		if (sock_recv(sock, &sm, fds, MAX_FDS, &n) < 0) return CAIRN_ERR_MSG;
		if (sm.type == MT_CAPS) break;
		for (unsigned i = 0; i < n; i++) close(fds[i]);
		if (sm.type != MT_WAKE) return CAIRN_ERR_MSG;
	}
	bool sm_attach = (sm.value & CAPS_ATTACH) != 0;
	unsigned want = sm_attach;
	for (unsigned i = 0; i < sm.ncaps && i < CAIRN_MSG_CAPS; i++)
		if (sm.valid & (1u << i)) want += 2;
	if (sm.has_raw) want++;
	if (sm.ncaps != ncaps || sm.ncaps > CAIRN_MSG_CAPS || n != want || raw != (sm.has_raw != 0)
	    || attach != sm_attach || (attach && !attach_fd)) {
		for (unsigned i = 0; i < n; i++) close(fds[i]);
		return CAIRN_ERR_MSG;
	}
	unsigned k = 0;
	if (attach) *attach_fd = fds[k++];
	for (unsigned i = 0; i < sm.ncaps; i++) {
		if (sm.valid & (1u << i)) {
			m->caps[i] = plat_cap_install(fds[k], fds[k + 1]);
			k += 2;
		} else m->caps[i] = CAIRN_CAP_INVALID;
	}
	m->ncaps = sm.ncaps;
	if (sm.has_raw) m->_plat = fds[k];
	return 0;
}

/*
 * Waiting for the server (reply or attach word): spin for a bounded number
 * of rounds, but only while the server runs on another CPU (it answers
 * within a microsecond or so, and waking a sleeping one costs more than
 * the spin); then announce sleep, re-check, and sleep on the word itself
 * (a futex in the shared page: cheaper than a socket wake-up). The sleep
 * is bounded, and after each period the channel socket is asked whether
 * the server hung up: a dead server ends the wait, never a hang.
 */
enum { SPIN_ROUNDS = 1000, SPIN_START = 64, SPIN_FLOOR = 256, DEATH_CHECK_MS = 100 };

static bool peer_gone(int sock)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

bool chan_wait(_Atomic uint32_t *word, uint32_t seq, _Atomic uint32_t *sleep_flag, int sock,
               uint32_t *spin)
{
	/*
	 * The budget adapts per channel: a spin that saw the answer doubles it,
	 * one that did not halves it (a busy server, e.g. core while many
	 * components start, should not also have to compete with spinners).
	 */
	if (spin) {
		if (!*spin) *spin = SPIN_START;   /* a new channel earns its spin */
		for (uint32_t i = 0; i < *spin; i++) {
			if (atomic_load_explicit(word, memory_order_acquire) == seq) {
				*spin = *spin * 2 > SPIN_ROUNDS ? SPIN_ROUNDS : *spin * 2;
				return true;
			}
			__builtin_ia32_pause();
		}
		*spin = *spin / 2 < SPIN_FLOOR ? SPIN_FLOOR : *spin / 2;
	}
	for (;;) {
		atomic_store_explicit(sleep_flag, 1, memory_order_seq_cst);
		uint32_t v = atomic_load_explicit(word, memory_order_seq_cst);
		if (v == seq) break;
		struct timespec ts = { 0, DEATH_CHECK_MS * 1000000L };
		long r = syscall(SYS_futex, word, FUTEX_WAIT, v, &ts, 0, 0);
		if (atomic_load_explicit(word, memory_order_acquire) == seq) break;
		if (r < 0 && errno == ETIMEDOUT && peer_gone(sock)) {
			atomic_store(sleep_flag, 0);
			return false;
		}
	}
	atomic_store_explicit(sleep_flag, 0, memory_order_relaxed);
	return true;
}

/* the client is told through the word it sleeps on */
void chan_wake_client(_Atomic uint32_t *sleep_flag, _Atomic uint32_t *word)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(sleep_flag, memory_order_relaxed))
		syscall(SYS_futex, word, FUTEX_WAKE, 1, 0, 0, 0);
}

/* the server sleeps in epoll on all its sockets: kick it through this channel's */
void chan_kick(_Atomic uint32_t *sleep_flag, int sock)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(sleep_flag, memory_order_relaxed)) {
		struct sock_msg m = { .type = MT_WAKE };
		(void)sock_send(sock, &m, 0, 0, false);
	}
}
