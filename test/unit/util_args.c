/* util_args.c - unit test of session-argument strings: lookup, typed reads, set/remove */
#include <util/args.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static void test_lookup(void)
{
	section("lookup");
	const char *a = " ram_quota=8K, label=\"a, b\" ,\tram_quota=1, flag , x = 5 ,ram_quota5=3,=9";
	struct str v;
	CHECK(args_find(a, "ram_quota", &v) && str_eq_z(v, "8K"));   /* first occurrence wins */
	CHECK(args_find(a, "label", &v) && str_eq_z(v, "\"a, b\""));
	CHECK(args_find(a, "x", &v) && str_eq_z(v, "5"));
	CHECK(args_find(a, "ram_quota5", &v) && str_eq_z(v, "3"));
	CHECK(!args_find(a, "flag", &v));                              /* no '=' */
	CHECK(args_has(a, "flag"));
	CHECK(!args_has(a, "ram"));
	CHECK(!args_has(a, "b\""));
	CHECK(!args_has(NULL, "x"));
	CHECK(!args_has("", "x"));
	CHECK(args_ulong(a, "x", 0) == 5);
	CHECK(args_ulong(a, "flag", 42) == 42);

	/* a comma or key inside a quoted string does not start a pair */
	const char *q = "label=\"x, ram_quota=1\", ram_quota=2";
	CHECK(args_ulong(q, "ram_quota", 0) == 2);
	const char *e = "label=\"say \\\"hi, there\\\"\", priority=3";
	CHECK(args_long(e, "priority", 0) == 3);
}

static void test_numbers(void)
{
	section("numbers");
	const char *a = "dec=123, hex=0x1F, k=8K, m=16M, g=1G, hexk=0x10K, junk=8KB, neg=-5, negk=-2K,"
	                " sp=7 , tab=9\t, q=\"5\", lower=4k, word=yes, empty=, huge=99999999999999999999999,"
	                " hexonly=0x, minus=-, nl=3\n";
	CHECK(args_ulong(a, "dec", 0) == 123);
	CHECK(args_ulong(a, "hex", 0) == 0x1f);
	CHECK(args_ulong(a, "k", 0) == 8192);
	CHECK(args_size(a, "m", 0) == 16UL << 20);
	CHECK(args_size(a, "g", 0) == 1UL << 30);
	CHECK(args_ulong(a, "hexk", 0) == 16 << 10);
	CHECK(args_ulong(a, "junk", 77) == 77);        /* junk after the number */
	CHECK(args_ulong(a, "neg", 77) == 77);         /* negative read unsigned */
	CHECK(args_long(a, "neg", 0) == -5);
	CHECK(args_long(a, "negk", 0) == -2048);
	CHECK(args_ulong(a, "sp", 0) == 7);
	CHECK(args_ulong(a, "tab", 0) == 9);
	CHECK(args_ulong(a, "nl", 0) == 3);
	CHECK(args_ulong(a, "q", 77) == 77);           /* quoted numbers are no numbers */
	CHECK(args_ulong(a, "lower", 77) == 77);       /* suffixes are uppercase only */
	CHECK(args_ulong(a, "word", 77) == 77);
	CHECK(args_ulong(a, "empty", 77) == 77);
	CHECK(args_ulong(a, "huge", 0) == ULONG_MAX);
	CHECK(args_long(a, "huge", 0) == LONG_MAX);
	CHECK(args_ulong(a, "hexonly", 77) == 77);
	CHECK(args_long(a, "minus", 77) == 77);
	CHECK(args_long(a, "missing", -1) == -1);
	CHECK(args_long("v=-99999999999999999999", "v", 0) == LONG_MIN);
	CHECK(args_long("v=-9223372036854775808", "v", 0) == LONG_MIN);
	CHECK(args_long("v=9223372036854775808", "v", 0) == LONG_MAX);
	CHECK(args_ulong("ram_quota=8K", "ram_quota", 0) == 8192);   /* at the end */
	CHECK(args_ulong("v=0", "v", 5) == 0);
	CHECK(args_long("v=-0", "v", 5) == 0);
}

