/* msg.h - RPC messages and their marshalling */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <base/cap.h>

enum {
	CAIRN_MSG_DATA = 8192 - 64, /* payload bytes per direction */
	CAIRN_MSG_CAPS = 4,         /* capabilities per direction */
};

/*
 * A message carries an opcode (request) or a result code (reply), up to
 * CAIRN_MSG_DATA bytes of payload and up to CAIRN_MSG_CAPS capabilities.
 * Writers append with cairn_msg_put_*; readers consume with cairn_msg_get_*
 * in the same order. Every getter checks bounds: reading past the payload
 * sets `err` and yields zeroes, so a handler can read all arguments and
 * then check `err` once. A malformed request is the client's error, never
 * the server's crash.
 */
typedef struct cairn_msg {
	int32_t   code;    /* request: opcode; reply: CAIRN_OK or an error */
	uint32_t  len;     /* payload bytes used */
	uint32_t  pos;     /* read cursor (local) */
	uint32_t  ncaps;   /* capabilities carried */
	uint32_t  capos;   /* capability read cursor (local) */
	bool      err;     /* a get or put was out of bounds (local) */
	int32_t   _plat;   /* reserved for the platform, -1 when unused */
	cairn_cap caps[CAIRN_MSG_CAPS];
	uint8_t   data[CAIRN_MSG_DATA];
} cairn_msg;

void cairn_msg_init(cairn_msg *m, int32_t code);

void cairn_msg_put(cairn_msg *m, const void *src, size_t n);
void cairn_msg_put_u32(cairn_msg *m, uint32_t v);
void cairn_msg_put_u64(cairn_msg *m, uint64_t v);
void cairn_msg_put_i64(cairn_msg *m, int64_t v);
void cairn_msg_put_str(cairn_msg *m, const char *s);   /* length-prefixed */
void cairn_msg_put_cap(cairn_msg *m, cairn_cap c);     /* invalid caps allowed */

bool     cairn_msg_get(cairn_msg *m, void *dst, size_t n);
uint32_t cairn_msg_get_u32(cairn_msg *m);
uint64_t cairn_msg_get_u64(cairn_msg *m);
int64_t  cairn_msg_get_i64(cairn_msg *m);
cairn_cap cairn_msg_get_cap(cairn_msg *m);

/*
 * Copy a length-prefixed string into dst (capacity cap, always terminated).
 * A string longer than cap-1, or one that contains a NUL, sets `err`.
 */
bool cairn_msg_get_str(cairn_msg *m, char *dst, size_t cap);

/* pointer to the next n payload bytes in place (NULL and `err` if short) */
const void *cairn_msg_get_ptr(cairn_msg *m, size_t n);
