/* server.h - serving changing ROM modules and receiving reports (library `rom`) */
#pragma once

#include <base/env.h>
#include <base/root.h>
#include <base/rpc.h>
#include <util/label.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The parts every ROM/Report server shares (report_rom, rom_filter,
 * dynamic_rom, clipboard): a ROM session that hands its client a
 * read-only dataspace of its own, fills it anew on UPDATE when the new
 * content fits (14.08: no remapping), and signals the client when the
 * content changed; a Report session that receives reports through a
 * shared buffer and checks them before the server sees them; and the
 * service that announces either kind and keeps its sessions.
 *
 * Quota: a session's memory is paid from its client's donation. The
 * session object comes from the session heap the root helper provides
 * (cairn_root_announce); dataspaces come from the server's PD, which
 * received the donation, and are charged against the same budget: the
 * donation minus ROM_SERVER_ROOT_SHARE, minus what the session heap
 * consumed, minus the dataspaces the session holds. An upgrade raises the
 * budget (rom_service calls the *_upgrade function; a root of one's own
 * calls it from its upgrade hook).
 */
enum { ROM_SERVER_ROOT_SHARE = 512 }; /* what the root helper keeps per session */

/* a RAM dataspace of the server's PD, attached writable in the server */
struct rom_buf {
	cairn_cap ds;
	char     *addr;
	size_t    size;   /* bytes, page-rounded; 0: none */
};

int  rom_buf_alloc(struct rom_buf *b, cairn_env *env, size_t size) __attribute__((warn_unused_result));
void rom_buf_free(struct rom_buf *b, cairn_env *env);

/* ------------------------------------------------------------ ROM sessions */

/*
 * What a client is to see now. `version` must change whenever the
 * content changes (data, length or validity), and must not change
 * otherwise: sessions signal their client only for versions it has not
 * seen. An invalid module (the original's "no dataspace") is handed out
 * as the invalid capability; an empty valid one as a zero-filled page.
 */
struct rom_content {
	const char *data;
	size_t      len;
	bool        valid;
	uint64_t    version;
};

typedef struct rom_session rom_session;
typedef void (*rom_content_fn)(rom_session *s, struct rom_content *out);

struct rom_session {
	cairn_rpc_obj  obj;        /* the session object, managed at env->ep */
	cairn_env     *env;
	cairn_heap    *heap;       /* the session heap (root helper) */
	size_t         budget;     /* donation minus ROM_SERVER_ROOT_SHARE (+ upgrades) */
	rom_content_fn content;    /* asked at DATASPACE, UPDATE and for signals */
	void          *data;       /* the server's */
	rom_session   *next;       /* the list of the rom_service */
	struct rom_buf buf;        /* the client's dataspace, server view */
	cairn_cap      ro;         /* read-only capability of buf.ds */
	size_t         used;       /* bytes of buf that may be non-zero */
	cairn_cap      sigh;       /* the client's signal context, or invalid */
	uint64_t       seen;       /* version the client has, or was signalled for */
	char           label[LABEL_MAX + 1];
};

/*
 * Set up a session for `label` whose donation is the `ram_quota` of
 * `args`, manage it at env->ep. The session starts with the version the
 * content function gives now (no initial signal). Errors:
 * CAIRN_ERR_NO_MEMORY (the object could not be managed).
 *
 * Protocol served (include/session/rom/rom.h):
 *   DATASPACE  a dataspace holding the current content and a NUL,
 *              zero-padded; the one handed out before is reused if the
 *              content fits, otherwise replaced. Invalid content: the
 *              invalid capability. CAIRN_ERR_QUOTA (and a warning) if the
 *              donation cannot pay the dataspace: upgrade and retry.
 *   UPDATE     true if the current content was written into the
 *              dataspace handed out before (it fits), false otherwise.
 *   SIGH       register the signal context; signals at once if the
 *              content changed since the client last got it.
 */
int rom_session_init(rom_session *s, cairn_env *env, cairn_heap *heap, const char *args,
                     const char *label, rom_content_fn fn, void *data)
	__attribute__((warn_unused_result));

/* dissolve the object, free the dataspace, drop the signal context */
void rom_session_fini(rom_session *s);

void rom_session_upgrade(rom_session *s, size_t ram_quota);

/* the content may have changed: signal the client if it did */
void rom_session_changed(rom_session *s);

/* the session behind a capability, if it is one of ours served at `ep` */
rom_session *rom_session_lookup(cairn_ep *ep, cairn_cap cap);

/* ------------------------------------------------------------ Report sessions */

typedef struct report_session report_session;