static void test_bool(void)
{
	section("bools");
	const char *a = "y=yes, t=true, o=on, n=no, f=false, off=off, qy=\"yes\", qn=\"no\", one=1,"
	                " zero=0, two=2K, neg=-1, Y=Yes, yesno=yesno, q1=\"1\", ye=ye, unterminated=\"yes";
	CHECK(args_bool(a, "y", false));
	CHECK(args_bool(a, "t", false));
	CHECK(args_bool(a, "o", false));
	CHECK(!args_bool(a, "n", true));
	CHECK(!args_bool(a, "f", true));
	CHECK(!args_bool(a, "off", true));
	CHECK(args_bool(a, "qy", false));
	CHECK(!args_bool(a, "qn", true));
	CHECK(args_bool(a, "one", false));
	CHECK(!args_bool(a, "zero", true));
	CHECK(args_bool(a, "two", false));
	CHECK(args_bool(a, "neg", false));
	CHECK(args_bool(a, "Y", true) && !args_bool(a, "Y", false));         /* default */
	CHECK(args_bool(a, "yesno", true) && !args_bool(a, "yesno", false)); /* whole word only */
	CHECK(args_bool(a, "q1", true) && !args_bool(a, "q1", false));
	CHECK(args_bool(a, "ye", true) && !args_bool(a, "ye", false));
	CHECK(args_bool(a, "unterminated", true) && !args_bool(a, "unterminated", false));
	CHECK(args_bool(a, "missing", true) && !args_bool(a, "missing", false));
}

static void test_string(void)
{
	section("strings");
	const char *a = "label=\"init -> app\", id=foo_1, dash=foo-bar, num=123, esc=\"a\\\"b\\\\c\","
	                " empty=\"\", open=\"abc, last=x";
	char buf[16];
	CHECK(args_string(a, "label", buf, sizeof(buf), "d") == 11 && strcmp(buf, "init -> app") == 0);
	CHECK(args_string(a, "id", buf, sizeof(buf), "d") == 5 && strcmp(buf, "foo_1") == 0);
	CHECK(args_string(a, "dash", buf, sizeof(buf), "d") == 3 && strcmp(buf, "foo") == 0);
	CHECK(args_string(a, "num", buf, sizeof(buf), "d") == 1 && strcmp(buf, "d") == 0);
	CHECK(args_string(a, "esc", buf, sizeof(buf), "d") == 6 && strcmp(buf, "a\"b\\\\c") == 0);
	CHECK(args_string(a, "empty", buf, sizeof(buf), "d") == 0 && buf[0] == 0);
	CHECK(args_string(a, "open", buf, sizeof(buf), "d") == 1 && strcmp(buf, "d") == 0);
	CHECK(args_string(a, "missing", buf, sizeof(buf), "d") == 1 && strcmp(buf, "d") == 0);
	CHECK(args_string(a, "missing", buf, sizeof(buf), NULL) == 0 && buf[0] == 0);
	char small[5];
	CHECK(args_string(a, "label", small, sizeof(small), "") == 11 && strcmp(small, "init") == 0);
	CHECK(args_string(a, "label", NULL, 0, "") == 11);
}

static void test_set_remove(void)
{
	section("set and remove");
	char buf[ARGS_MAX];
	strcpy(buf, "ram_quota=8K, label=\"x\", priority=2");
	CHECK(args_set(buf, sizeof(buf), "ram_quota", "4K") == ARGS_OK);
	CHECK(strcmp(buf, "label=\"x\", priority=2, ram_quota=4K") == 0);
	CHECK(args_set(buf, sizeof(buf), "priority", "1") == ARGS_OK);
	CHECK(strcmp(buf, "label=\"x\", ram_quota=4K, priority=1") == 0);
	CHECK(args_set_string(buf, sizeof(buf), "label", "init -> \"q\"") == ARGS_OK);
	CHECK(strcmp(buf, "ram_quota=4K, priority=1, label=\"init -> \\\"q\\\"\"") == 0);
	char label[32];
	CHECK(args_string(buf, "label", label, sizeof(label), "") == 11 && strcmp(label, "init -> \"q\"") == 0);
	CHECK(args_set_ulong(buf, sizeof(buf), "new", 123456) == ARGS_OK);
	CHECK(args_ulong(buf, "new", 0) == 123456);
	CHECK(args_set_ulong(buf, sizeof(buf), "zero", 0) == ARGS_OK && args_ulong(buf, "zero", 9) == 0);

	/* set into the empty string, without separator */
	buf[0] = 0;
	CHECK(args_set(buf, sizeof(buf), "a", "1") == ARGS_OK && strcmp(buf, "a=1") == 0);

	/* set removes every pair of the key, so the new value is the one found */
	strcpy(buf, "label=\"a\", x=1, label=\"b\"");
	CHECK(args_set_string(buf, sizeof(buf), "label", "c") == ARGS_OK);
	CHECK(strcmp(buf, "x=1, label=\"c\"") == 0);

	/* remove first, middle, last, all duplicates, missing */
	strcpy(buf, "a=1, b=2, c=3, b=4,d=5");
	CHECK(args_remove(buf, sizeof(buf), "b") && strcmp(buf, "a=1, c=3,d=5") == 0);
	CHECK(args_remove(buf, sizeof(buf), "a") && strcmp(buf, "c=3,d=5") == 0);
	CHECK(args_remove(buf, sizeof(buf), "d") && strcmp(buf, "c=3") == 0);
	CHECK(!args_remove(buf, sizeof(buf), "x") && strcmp(buf, "c=3") == 0);
	CHECK(args_remove(buf, sizeof(buf), "c") && strcmp(buf, "") == 0);
	CHECK(!args_remove(buf, sizeof(buf), "c"));

	/* a quoted comma stays within its pair while removing */
	strcpy(buf, "label=\"a, b=1\", b=2");
	CHECK(args_remove(buf, sizeof(buf), "b") && strcmp(buf, "label=\"a, b=1\"") == 0);

	/* an unterminated quote must not swallow the pair set after it */
	strcpy(buf, "a=1, b=\"open, label=x");
	CHECK(args_set_string(buf, sizeof(buf), "label", "new") == ARGS_OK);
	CHECK(strcmp(buf, "a=1, label=\"new\"") == 0);
	CHECK(args_string(buf, "label", label, sizeof(label), "") == 3 && strcmp(label, "new") == 0);

	/* empty pairs are dropped on rewrite */
	strcpy(buf, " , a=1, , ");
	CHECK(args_set(buf, sizeof(buf), "b", "2") == ARGS_OK && strcmp(buf, "a=1, b=2") == 0);
}

