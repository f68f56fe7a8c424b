/* string.c - byte ranges, bounded copy and saturating number parsing */
#include <util/string.h>

#include <limits.h>
#include <stdint.h>
#include <string.h>

struct str str_z(const char *z)
{
	return str_n(z, z ? strlen(z) : 0);
}

bool str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool str_eq_z(struct str a, const char *z)
{
	return str_eq(a, str_z(z));
}

bool str_starts_with(struct str s, struct str prefix)
{
	return s.len >= prefix.len
	    && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

bool str_ends_with(struct str s, struct str suffix)
{
	return s.len >= suffix.len
	    && (suffix.len == 0 || memcmp(s.ptr + s.len - suffix.len, suffix.ptr, suffix.len) == 0);
}

struct str str_trim(struct str s)
{
	while (s.len && str_is_space(s.ptr[0])) { s.ptr++; s.len--; }
	while (s.len && str_is_space(s.ptr[s.len - 1])) s.len--;
	return s;
}

size_t str_copy(char *dst, size_t dst_size, struct str src)
{
	if (dst_size == 0)
		return src.len;
	size_t n = src.len < dst_size - 1 ? src.len : dst_size - 1;
	if (n)
		memmove(dst, src.ptr, n);
	dst[n] = 0;
	return src.len;
}

/* value of digit c in the given base, -1 if c is none */
static int digit(char c, unsigned base)
{
	int d = -1;
	if (c >= '0' && c <= '9') d = c - '0';
	else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
	return d >= 0 && (unsigned)d < base ? d : -1;
}

size_t str_parse_ulong(struct str s, unsigned long *out)
{
	unsigned base = 10;
	size_t i = 0;
	if (s.len >= 3 && s.ptr[0] == '0' && s.ptr[1] == 'x' && digit(s.ptr[2], 16) >= 0) {
		base = 16;
		i = 2;
	}
	size_t const first = i;
	unsigned long v = 0;
	for (int d; i < s.len && (d = digit(s.ptr[i], base)) >= 0; i++)
		v = v > (ULONG_MAX - (unsigned long)d) / base ? ULONG_MAX : v * base + (unsigned long)d;
	if (i == first)
		return 0;
	*out = v;
	return i;
}

size_t str_parse_size(struct str s, size_t *out)
{
	unsigned long v;
	size_t n = str_parse_ulong(s, &v);
	if (!n)
		return 0;
	unsigned shift = 0;
	if (n < s.len) {
		switch (s.ptr[n]) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		}
	}
	if (shift) {
		n++;
		v = v > (ULONG_MAX >> shift) ? ULONG_MAX : v << shift;
	}
	*out = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
	return n;
}

size_t str_parse_long(struct str s, long *out)
{
	size_t i = 0;
	bool neg = false;
	if (s.len && (s.ptr[0] == '-' || s.ptr[0] == '+')) {
		neg = s.ptr[0] == '-';
		i = 1;
	}
	/* accumulate the magnitude, the limit of a negative value is one more */
	unsigned long const limit = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	unsigned long v = 0;
	size_t const first = i;
	for (int d; i < s.len && (d = digit(s.ptr[i], 10)) >= 0; i++)
		v = v > (limit - (unsigned long)d) / 10 ? limit : v * 10 + (unsigned long)d;
	if (i == first)
		return 0;
	if (!neg)
		*out = (long)v;
	else
		*out = v == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)v;
	return i;
}

size_t str_parse_bool(struct str s, bool *out)
{
	static const struct { const char *word; bool value; } words[] = {
		{ "yes", true }, { "true", true }, { "on", true },
		{ "no", false }, { "false", false }, { "off", false },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct str w = str_z(words[i].word);
		if (str_starts_with(s, w)) {
			*out = words[i].value;
			return w.len;
		}
	}
	return 0;
}
