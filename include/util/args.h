/* args.h - session-argument strings such as `ram_quota=8K, label="nic"` */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <util/string.h>

/*
 * Syntax (framework.md 7.1): a comma-separated list of `key=value` pairs,
 * whitespace (space, tab, newline, CR) around tokens is ignored.
 *
 *  - key: identifier, letter or '_' first, then letters, digits, '_'
 *  - value: an unquoted identifier (`yes`), a number, or a double-quoted
 *    string in which `\"` stands for '"' (nothing else is escaped); a
 *    comma inside a quoted string does not end the pair
 *  - numbers: decimal or 0x hex, optional suffix K, M, G (uppercase); a
 *    leading '-' makes a signed value negative; only whitespace, ',' or the
 *    end may follow a number, otherwise the default is used
 *
 * All functions take NUL-terminated strings (NULL counts as empty). A key
 * is found by exact comparison, the first occurrence wins, a missing key
 * (or a pair without '=') yields the default. Malformed pairs are skipped.
 * The parent interface limits argument strings to ARGS_MAX bytes
 * including the NUL; enforcing that is up to the caller.
 */
enum { ARGS_MAX = 160 };

enum args_error {
	ARGS_OK = 0,
	ARGS_ERR_OVERFLOW,  /* the result would not fit the buffer (buffer unchanged) */
	ARGS_ERR_KEY,       /* the key is not an identifier */
	ARGS_ERR_VALUE,     /* the value cannot be represented (see args_set_string) */
	ARGS_ERR_INVALID,   /* the buffer holds no NUL-terminated string */
};

/* raw value of key: text after '=' up to the end of the pair, trimmed */
bool args_find(const char *args, const char *key, struct str *value)
	__attribute__((warn_unused_result));
bool args_has(const char *args, const char *key);

/*
 * Typed reads.
 *  ulong/size: number, K/M/G allowed; negative values give the default
 *  long:       number with optional '-', K/M/G allowed
 *  bool:       yes|true|on, no|false|off (unquoted or quoted, whole word),
 *              or a number (non-zero is true); anything else: default
 *  string:     an unquoted identifier (its letters, digits and '_' only) or
 *              a quoted string (unescaped); anything else, notably an
 *              unquoted number, gives `def` (NULL: empty). Copies like
 *              str_copy: returns the value's length, truncated iff the
 *              result is >= dst_size.
 */
unsigned long args_ulong(const char *args, const char *key, unsigned long def);
size_t        args_size(const char *args, const char *key, size_t def);
long          args_long(const char *args, const char *key, long def);
bool          args_bool(const char *args, const char *key, bool def);
size_t        args_string(const char *args, const char *key,
                          char *dst, size_t dst_size, const char *def);

/*
 * Modification in place of the NUL-terminated string in buf[0, size).
 * args_set removes every pair of the key and appends `key=value` (value
 * verbatim) at the end, separated by ", ". Empty pairs and a trailing pair
 * with an unterminated quote are dropped on the way, so that the appended
 * pair is the one a lookup finds. On any error the buffer is left
 * unchanged. args_set_string quotes the value, escaping '"' as `\"`; a value
 * ending in '\' cannot be represented (ARGS_ERR_VALUE).
 * args_remove removes every pair of the key (with its separator) and
 * returns whether there was one.
 */
enum args_error args_set(char *buf, size_t size, const char *key, const char *value)
	__attribute__((warn_unused_result));
enum args_error args_set_string(char *buf, size_t size, const char *key, const char *value)
	__attribute__((warn_unused_result));
enum args_error args_set_ulong(char *buf, size_t size, const char *key, unsigned long value)
	__attribute__((warn_unused_result));
bool args_remove(char *buf, size_t size, const char *key);

const char *args_error_str(enum args_error error);
