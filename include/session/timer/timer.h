/* timer.h - Timer session: one-shot and periodic timeouts, elapsed time */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/msg.h>
#include <base/rpc.h>
#include <base/signal.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * The Timer service (drivers/timer, binary `timer`) gives each session one
 * timeout and a clock. Use several sessions for several concurrent
 * timeouts. Time is counted in microseconds on the server's monotonic
 * clock; a session's clock starts at zero when the session is created.
 *
 * Session args: `ram_quota` (at least CAIRN_TIMER_RAM_MIN; less is refused
 * with `Error: Insufficient ram quota, provided=P, required=R` and
 * CAIRN_ERR_QUOTA), `label`. The donation pays for the session object;
 * nothing else is charged, no operation allocates.
 *
 * Session operations:
 *
 *   TRIGGER_ONCE      u64 us -> -
 *                     Program a one-shot timeout `us` microseconds from now.
 *                     It replaces whatever timeout (one-shot or periodic)
 *                     the session had pending. When it expires, the
 *                     session's signal (SIGH) is submitted once. 0 expires
 *                     at once. Values beyond CAIRN_TIMER_MAX_US are
 *                     clamped to it.
 *
 *   TRIGGER_PERIODIC  u64 us -> -
 *                     Program a periodic timeout: the k-th period ends
 *                     k * us after the call. The signal is submitted when a
 *                     period ended; signals merge, so a handler learns the
 *                     number of periods that passed from the count. The
 *                     server wakes up at most every CAIRN_TIMER_MIN_WAKEUP_US
 *                     for one session, whatever the period: shorter periods
 *                     are counted, not signalled one by one.
 *                     Errors: CAIRN_ERR_INVALID_ARGS (us is 0).
 *
 *   SIGH              cap sigh -> -
 *                     The signal context to submit to when a timeout
 *                     expires; the invalid capability removes it (timeouts
 *                     then expire silently).
 *
 *   ELAPSED_MS        - -> u64 ms    milliseconds since session creation
 *   ELAPSED_US        - -> u64 us    microseconds since session creation
 *
 * Guarantees: a timeout never expires early: by the time its signal is
 * submitted, ELAPSED_US of the session is at least the value it had
 * before the TRIGGER call plus `us` (plus k * us for the k-th period).
 * Timeouts of all sessions expire in the order of their deadlines (equal
 * deadlines: in the order they were programmed); a periodic timeout whose
 * period is below CAIRN_TIMER_MIN_WAKEUP_US expires later than the end of
 * its period, by design. Signals of different sessions may still be seen
 * in another order by a client when several are due at once, because
 * signal delivery gives no order across contexts.
 *
 * Sleeping (msleep, usleep) is done by the client library below, not by
 * the server: it routes the session's signal to a private handler,
 * programs a one-shot timeout, blocks the calling entrypoint until the
 * signal arrives (cairn_ep_wait_signal: other requests and signals of the
 * entrypoint stay queued meanwhile) and restores the session's handler.
 */
enum cairn_timer_op {
	CAIRN_TIMER_TRIGGER_ONCE = 1,
	CAIRN_TIMER_TRIGGER_PERIODIC,
	CAIRN_TIMER_SIGH,
	CAIRN_TIMER_ELAPSED_MS,
	CAIRN_TIMER_ELAPSED_US,
};

enum {
	CAIRN_TIMER_RAM_MIN = 1024,       /* smallest donation that opens a session */
	CAIRN_TIMER_RAM     = 8192,       /* the donation clients usually make */
	CAIRN_TIMER_MIN_WAKEUP_US = 1000, /* periodic wake-ups per session, at most */
};

#define CAIRN_TIMER_MAX_US ((uint64_t)1 << 50)  /* about 35 years */

/* ---- client stubs of the raw interface ---- */

static inline int cairn_timer_session_trigger_once(cairn_cap s, uint64_t us)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_TIMER_TRIGGER_ONCE);
	cairn_msg_put_u64(&m, us);
	return cairn_rpc_call(s, &m, &m);
}

static inline int cairn_timer_session_trigger_periodic(cairn_cap s, uint64_t us)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_TIMER_TRIGGER_PERIODIC);
	cairn_msg_put_u64(&m, us);
	return cairn_rpc_call(s, &m, &m);
}

static inline int cairn_timer_session_sigh(cairn_cap s, cairn_cap sigh)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_TIMER_SIGH);
	cairn_msg_put_cap(&m, sigh);
	return cairn_rpc_call(s, &m, &m);
}

/* op: CAIRN_TIMER_ELAPSED_MS or CAIRN_TIMER_ELAPSED_US */
__attribute__((warn_unused_result))
static inline int cairn_timer_session_elapsed(cairn_cap s, int op, uint64_t *value)
{
	cairn_msg m;
	cairn_msg_init(&m, op);
	int r = cairn_rpc_call(s, &m, &m);
	*value = r == CAIRN_OK ? cairn_msg_get_u64(&m) : 0;
	if (r == CAIRN_OK && m.err) r = CAIRN_ERR_MSG;
	return r;
}

/* ---- the client library (src/lib/os/timer.c) ---- */

/*
 * A timer connection: the session plus what msleep needs. All functions
 * must be called on the entrypoint given at open (normally env->ep).
 */
struct cairn_env;
typedef struct cairn_timer {
	struct cairn_env    *env;
	cairn_cap            session;
	cairn_cap            sigh;     /* the handler the user registered */
	cairn_signal_handler sleeper;  /* private handler for msleep/usleep */
	bool                 sleeper_ready;
} cairn_timer;

/* open a session with CAIRN_TIMER_RAM donated; errors as cairn_session */
int cairn_timer_open(cairn_timer *t, struct cairn_env *env, const char *label)
	__attribute__((warn_unused_result));
void cairn_timer_close(cairn_timer *t);

int cairn_timer_sigh(cairn_timer *t, cairn_cap sigh);
int cairn_timer_trigger_once(cairn_timer *t, uint64_t us);
int cairn_timer_trigger_periodic(cairn_timer *t, uint64_t us);

/* time since the session was created (0 if the call failed) */
uint64_t cairn_timer_elapsed_ms(cairn_timer *t);
uint64_t cairn_timer_elapsed_us(cairn_timer *t);

/*
 * Block the entrypoint for at least `us` (`ms`) of the server's time.
 * A pending timeout the user programmed is replaced (one timeout per
 * session); the user's signal handler is registered again afterwards.
 * usleep(0) returns at once. Errors: those of the RPCs (CAIRN_ERR_IPC if
 * the timer is gone).
 */
int cairn_timer_usleep(cairn_timer *t, uint64_t us);
int cairn_timer_msleep(cairn_timer *t, uint64_t ms);
