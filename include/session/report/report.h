/* report.h - Report session: a component publishes state (XML) to a server */
#pragma once

#include <base/cap.h>
#include <base/errors.h>
#include <base/msg.h>
#include <base/rpc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A Report session carries reports from a client (the reporter) to a
 * server such as report_rom or clipboard, which makes them available to
 * others, typically as ROM modules. The session label names the report:
 * a component that reports "state" opens its session with label "state",
 * and the server sees "<path of the component> -> state".
 *
 * Session args:
 *
 *   buffer_size  size of the report buffer in bytes (K/M suffixes as in
 *                every argument string); must be > 0, otherwise the
 *                session is refused (CAIRN_ERR_DENIED, the server logs
 *                `Error: zero-length report requested by <label>`)
 *   ram_quota    the donation; it must cover what the server spends for
 *                the session: at least cairn_report_ram(buffer_size), i.e.
 *                CAIRN_REPORT_RAM_BASE for the session object plus the
 *                shared buffer (page-rounded) plus two server-side copies
 *                of a report (the committed one and the one being
 *                checked), each of buffer_size + 1 bytes, page-rounded.
 *                Less is refused with CAIRN_ERR_QUOTA (the server logs
 *                `Error: insufficient ram donation from <label>`).
 *   label        the report's name (see above)
 *
 * Session operations (the session capability):
 *
 *   DATASPACE         - -> cap ds
 *                     The shared report buffer: a RAM dataspace of at least
 *                     buffer_size bytes, writable by the client. The client
 *                     writes a report into it and calls SUBMIT. Costs
 *                     nothing beyond the session's donation.
 *
 *   SUBMIT            u64 length -> -
 *                     The server takes the first `length` bytes of the
 *                     buffer as the new report. It copies them before
 *                     looking at them, so a client changing the buffer
 *                     during the call can only spoil its own report. The
 *                     client must not rely on the buffer's content after
 *                     the call. A report is one XML node (leading
 *                     whitespace and comments allowed, anything after the
 *                     node ignored, a NUL byte ends it); length 0 is the
 *                     empty report.
 *                     Errors (the previous report stays in effect, the
 *                     session stays usable):
 *                       CAIRN_ERR_INVALID_ARGS      length > buffer_size
 *                       CAIRN_REPORT_ERR_MALFORMED  not well-formed XML
 *                       CAIRN_ERR_MSG               request without length
 *                     A server may drop a well-formed report by policy
 *                     (clipboard: the reporter's domain is not focused)
 *                     and still answer CAIRN_OK, so that the reporter
 *                     learns nothing about others from the answer.
 *
 *   RESPONSE_SIGH     cap sigh -> -
 *                     Signal context the server submits to when it has a
 *                     response for the client (the invalid capability
 *                     unregisters). report_rom and clipboard never respond.
 *
 *   OBTAIN_RESPONSES  - -> u64 length
 *                     The server writes pending responses into the buffer
 *                     and returns their length (0: none).
 *
 * The session's capability dies with the session: after CLOSE every call
 * fails with CAIRN_ERR_IPC.
 */
enum cairn_report_op {
	CAIRN_REPORT_DATASPACE = 1,
	CAIRN_REPORT_SUBMIT,
	CAIRN_REPORT_RESPONSE_SIGH,
	CAIRN_REPORT_OBTAIN_RESPONSES,
};

enum {
	CAIRN_REPORT_ERR_MALFORMED = -1100, /* the report is not well-formed XML */
};

enum {
	CAIRN_REPORT_RAM_BASE = 4096,  /* session object and bookkeeping */
	CAIRN_REPORT_BUFFER   = 4096,  /* the customary buffer size */
};

static inline size_t cairn_report_page(size_t n) { return (n + 4095) & ~(size_t)4095; }

/* the smallest donation for a session with the given buffer size */
static inline size_t cairn_report_ram(size_t buffer_size)
{
	return CAIRN_REPORT_RAM_BASE + cairn_report_page(buffer_size)
	     + 2 * cairn_report_page(buffer_size + 1);
}

/* ---- client stubs of the raw interface ---- */

/* on success *ds is a new capability (release it when done) */
__attribute__((warn_unused_result))
static inline int cairn_report_dataspace(cairn_cap s, cairn_cap *ds)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_REPORT_DATASPACE);
	int r = cairn_rpc_call(s, &m, &m);
	*ds = r == CAIRN_OK ? cairn_msg_get_cap(&m) : CAIRN_CAP_INVALID;
	if (r == CAIRN_OK && !cairn_cap_valid(*ds)) r = CAIRN_ERR_MSG;
	return r;
}

