/* internal.h - data structures shared by the Linux platform's files */
#pragma once

#include <plat.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum { EPT_MAX = 4096 };

/*
 * Transport-internal replies: the badge is unknown on this channel (attach
 * again), or the descriptor attached with the request is no object here.
 */
enum { PLAT_ERR_REATTACH = -90, PLAT_ERR_NOOBJ = -91 };

/*
 * A channel connects one client thread with one server entrypoint. Its
 * shared page carries one request and one reply at a time; the sequence
 * words tell a new request or reply apart, the sleep flags tell whether
 * the other side must be woken through the channel's socket (otherwise it
 * is spinning and sees the word change by itself). Capabilities cannot
 * travel through memory: they go as descriptors over the socket, ahead of
 * the message that names them. The server copies every request out of the
 * shared page before it looks at it.
 *
 * A request names its object by a badge the server gave this channel. The
 * first request to an object (or one the server no longer knows) carries
 * the object's descriptor instead, ahead of it over the channel socket:
 * holding that descriptor and the channel is the proof, and the reply
 * tells the badge for the next requests (ATTACH with the call).
 */
/* `ncaps` of a wire message: the count, plus flags for descriptors that travel with it */
enum { WIRE_RAW_FD = 0x100, WIRE_ATTACH = 0x200, WIRE_FLAGS = WIRE_RAW_FD | WIRE_ATTACH };

struct wire {
	int32_t  code;
	uint32_t badge;    /* request: the object's; reply: the badge attached with the request, or 0 */
	uint32_t len;
	uint32_t ncaps;
	uint32_t badges[CAIRN_MSG_CAPS];  /* reply: badge of capability i on this channel, or 0 */
	uint8_t  data[CAIRN_MSG_DATA];
};

struct chan_shm {
	_Atomic uint32_t req_seq;     /* client -> server */
	_Atomic uint32_t srv_sleep;   /* server may sleep: client must kick */
	_Atomic uint32_t cli_cpu;     /* where the client last published (a hint) */
	uint32_t         _pad0[13];
	_Atomic uint32_t rep_seq;     /* server -> client */
	_Atomic uint32_t cli_sleep;   /* client sleeps: server must kick */
	_Atomic uint32_t srv_cpu;     /* where the server last published (a hint) */
	uint32_t         _pad1[13];
	struct wire      req;
	struct wire      rep;
};

enum { CHAN_SHM_SIZE = (sizeof(struct chan_shm) + 4095) & ~4095ul };

/* socket message types */
enum {
	MT_SETUP  = 'S', /* ep socket: new channel; fds: shm, server end */
	MT_SIGNAL = 'G', /* object socket: signal with count */
	MT_WAKE   = 'W', /* channel socket: wake the other side */
	MT_CAPS   = 'C', /* channel socket: capabilities of the next message (value: CAPS_ATTACH) */
};

/* MT_CAPS: the first descriptor is the object the request calls (WIRE_ATTACH) */
enum { CAPS_ATTACH = 1 };

struct sock_msg {
	uint8_t  type;
	uint8_t  ncaps;
	uint8_t  valid;    /* bit i: capability i is valid */
	uint8_t  has_raw;  /* a raw descriptor follows the capability pairs */
	uint32_t value;    /* CAPS: flags; SIGNAL: count */
};

_Noreturn void plat_die(const char *what);
uint64_t plat_fd_ino(int fd);
uint64_t plat_cap_ino(cairn_cap c);
uint64_t plat_cap_ep_ino(cairn_cap c);
/* install an object descriptor whose inode is known, reaching an entrypoint (not taken over) */
cairn_cap plat_cap_install_local(int obj_fd, uint64_t obj_ino, int ep_fd, uint64_t ep_ino);
int      plat_ep_fd(int ep);
void     plat_ep_ref(int ep);
void     plat_ep_unref(int ep);

/* socket helpers (ipc_sock.c) */
int  sock_send(int fd, struct sock_msg const *m, int const *fds, unsigned nfds, bool block);
int  sock_recv(int fd, struct sock_msg *m, int *fds, unsigned max_fds, unsigned *nfds);
/* the same for a message of any fixed size (at most 2 * CAIRN_MSG_CAPS + 2 descriptors) */
int  sock_send_buf(int fd, void const *data, size_t len, int const *fds, unsigned nfds, bool block);
int  sock_recv_buf(int fd, void *data, size_t len, int *fds, unsigned max_fds, unsigned *nfds,
                   uint32_t *uid);
/* the same, with the sender's user id as the kernel vouches for it (SO_PASSCRED) */
int  sock_recv_cred(int fd, struct sock_msg *m, int *fds, unsigned max_fds, unsigned *nfds,
                    uint32_t *uid);
int  sock_peek_type(int fd);  /* type of the next message, 0 none, -1 hang-up */
void sock_drain_wakes(int fd);

/* send the capabilities of `m` (its raw descriptor, and the object to attach if >= 0) ahead of it */
int  caps_send(int sock, cairn_msg *m, int attach_fd);
/*
 * receive the capabilities announced by `wire_ncaps` for `m` (non-blocking:
 * they were sent first); the object attached with it to *attach_fd (else -1)
 */
int  caps_recv(int sock, cairn_msg *m, uint32_t wire_ncaps, int *attach_fd);

/* (spin-then-)sleep wait for *word == seq; false if the peer hung up */
/* spin (budget *spin, adapted; NULL: no spin), then sleep until *word == seq; false if the peer is gone */
bool chan_wait(_Atomic uint32_t *word, uint32_t seq, _Atomic uint32_t *sleep_flag, int sock,
               uint32_t *spin);
void chan_kick(_Atomic uint32_t *sleep_flag, int sock);              /* client -> server */
void chan_wake_client(_Atomic uint32_t *sleep_flag, _Atomic uint32_t *word); /* server -> client */

/* the server side needs to know which request it is dispatching (defer) */
struct srv_chan;
extern _Thread_local struct srv_chan *plat_current_chan;
extern _Thread_local uint32_t         plat_current_seq;
