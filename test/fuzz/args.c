/* args.c - libFuzzer target: session-argument strings and label rewriting */
#include <util/args.h>
#include <util/label.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Input layout: <args string> [ '\0' <key> '\0' <value> '\0' <parent> ].
 * The argument string is read with every typed accessor for a set of
 * well-known keys and for the given key, then modified in an ARGS_MAX
 * buffer. Checked invariants:
 *  - after args_set_string/args_set_ulong succeeded, the key reads back
 *    exactly the value that was set, and the buffer stays NUL-terminated
 *  - a failed set leaves the buffer unchanged
 *  - after args_remove the key is gone
 *  - label_prefix_args yields label_prefixed(parent, old label)
 */

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static const char *keys[] = {
	"ram_quota", "label", "priority", "tx_buf_size", "writeable", "root", "x", "_", "",
};

static void read_all(const char *args, const char *key)
{
	char buf[ARGS_MAX];
	struct str v;
	if (args_find(args, key, &v))
		REQUIRE(v.ptr >= args && v.ptr + v.len <= args + strlen(args));
	(void)args_has(args, key);
	(void)args_ulong(args, key, 1);
	(void)args_size(args, key, 1);
	(void)args_long(args, key, -1);
	(void)args_bool(args, key, true);
	size_t len = args_string(args, key, buf, sizeof(buf), "default");
	REQUIRE(strlen(buf) < sizeof(buf));
	REQUIRE(len >= sizeof(buf) || strlen(buf) <= len);
}

/* next NUL-terminated field of the input, empty if exhausted */
static const char *field(const char **p, const char *end)
{
	const char *f = *p;
	if (f >= end)
		return "";
	*p = f + strlen(f) + 1;
	return f;
}

static bool is_key(const char *k)
{
	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'))
		return false;
	for (k++; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_'
		      || (*k >= '0' && *k <= '9')))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	const char *p = in, *end = in + size;
	const char *args = field(&p, end);
	const char *key = field(&p, end);
	const char *value = field(&p, end);
	const char *parent = field(&p, end);

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		read_all(args, keys[i]);
	read_all(args, key);

	char buf[ARGS_MAX], before[ARGS_MAX];
	(void)str_copy(buf, sizeof(buf), str_z(args));

	/* set a string value, read it back */
	memcpy(before, buf, sizeof(buf));
	enum args_error e = args_set_string(buf, sizeof(buf), key, value);
	if (e == ARGS_OK) {
		REQUIRE(is_key(key));
		REQUIRE(strlen(buf) < sizeof(buf));
		char back[ARGS_MAX];
		struct str v;
		REQUIRE(args_find(buf, key, &v));
		size_t len = args_string(buf, key, back, sizeof(back), "#");
		REQUIRE(len == strlen(value) && strcmp(back, value) == 0);
	} else {
		REQUIRE(memcmp(before, buf, sizeof(buf)) == 0);
		REQUIRE(e == ARGS_ERR_OVERFLOW || e == ARGS_ERR_KEY || e == ARGS_ERR_VALUE);
	}

	/* set a number */
	unsigned long const num = (unsigned long)strlen(value) * 1000003UL;
	memcpy(before, buf, sizeof(buf));
	e = args_set_ulong(buf, sizeof(buf), "n_1", num);
	if (e == ARGS_OK)
		REQUIRE(args_ulong(buf, "n_1", num + 1) == num && args_long(buf, "n_1", 0) == (long)num);
	else
		REQUIRE(e == ARGS_ERR_OVERFLOW && memcmp(before, buf, sizeof(buf)) == 0);

	/* remove */
	(void)args_remove(buf, sizeof(buf), key);
	REQUIRE(!args_has(buf, key) || !is_key(key));
	REQUIRE(strlen(buf) < sizeof(buf));

	/* label rewriting along the route */
	char old[LABEL_MAX + 1], now[LABEL_MAX + 1], expect[LABEL_MAX + 1];
	(void)str_copy(buf, sizeof(buf), str_z(args));
	memcpy(before, buf, sizeof(buf));
	bool const old_ok = label_from_args(buf, old, sizeof(old)) == LABEL_OK;
	enum label_error le = label_prefix_args(buf, sizeof(buf), str_z(parent));
	if (le == LABEL_OK) {
		REQUIRE(old_ok);
		REQUIRE(label_prefixed(expect, sizeof(expect), str_z(parent), str_z(old)) == LABEL_OK);
		REQUIRE(label_from_args(buf, now, sizeof(now)) == LABEL_OK);
		REQUIRE(strcmp(now, expect) == 0);
	} else {
		REQUIRE(memcmp(before, buf, sizeof(buf)) == 0);
	}
	struct str l = str_z(old);
	struct str last = label_last_element(l), pre = label_prefix(l);
	REQUIRE(last.ptr >= l.ptr && last.ptr + last.len == l.ptr + l.len);
	REQUIRE(pre.len == 0 || (pre.ptr == l.ptr && pre.len + 4 + last.len == l.len));

	free(in);
	return 0;
}
