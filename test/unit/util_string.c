/* util_string.c - unit test of the util string helpers (ranges, copy, number parsing) */
#include <util/string.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static void test_ranges(void)
{
	section("ranges and comparison");
	CHECK(str_z(NULL).len == 0);
	CHECK(str_z("abc").len == 3);
	CHECK(str_eq(str_z("abc"), str_n("abcd", 3)));
	CHECK(!str_eq(str_z("abc"), str_z("abd")));
	CHECK(!str_eq(str_z("abc"), str_z("ab")));
	CHECK(str_eq(str_n(NULL, 0), str_z("")));
	CHECK(str_eq_z(str_n("xyz", 2), "xy"));
	CHECK(str_starts_with(str_z("init -> a"), str_z("init")));
	CHECK(str_starts_with(str_z("init"), str_z("")));
	CHECK(!str_starts_with(str_z("in"), str_z("init")));
	CHECK(str_ends_with(str_z("init -> a"), str_z("-> a")));
	CHECK(str_ends_with(str_z(""), str_z("")));
	CHECK(!str_ends_with(str_z("a"), str_z("ba")));
	CHECK(str_eq_z(str_trim(str_z(" \t\r\n x y \n")), "x y"));
	CHECK(str_trim(str_z("   ")).len == 0);
}

static void test_copy(void)
{
	section("bounded copy");
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	CHECK(str_copy(buf, sizeof(buf), str_z("abc")) == 3 && strcmp(buf, "abc") == 0);
	CHECK(str_copy(buf, sizeof(buf), str_z("abcdefgh")) == 8 && strcmp(buf, "abcdefg") == 0);
	CHECK(str_copy(buf, 1, str_z("abc")) == 3 && buf[0] == 0);
	buf[0] = 'q';
	CHECK(str_copy(buf, 0, str_z("abc")) == 3 && buf[0] == 'q');
	CHECK(str_copy(buf, sizeof(buf), str_n(NULL, 0)) == 0 && buf[0] == 0);
	/* overlapping source and destination */
	strcpy(buf, "abcdef");
	CHECK(str_copy(buf, sizeof(buf), str_n(buf + 2, 4)) == 4 && strcmp(buf, "cdef") == 0);
}

static void test_ulong(void)
{
	section("unsigned parsing");
	unsigned long v = 77;
	CHECK(str_parse_ulong(str_z("123"), &v) == 3 && v == 123);
	CHECK(str_parse_ulong(str_z("0x1fA"), &v) == 5 && v == 0x1fa);
	CHECK(str_parse_ulong(str_z("0X10"), &v) == 1 && v == 0);
	CHECK(str_parse_ulong(str_z("0x"), &v) == 1 && v == 0);
	CHECK(str_parse_ulong(str_z("0xg"), &v) == 1 && v == 0);
	CHECK(str_parse_ulong(str_z("12ab"), &v) == 2 && v == 12);
	v = 77;
	CHECK(str_parse_ulong(str_z("ab"), &v) == 0 && v == 77);
	CHECK(str_parse_ulong(str_z("-1"), &v) == 0 && v == 77);
	CHECK(str_parse_ulong(str_z(""), &v) == 0 && v == 77);
	CHECK(str_parse_ulong(str_n("123", 2), &v) == 2 && v == 12);
	CHECK(str_parse_ulong(str_z("18446744073709551615"), &v) == 20 && v == ULONG_MAX);
	CHECK(str_parse_ulong(str_z("18446744073709551616"), &v) == 20 && v == ULONG_MAX);
	CHECK(str_parse_ulong(str_z("999999999999999999999999"), &v) == 24 && v == ULONG_MAX);
	CHECK(str_parse_ulong(str_z("0xffffffffffffffffff"), &v) == 20 && v == ULONG_MAX);
}

static void test_size(void)
{
	section("number-of-bytes parsing");
	size_t v = 5;
	CHECK(str_parse_size(str_z("4K"), &v) == 2 && v == 4096);
	CHECK(str_parse_size(str_z("16M"), &v) == 3 && v == 16UL << 20);
	CHECK(str_parse_size(str_z("16MB"), &v) == 3 && v == 16UL << 20);
	CHECK(str_parse_size(str_z("2G"), &v) == 2 && v == 2UL << 30);
	CHECK(str_parse_size(str_z("0x10K"), &v) == 5 && v == 16 << 10);
	CHECK(str_parse_size(str_z("3k"), &v) == 1 && v == 3);
	CHECK(str_parse_size(str_z("7"), &v) == 1 && v == 7);
	CHECK(str_parse_size(str_z("99999999999999999999G"), &v) == 21 && v == SIZE_MAX);
	CHECK(str_parse_size(str_z("17179869184G"), &v) == 12 && v == SIZE_MAX);
	v = 5;
	CHECK(str_parse_size(str_z("K"), &v) == 0 && v == 5);
}

static void test_long(void)
{
	section("signed parsing");
	long v = 9;
	CHECK(str_parse_long(str_z("-42"), &v) == 3 && v == -42);
	CHECK(str_parse_long(str_z("+42x"), &v) == 3 && v == 42);
	CHECK(str_parse_long(str_z("42"), &v) == 2 && v == 42);
	CHECK(str_parse_long(str_z("0x10"), &v) == 1 && v == 0);
	CHECK(str_parse_long(str_z("9223372036854775807"), &v) == 19 && v == LONG_MAX);
	CHECK(str_parse_long(str_z("9223372036854775808"), &v) == 19 && v == LONG_MAX);
	CHECK(str_parse_long(str_z("-9223372036854775808"), &v) == 20 && v == LONG_MIN);
	CHECK(str_parse_long(str_z("-99999999999999999999"), &v) == 21 && v == LONG_MIN);
	v = 9;
	CHECK(str_parse_long(str_z("-"), &v) == 0 && v == 9);
	CHECK(str_parse_long(str_z("+"), &v) == 0 && v == 9);
	CHECK(str_parse_long(str_z("x1"), &v) == 0 && v == 9);
	CHECK(str_parse_long(str_z(""), &v) == 0 && v == 9);
}

static void test_bool(void)
{
	section("bool parsing");
	bool b = false;
	CHECK(str_parse_bool(str_z("yes"), &b) == 3 && b);
	b = false;
	CHECK(str_parse_bool(str_z("true"), &b) == 4 && b);
	b = false;
	CHECK(str_parse_bool(str_z("on"), &b) == 2 && b);
	CHECK(str_parse_bool(str_z("no"), &b) == 2 && !b);
	b = true;
	CHECK(str_parse_bool(str_z("false"), &b) == 5 && !b);
	b = true;
	CHECK(str_parse_bool(str_z("off"), &b) == 3 && !b);
	b = false;
	CHECK(str_parse_bool(str_z("yesterday"), &b) == 3 && b);
	CHECK(str_parse_bool(str_z("nonsense"), &b) == 2 && !b);
	b = true;
	CHECK(str_parse_bool(str_z("Yes"), &b) == 0 && b);
	CHECK(str_parse_bool(str_z("ye"), &b) == 0 && b);
	CHECK(str_parse_bool(str_n("yes", 2), &b) == 0 && b);
	CHECK(str_parse_bool(str_z("1"), &b) == 0 && b);
}

int main(void)
{
	test_ranges();
	test_copy();
	test_ulong();
	test_size();
	test_long();
	test_bool();
	return check_summary("util_string");
}
