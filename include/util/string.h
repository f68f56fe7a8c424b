/* string.h - byte ranges, bounded copy and number parsing used by the util library */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * A byte range that refers into memory owned by someone else (an XML
 * buffer, an argument string). It is not NUL-terminated; `ptr` may be NULL
 * only if `len` is 0. Nothing in util allocates: every function below works
 * on the caller's memory.
 */
struct str {
	const char *ptr;
	size_t      len;
};

/* range of a NUL-terminated string (NULL yields the empty range) */
struct str str_z(const char *z);

/* range [ptr, ptr + len) */
static inline struct str str_n(const char *ptr, size_t len)
{
	struct str s = { ptr, len };
	return s;
}

bool str_eq(struct str a, struct str b);          /* same bytes */
bool str_eq_z(struct str a, const char *z);       /* same bytes as the C string z */
bool str_starts_with(struct str s, struct str prefix);
bool str_ends_with(struct str s, struct str suffix);

/* whitespace of XML and argument strings: space, tab, newline and CR */
static inline bool str_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct str str_trim(struct str s);                /* without leading/trailing whitespace */

/*
 * Bounded copy with strlcpy semantics: copies at most dst_size - 1 bytes of
 * src and NUL-terminates dst (if dst_size > 0). Returns src.len, so the copy
 * was truncated iff the result is >= dst_size.
 */
size_t str_copy(char *dst, size_t dst_size, struct str src);

/*
 * Number parsing. Each parser reads the longest valid prefix of s, stores
 * the value in *out and returns the number of bytes consumed; it returns 0
 * and leaves *out untouched if s does not start with a number. Values that
 * do not fit saturate at the type's limit (never wrap).
 *
 * str_parse_ulong: decimal, or hex after "0x" (lowercase x, digits a-f/A-F;
 *                  "0x" without a hex digit is the decimal 0 followed by x)
 * str_parse_size:  str_parse_ulong plus an optional suffix K (2^10),
 *                  M (2^20) or G (2^30), uppercase only ("16MB" consumes "16M")
 * str_parse_long:  optional '+' or '-', then decimal digits only
 * str_parse_bool:  "yes", "true", "on" (true) or "no", "false", "off" (false),
 *                  case-sensitive, matched as a prefix ("yesterday" -> 3 bytes,
 *                  true) in this order, as Genode's ascii_to(bool) does
 */
size_t str_parse_ulong(struct str s, unsigned long *out);
size_t str_parse_size(struct str s, size_t *out);
size_t str_parse_long(struct str s, long *out);
size_t str_parse_bool(struct str s, bool *out);