/*
 * Called for every well-formed report with the checked copy (data[len] is
 * a NUL). To accept it, the server calls report_session_commit, which
 * makes it the session's `content`; it may also drop it. The return value
 * is the client's result (CAIRN_OK for a dropped report as well).
 */
typedef int (*report_submit_fn)(report_session *s, const char *data, size_t len);

struct report_session {
	cairn_rpc_obj    obj;
	cairn_env       *env;
	cairn_heap      *heap;
	size_t           budget;
	size_t           buffer_size;   /* as requested */
	struct rom_buf   shared;        /* the client's buffer */
	struct rom_buf   content;       /* the committed report (NUL-terminated) */
	size_t           content_len;
	struct rom_buf   stage;         /* the report being checked */
	cairn_cap        response_sigh;
	report_submit_fn submit;
	void            *data;          /* the server's */
	report_session  *next;          /* the list of the rom_service */
	char             label[LABEL_MAX + 1];
};

/*
 * Set up a session for `label` from its args (`buffer_size`,
 * `ram_quota`), allocate its buffers and manage it at env->ep. Errors
 * (logged as the original does):
 *   CAIRN_ERR_DENIED     buffer_size missing or 0
 *                        (`zero-length report requested by <label>`)
 *   CAIRN_ERR_QUOTA      donation below cairn_report_ram(buffer_size)
 *                        (`insufficient ram donation from <label>`)
 *   CAIRN_ERR_NO_MEMORY  the server's PD could not provide the buffers
 */
int report_session_init(report_session *s, cairn_env *env, cairn_heap *heap,
                        const char *args, const char *label,
                        report_submit_fn fn, void *data) __attribute__((warn_unused_result));

void report_session_fini(report_session *s);
void report_session_upgrade(report_session *s, size_t ram_quota);

/* make the report being submitted the session's content */
void report_session_commit(report_session *s);

/* forget the committed content (content_len 0) */
void report_session_clear(report_session *s);

/* ------------------------------------------------------------ services */

/*
 * A ROM or Report service of a server: it announces the service, creates
 * a session per request, keeps the sessions in a list, passes upgrades on
 * and closes them. What the server keeps beside a session lives in a
 * struct of its own that starts with the rom_session or report_session
 * (`session_size` bytes, allocated zeroed from the session heap, so the
 * client pays for it). The hooks get that struct.
 */
typedef struct rom_service rom_service;

typedef struct rom_service_ops {
	size_t session_size;   /* of the server's struct; 0: the session alone */

	/* exactly one: a ROM service (rom_session_init) or a Report service */
	rom_content_fn   content;
	report_submit_fn submit;

	/*
	 * Optional. Set up the server's part of a fresh session for `label`
	 * before the session is initialized (which asks a ROM session's
	 * content function). An error refuses the session with that error.
	 */
	int  (*open)(rom_service *svc, void *session, const char *label);

	/* optional: the session is served and in the list */
	void (*opened)(rom_service *svc, void *session);

	/*
	 * Optional. Undo `open`: called for a session that is closed (after
	 * *_session_fini, before it is freed), and for one whose open
	 * succeeded but which could not be served.
	 */
	void (*close)(rom_service *svc, void *session);
} rom_service_ops;

struct rom_service {
	cairn_root             root;
	cairn_root_ops         root_ops;
	const rom_service_ops *ops;
	void                  *sessions;   /* newest first, see rom_service_next */
	void                  *data;       /* the server's, also each session's `data` */
};

/*
 * Announce "ROM" or "Report" to the parent (cairn_root_announce), which
 * refuses a donation that cannot pay `session_size` (root.h). A session
 * is refused with CAIRN_ERR_QUOTA if its struct cannot be allocated, with
 * the error of `open`, or with that of rom_session_init or
 * report_session_init (which log why).
 */
int rom_service_announce(rom_service *svc, cairn_env *env, const rom_service_ops *ops,
                         void *data) __attribute__((warn_unused_result));

/* the session after `session` (the first for 0), newest first; 0 at the end */
void *rom_service_next(const rom_service *svc, const void *session);

/* a ROM service's content may have changed: rom_session_changed for each session */
void rom_service_changed(rom_service *svc);

/* ------------------------------------------------------------ output */

/*
 * Log `data` line by line as `  <line>` the way the original's
 * print_lines does (report_rom's verbose output, rom_logger): leading
 * newlines are skipped; the leading run of spaces and tabs of the first
 * line is removed from every line that starts with the same run; output
 * ends at a NUL or after `len` bytes; a line longer than 199 characters
 * continues on the next output line.
 */
void rom_log_lines(const char *data, size_t len);