__attribute__((warn_unused_result))
static inline int cairn_report_submit(cairn_cap s, size_t length)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_REPORT_SUBMIT);
	cairn_msg_put_u64(&m, length);
	return cairn_rpc_call(s, &m, &m);
}

static inline int cairn_report_response_sigh(cairn_cap s, cairn_cap sigh)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_REPORT_RESPONSE_SIGH);
	cairn_msg_put_cap(&m, sigh);
	return cairn_rpc_call(s, &m, &m);
}

__attribute__((warn_unused_result))
static inline int cairn_report_obtain_responses(cairn_cap s, size_t *length)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_REPORT_OBTAIN_RESPONSES);
	int r = cairn_rpc_call(s, &m, &m);
	*length = r == CAIRN_OK ? (size_t)cairn_msg_get_u64(&m) : 0;
	if (r == CAIRN_OK && m.err) r = CAIRN_ERR_MSG;
	return r;
}

/* ---- the client helper (library `rom`, src/lib/rom/reporter.c) ---- */

/*
 * A reporter: an open Report session with its buffer attached.
 *
 *     cairn_reporter r;
 *     if (cairn_reporter_open(&r, env, "state", CAIRN_REPORT_BUFFER) == CAIRN_OK) {
 *         struct xml_gen g;
 *         xml_gen_init(&g, r.buffer, r.size, "state");
 *         xml_gen_attr_ulong(&g, "version", 3);
 *         if (xml_gen_finish(&g) == XML_GEN_OK)
 *             (void)cairn_reporter_submit_buffer(&r, xml_gen_used(&g));
 *     }
 *
 * or, with content ready elsewhere, cairn_reporter_submit(&r, text, len).
 */
struct cairn_env;
typedef struct cairn_reporter {
	struct cairn_env *env;
	cairn_cap         session;
	cairn_cap         ds;
	char             *buffer;  /* the shared buffer, `size` bytes */
	size_t            size;    /* buffer_size of the session */
	size_t            mapped;  /* bytes mapped (page-rounded) */
} cairn_reporter;

/*
 * Open a session labelled `name` with a buffer of `buffer_size` bytes,
 * donating cairn_report_ram(buffer_size). Errors: those of cairn_session
 * (CAIRN_ERR_DENIED, CAIRN_ERR_QUOTA, ...), those of attaching the buffer.
 */
int cairn_reporter_open(cairn_reporter *r, struct cairn_env *env, const char *name,
                        size_t buffer_size) __attribute__((warn_unused_result));

/*
 * Copy `len` bytes to the buffer and submit them. A report longer than
 * the buffer is not copied: CAIRN_ERR_INVALID_ARGS, as the server would
 * answer. Other errors as SUBMIT.
 */
int cairn_reporter_submit(cairn_reporter *r, const void *data, size_t len)
	__attribute__((warn_unused_result));

/* submit the first `len` bytes the caller wrote into r->buffer */
int cairn_reporter_submit_buffer(cairn_reporter *r, size_t len)
	__attribute__((warn_unused_result));

/* close the session (reports of a closed session vanish at report_rom) */
void cairn_reporter_close(cairn_reporter *r);
