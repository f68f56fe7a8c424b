/* escape.h - the parts of the escape test: attempts, roles, reporting */
#pragma once

#include <base/env.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Every attempt tries one thing a sandboxed component must not be able to
 * do and logs one result line `<attempt>: <result>`: the name of the errno
 * it got (EPERM, ENOENT, ...), the Cairn error (Ipc_error,
 * Quota_exceeded, ...), or what went through. Lines that carry numbers
 * that vary from run to run (counts, sizes) are indented details and are
 * not part of the result. An attempt the kernel kills prints nothing more:
 * init's crash line is its result.
 */

/* name of the running attempt */
extern const char *attempt_name;

/* `<attempt>: <text>` */
void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* `  <text>`: a detail that is not compared */
void detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* result of a system call: the errno's name if rc < 0, else "succeeded" */
void result_sys(long rc, int err);

/* result_sys of an expression, errno read after it (argument order is unspecified) */
#define TRY(expr) do { long try_rc_ = (long)(expr); int try_err_ = errno; result_sys(try_rc_, try_err_); } while (0)

/* "EPERM", "ENOENT", ... */
const char *errno_name(int err);

typedef void (*attempt_fn)(cairn_env *env);

struct attempt { const char *name; attempt_fn fn; };

/* tables of the attempt files, terminated by { 0, 0 } */
extern const struct attempt sys_attempts[];    /* sys.c: files, sockets, privileged calls */
extern const struct attempt proc_attempts[];   /* proc.c: other processes, fork, kernel ABI */
extern const struct attempt mem_attempts[];    /* mem.c: memory beyond quota, ROM writes */
extern const struct attempt exec_attempts[];   /* exec.c: exec of dataspaces */
extern const struct attempt cap_attempts[];    /* caps.c: capabilities, sessions, floods */
extern const struct attempt kernel_attempts[]; /* kernel.c: kernel objects outside quota */

/*
 * Holding (hold.c): an attempt that exhausts something shared announces
 * the service "Escape_hold". When the probe (a sibling, role <probe/>)
 * has its session and calls HOLD_ENGAGE, `engage` takes the resource
 * (and logs the result); `release` gives it back when the probe closed
 * its session, or after `max_s` seconds, then the attempt exits with 0.
 */
enum { HOLD_ENGAGE = 1 };
_Noreturn void hold(cairn_env *env, void (*engage)(void), void (*release)(void), unsigned max_s);

/* roles besides attempts (victim.c) */
void victim_serve(cairn_env *env, bool announce_log);
void probe(cairn_env *env, const char *what);
void check(cairn_env *env);

/*
 * The victim's interface (service "Escape_victim"): PING answers its
 * argument plus one, LABEL the session label the server got, CRASH makes
 * the server dereference a null pointer without answering.
 */
enum { VICTIM_PING = 1, VICTIM_LABEL, VICTIM_CRASH };
enum { VICTIM_RAM = 8192 };

int victim_ping(cairn_cap s, uint32_t v, uint32_t *out);

/* a dataspace's descriptor, as the platform hands it out for mapping */
int ds_fd(cairn_cap ds, size_t *size);

/* monotonic milliseconds */
double now_ms(void);

/* sleep (nanosleep is allowed) */
void sleep_ms(unsigned ms);
