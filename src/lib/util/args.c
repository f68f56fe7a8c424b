/* args.c - lookup, typed reads and in-place modification of argument strings */
#include <util/args.h>

#include <limits.h>
#include <string.h>

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && str_is_space(*p)) p++;
	return p;
}

/* p at an opening '"' within [p, end): its closing '"' or NULL */
static const char *quote_end(const char *p, const char *end)
{
	for (const char *q = p + 1; q < end; q++)
		if (*q == '"' && q[-1] != '\\')
			return q;
	return NULL;
}

/* one `key=value` pair, [start, end) excludes the terminating ',' or NUL */
struct pair {
	const char *start;
	const char *end;
	struct str  key;        /* empty if the pair does not start with an identifier */
	const char *value;      /* after '=' and whitespace, NULL without '=' */
	bool        open_quote; /* ends inside a quoted string (runs to the NUL) */
};

/* the pair starting at p (which must not be at the NUL) */
static struct pair pair_at(const char *p)
{
	struct pair pr = { p, p, { p, 0 }, NULL, false };
	bool quoted = false;
	const char *q = p;
	for (; *q; q++) {
		if (*q == '"' && (!quoted || q[-1] != '\\'))
			quoted = !quoted;
		else if (*q == ',' && !quoted)
			break;
	}
	pr.end = q;
	pr.open_quote = quoted;

	const char *k = skip_space(p, pr.end);
	if (k < pr.end && ident_start(*k)) {
		const char *e = k;
		while (e < pr.end && ident_char(*e)) e++;
		pr.key = str_n(k, (size_t)(e - k));
		e = skip_space(e, pr.end);
		if (e < pr.end && *e == '=')
			pr.value = skip_space(e + 1, pr.end);
	}
	return pr;
}

/* first pair of key; false if there is none */
static bool find_pair(const char *args, const char *key, struct pair *out)
{
	if (!args || !key)
		return false;
	for (const char *p = args; *p; ) {
		struct pair pr = pair_at(p);
		if (str_eq_z(pr.key, key)) {
			*out = pr;
			return true;
		}
		p = *pr.end ? pr.end + 1 : pr.end;
	}
	return false;
}

/* value of key, from its first byte to the end of the pair */
static bool raw_value(const char *args, const char *key, struct str *v)
{
	struct pair pr;
	if (!find_pair(args, key, &pr) || !pr.value)
		return false;
	*v = str_n(pr.value, (size_t)(pr.end - pr.value));
	return true;
}

bool args_find(const char *args, const char *key, struct str *value)
{
	struct str v;
	if (!raw_value(args, key, &v))
		return false;
	*value = str_trim(v);
	return true;
}

bool args_has(const char *args, const char *key)
{
	struct pair pr;
	return find_pair(args, key, &pr);
}

/* number at the start of v, followed only by whitespace or the end */
static bool number(struct str v, bool *neg, size_t *mag)
{
	size_t i = 0;
	*neg = v.len && v.ptr[0] == '-';
	if (*neg)
		i = 1;
	size_t n = str_parse_size(str_n(v.ptr + i, v.len - i), mag);
	if (!n)
		return false;
	i += n;
	return i == v.len || str_is_space(v.ptr[i]);
}

unsigned long args_ulong(const char *args, const char *key, unsigned long def)
{
	struct str v;
	bool neg;
	size_t mag;
	if (!raw_value(args, key, &v) || !number(v, &neg, &mag) || neg)
		return def;
	return mag;
}

size_t args_size(const char *args, const char *key, size_t def)
{
	return args_ulong(args, key, def);
}

long args_long(const char *args, const char *key, long def)
{
	struct str v;
	bool neg;
	size_t mag;
	if (!raw_value(args, key, &v) || !number(v, &neg, &mag))
		return def;
	if (!neg)
		return mag > LONG_MAX ? LONG_MAX : (long)mag;
	if (mag > (size_t)LONG_MAX)
		return LONG_MIN;
	return -(long)mag;
}

/* identifier at the start of v, empty if none */
static struct str ident(struct str v)
{
	size_t n = 0;
	if (v.len && ident_start(v.ptr[0]))
		while (n < v.len && ident_char(v.ptr[n])) n++;
	return str_n(v.ptr, n);
}

bool args_bool(const char *args, const char *key, bool def)
{
	struct str v;
	if (!raw_value(args, key, &v))
		return def;

	struct str word = ident(v);
	if (v.len && v.ptr[0] == '"') {
		const char *q = quote_end(v.ptr, v.ptr + v.len);
		if (!q)
			return def;
		word = str_n(v.ptr + 1, (size_t)(q - v.ptr - 1));
	}
	bool b;
	if (word.len)
		return str_parse_bool(word, &b) == word.len ? b : def;

	bool neg;
	size_t mag;
	return number(v, &neg, &mag) ? mag != 0 : def;
}

