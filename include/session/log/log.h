/* log.h - LOG session: line-oriented text output */
#pragma once

#include <base/cap.h>

/*
 * WRITE takes a string of at most CAIRN_LOG_MAX bytes and returns the
 * number of characters consumed. The server prints each newline-terminated
 * line as `[<label>] <line>`; a trailing fragment gets its own line.
 * Session args: `ram_quota` (at least CAIRN_LOG_RAM), `label`.
 */
enum { CAIRN_LOG_WRITE = 1 };
enum { CAIRN_LOG_MAX = 4000, CAIRN_LOG_RAM = 8192 };

int cairn_log_write(cairn_cap log, const char *s);
