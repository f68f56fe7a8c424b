/* hello.h - Hello session: an example RPC interface with capability delegation */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/rpc.h>
#include <stdint.h>

/*
 * The Hello service (test/hello/server) demonstrates a custom RPC
 * interface: plain arguments and results, a capability delegated in a
 * result (NEW_COUNTER) and one delegated in an argument (ADOPT).
 *
 * Session args: `ram_quota` (at least CAIRN_HELLO_RAM_MIN; the server logs
 * `Error: Insufficient ram quota, provided=P, required=R` and the client
 * gets CAIRN_ERR_QUOTA if less), `label`. The donation pays for the
 * session object and for every counter of the session; an upgrade
 * (cairn_parent_upgrade with `ram_quota=N`) raises the session's budget.
 *
 * Session operations (the session capability):
 *
 *   SAY_HELLO  str text -> -
 *              The server logs the text with the session's label. Text of
 *              at most CAIRN_HELLO_TEXT_MAX - 1 bytes, no NUL.
 *              Errors: CAIRN_ERR_INVALID_ARGS (too long or malformed).
 *              Costs nothing.
 *
 *   ADD        i64 a, i64 b -> i64 sum
 *              Errors: CAIRN_ERR_INVALID_ARGS (sum overflows, args missing).
 *              Costs nothing.
 *
 *   NEW_COUNTER  - -> cap counter
 *              A fresh Counter object (value 0) owned by this session; the
 *              capability is delegated to the caller. Each counter is
 *              charged CAIRN_HELLO_COUNTER_RAM bytes (the object and the
 *              kernel objects behind its capability) plus the session
 *              heap's block header against the session's donation, until
 *              it is destroyed or the session closed.
 *              Errors: CAIRN_ERR_QUOTA (the session's donation is used up:
 *              the server logs `Warning: Quota exceeded! amount=A, size=S,
 *              consumed=C`; upgrade the session and retry),
 *              CAIRN_ERR_NO_MEMORY (the server cannot create the object).
 *
 *   ADOPT      cap counter -> u64 value
 *              The value of the counter the capability names, if it names
 *              a counter of this server (any session's: holding the
 *              capability is the authority). The server checks this by
 *              identity (cairn_ep_lookup), not by trusting any number.
 *              Errors: CAIRN_ERR_INVALID_ARGS (invalid capability, an
 *              object of another server, or one of this server's objects
 *              that is no counter).
 *
 *   DESTROY_COUNTER  cap counter -> -
 *              Destroy a counter of this session and return its charge;
 *              later calls through any copy of its capability fail with
 *              CAIRN_ERR_IPC. Errors: CAIRN_ERR_INVALID_ARGS (not a counter
 *              of this session).
 *
 * Counter operations (a counter capability):
 *
 *   INCREMENT  - -> u64 value   (the value after incrementing)
 *
 * Closing the session destroys its counters: their capabilities then
 * yield CAIRN_ERR_IPC, like the session capability itself.
 */
enum cairn_hello_op {
	CAIRN_HELLO_SAY_HELLO = 1,
	CAIRN_HELLO_ADD,
	CAIRN_HELLO_NEW_COUNTER,
	CAIRN_HELLO_ADOPT,
	CAIRN_HELLO_DESTROY_COUNTER,
};

enum cairn_counter_op { CAIRN_COUNTER_INCREMENT = 1 };

enum {
	CAIRN_HELLO_TEXT_MAX    = 256,
	CAIRN_HELLO_RAM_MIN     = 2048,  /* smallest donation that opens a session */
	CAIRN_HELLO_RAM         = 8192,  /* a donation with room for several counters */
	CAIRN_HELLO_COUNTER_RAM = 512,   /* charge per counter */
};

/* ---- client stubs ---- */

static inline int cairn_hello_say_hello(cairn_cap s, const char *text)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_HELLO_SAY_HELLO);
	cairn_msg_put_str(&m, text);
	return cairn_rpc_call(s, &m, &m);
}

__attribute__((warn_unused_result))
static inline int cairn_hello_add(cairn_cap s, int64_t a, int64_t b, int64_t *sum)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_HELLO_ADD);
	cairn_msg_put_i64(&m, a);
	cairn_msg_put_i64(&m, b);
	int r = cairn_rpc_call(s, &m, &m);
	if (r == CAIRN_OK) {
		*sum = cairn_msg_get_i64(&m);
		if (m.err) r = CAIRN_ERR_MSG;
	}
	return r;
}

/* on success *counter is a new capability (release it when done) */
__attribute__((warn_unused_result))
static inline int cairn_hello_new_counter(cairn_cap s, cairn_cap *counter)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_HELLO_NEW_COUNTER);
	*counter = CAIRN_CAP_INVALID;
	int r = cairn_rpc_call(s, &m, &m);
	if (r == CAIRN_OK) {
		*counter = cairn_msg_get_cap(&m);
		if (m.err || !cairn_cap_valid(*counter)) r = CAIRN_ERR_MSG;
	}
	return r;
}

__attribute__((warn_unused_result))
static inline int cairn_hello_adopt(cairn_cap s, cairn_cap counter, uint64_t *value)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_HELLO_ADOPT);
	cairn_msg_put_cap(&m, counter);
	int r = cairn_rpc_call(s, &m, &m);
	if (r == CAIRN_OK) {
		*value = cairn_msg_get_u64(&m);
		if (m.err) r = CAIRN_ERR_MSG;
	}
	return r;
}

static inline int cairn_hello_destroy_counter(cairn_cap s, cairn_cap counter)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_HELLO_DESTROY_COUNTER);
	cairn_msg_put_cap(&m, counter);
	return cairn_rpc_call(s, &m, &m);
}

__attribute__((warn_unused_result))
static inline int cairn_counter_increment(cairn_cap counter, uint64_t *value)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_COUNTER_INCREMENT);
	int r = cairn_rpc_call(counter, &m, &m);
	if (r == CAIRN_OK) {
		*value = cairn_msg_get_u64(&m);
		if (m.err) r = CAIRN_ERR_MSG;
	}
	return r;
}