size_t args_string(const char *args, const char *key, char *dst, size_t dst_size, const char *def)
{
	struct str v;
	if (!raw_value(args, key, &v))
		return str_copy(dst, dst_size, str_z(def));

	if (v.len && v.ptr[0] == '"') {
		const char *q = quote_end(v.ptr, v.ptr + v.len);
		if (!q)
			return str_copy(dst, dst_size, str_z(def));
		size_t out = 0;
		for (const char *p = v.ptr + 1; p < q; p++, out++) {
			if (p[0] == '\\' && p + 1 < q && p[1] == '"')
				p++;
			if (out + 1 < dst_size)
				dst[out] = *p;
		}
		if (dst_size)
			dst[out < dst_size ? out : dst_size - 1] = 0;
		return out;
	}
	struct str id = ident(v);
	return str_copy(dst, dst_size, id.len ? id : str_z(def));
}

/*
 * Remove every pair of key from the string at buf. The kept pairs keep
 * their text (including surrounding whitespace, except before the first
 * one) and are joined by single commas as before, so the result is never
 * longer than the original and can be built in place. Empty pairs are
 * dropped, and so is a pair with an unterminated quote: it would swallow
 * a pair appended after it (a label set by the parent would vanish). With apply == false nothing is written. Returns
 * the resulting length, *removed counts the removed pairs.
 */
static size_t remove_pairs(char *buf, const char *key, bool apply, unsigned *removed)
{
	size_t w = 0;
	bool first = true;
	*removed = 0;
	for (const char *p = buf; *p; ) {
		struct pair pr = pair_at(p);
		const char *next = *pr.end ? pr.end + 1 : pr.end;
		if (str_eq_z(pr.key, key)) {
			(*removed)++;
		} else if (skip_space(pr.start, pr.end) < pr.end && !pr.open_quote) {
			const char *s = pr.start;
			if (first)
				s = skip_space(s, pr.end);   /* no leading whitespace */
			if (!first) {
				if (apply)
					buf[w] = ',';
				w++;
			}
			size_t n = (size_t)(pr.end - s);
			if (apply && n)
				memmove(buf + w, s, n);
			w += n;
			first = false;
		}
		p = next;
	}
	if (apply)
		buf[w] = 0;
	return w;
}

/* value as written by args_set (quote: quoted and escaped), dst NULL: length only */
static size_t emit_value(char *dst, const char *v, bool quote)
{
	size_t n = 0;
	if (quote) {
		if (dst) dst[n] = '"';
		n++;
	}
	for (; *v; v++) {
		if (quote && *v == '"') {
			if (dst) dst[n] = '\\';
			n++;
		}
		if (dst) dst[n] = *v;
		n++;
	}
	if (quote) {
		if (dst) dst[n] = '"';
		n++;
	}
	return n;
}

static enum args_error set(char *buf, size_t size, const char *key, const char *value, bool quote)
{
	if (!buf || strnlen(buf, size) == size)
		return ARGS_ERR_INVALID;
	if (!key || !value || !ident(str_z(key)).len || ident(str_z(key)).len != strlen(key))
		return ARGS_ERR_KEY;
	size_t const vlen = strlen(value);
	if (quote && vlen && value[vlen - 1] == '\\')
		return ARGS_ERR_VALUE;

	unsigned removed;
	size_t const kept = remove_pairs(buf, key, false, &removed);
	size_t const klen = strlen(key);
	size_t const sep = kept ? 2 : 0;
	size_t const vout = emit_value(NULL, value, quote);
	if (kept + sep + klen + 1 + vout >= size)
		return ARGS_ERR_OVERFLOW;

	size_t w = remove_pairs(buf, key, true, &removed);
	if (sep) {
		memcpy(buf + w, ", ", 2);
		w += 2;
	}
	memcpy(buf + w, key, klen);
	w += klen;
	buf[w++] = '=';
	w += emit_value(buf + w, value, quote);
	buf[w] = 0;
	return ARGS_OK;
}

enum args_error args_set(char *buf, size_t size, const char *key, const char *value)
{
	return set(buf, size, key, value, false);
}

enum args_error args_set_string(char *buf, size_t size, const char *key, const char *value)
{
	return set(buf, size, key, value, true);
}

enum args_error args_set_ulong(char *buf, size_t size, const char *key, unsigned long value)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	*--p = 0;
	do {
		*--p = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	return set(buf, size, key, p, false);
}

bool args_remove(char *buf, size_t size, const char *key)
{
	unsigned removed;
	if (!buf || !key || strnlen(buf, size) == size)
		return false;
	(void)remove_pairs(buf, key, true, &removed);
	return removed > 0;
}

const char *args_error_str(enum args_error error)
{
	switch (error) {
	case ARGS_OK:           return "ok";
	case ARGS_ERR_OVERFLOW: return "argument buffer exceeded";
	case ARGS_ERR_KEY:      return "invalid key";
	case ARGS_ERR_VALUE:    return "value cannot be represented";
	case ARGS_ERR_INVALID:  return "argument buffer not terminated";
	}
	return "unknown error";
}
