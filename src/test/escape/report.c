/* report.c - result lines and small helpers shared by the attempts */

#include "escape.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <base/msg.h>
#include <base/rpc.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *attempt_name = "escape";

void result(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cairn_log("%s: %s", attempt_name, buf);
}

void detail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cairn_log("  %s", buf);
}

const char *errno_name(int err)
{
	const char *n = strerrorname_np(err);
	return n ? n : "unknown errno";
}

void result_sys(long rc, int err)
{
	if (rc < 0) result("%s", errno_name(err));
	else        result("succeeded (returned %ld)", rc);
}

/*
 * The platform hands out a dataspace's descriptor in the reply to
 * CAIRN_DS_MAP and keeps it in the message's platform field; the attach
 * function maps and closes it. Code in a component can simply keep it.
 */
int ds_fd(cairn_cap ds, size_t *size)
{
	cairn_msg m;
	cairn_msg_init(&m, CAIRN_DS_MAP);
	int r = cairn_rpc_call(ds, &m, &m);
	int fd = m._plat;
	if (size) *size = r == CAIRN_OK ? cairn_msg_get_u64(&m) : 0;
	return r == CAIRN_OK ? fd : -1;
}

double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) { }
}