static void test_set_errors(void)
{
	section("set errors and overflow");
	char buf[16];
	strcpy(buf, "a=1, b=2");
	CHECK(args_set(buf, sizeof(buf), "1x", "1") == ARGS_ERR_KEY);
	CHECK(args_set(buf, sizeof(buf), "a b", "1") == ARGS_ERR_KEY);
	CHECK(args_set(buf, sizeof(buf), "", "1") == ARGS_ERR_KEY);
	CHECK(args_set(buf, sizeof(buf), NULL, "1") == ARGS_ERR_KEY);
	CHECK(args_set_string(buf, sizeof(buf), "s", "ends in \\") == ARGS_ERR_VALUE);
	CHECK(strcmp(buf, "a=1, b=2") == 0);

	/* "a=1, b=2, cc=45" is 15 bytes: fits 16 exactly, one more does not */
	CHECK(args_set(buf, sizeof(buf), "cc", "456") == ARGS_ERR_OVERFLOW);
	CHECK(strcmp(buf, "a=1, b=2") == 0);                 /* unchanged */
	CHECK(args_set(buf, sizeof(buf), "cc", "45") == ARGS_OK);
	CHECK(strcmp(buf, "a=1, b=2, cc=45") == 0);
	/* replacing a pair frees its room first */
	CHECK(args_set(buf, sizeof(buf), "cc", "67") == ARGS_OK && strcmp(buf, "a=1, b=2, cc=67") == 0);
	CHECK(args_set(buf, sizeof(buf), "a", "12") == ARGS_ERR_OVERFLOW);
	CHECK(strcmp(buf, "a=1, b=2, cc=67") == 0);
	CHECK(args_set_string(buf, sizeof(buf), "cc", "\"") == ARGS_ERR_OVERFLOW);
	CHECK(args_set_string(buf, sizeof(buf), "cc", "") == ARGS_OK && strcmp(buf, "a=1, b=2, cc=\"\"") == 0);

	/* buffer without terminating NUL */
	char raw[4] = { 'a', '=', '1', '2' };
	CHECK(args_set(raw, sizeof(raw), "b", "1") == ARGS_ERR_INVALID);
	CHECK(!args_remove(raw, sizeof(raw), "a"));
	CHECK(memcmp(raw, "a=12", 4) == 0);
	CHECK(args_set(NULL, 10, "b", "1") == ARGS_ERR_INVALID);

	/* fill an ARGS_MAX buffer to the last byte */
	char big[ARGS_MAX];
	big[0] = 0;
	char key[8];
	unsigned n = 0;
	for (;; n++) {
		snprintf(key, sizeof(key), "k%u", n);
		if (args_set(big, sizeof(big), key, "0123456789") != ARGS_OK)
			break;
	}
	CHECK(n > 5 && strlen(big) < ARGS_MAX);
	CHECK(args_ulong(big, "k0", 0) == 123456789);

	for (int e = ARGS_OK; e <= ARGS_ERR_INVALID; e++)
		CHECK(strcmp(args_error_str((enum args_error)e), "unknown error") != 0);
}

int main(void)
{
	test_lookup();
	test_numbers();
	test_bool();
	test_string();
	test_set_remove();
	test_set_errors();
	return check_summary("util_args");
}
