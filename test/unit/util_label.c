/* util_label.c - unit test of session labels: elements, prefixing, argument rewriting */
#include <util/label.h>
#include <util/args.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

static void test_elements(void)
{
	section("last element and prefix");
	struct str l = str_z("init -> launcher -> app");
	CHECK(str_eq_z(label_last_element(l), "app"));
	CHECK(str_eq_z(label_prefix(l), "init -> launcher"));
	CHECK(str_eq_z(label_last_element(str_z("config")), "config"));
	CHECK(str_eq_z(label_prefix(str_z("config")), ""));
	CHECK(str_eq_z(label_last_element(str_z("")), ""));
	CHECK(str_eq_z(label_prefix(str_z("")), ""));
	CHECK(str_eq_z(label_last_element(str_z("a -> ")), ""));
	CHECK(str_eq_z(label_prefix(str_z("a -> ")), "a"));
	CHECK(str_eq_z(label_last_element(str_z(" -> b")), "b"));
	CHECK(str_eq_z(label_prefix(str_z(" -> b")), ""));
	CHECK(str_eq_z(label_last_element(str_z("a->b -> c->d")), "c->d"));
	CHECK(str_eq_z(label_last_element(str_z("a -> -> b")), "b"));
	CHECK(str_eq_z(label_prefix(str_z("a -> -> b")), "a ->"));
	CHECK(str_eq_z(label_last_element(str_z("a ->b")), "a ->b"));
	CHECK(str_eq_z(label_last_element(str_n(NULL, 0)), ""));
}

static void test_prefixed(void)
{
	section("prefixed labels (16.08 rule)");
	char buf[LABEL_MAX + 1];
	CHECK(label_prefixed(buf, sizeof(buf), str_z("init"), str_z("nic")) == LABEL_OK);
	CHECK(strcmp(buf, "init -> nic") == 0);
	CHECK(label_prefixed(buf, sizeof(buf), str_z("init"), str_z("")) == LABEL_OK);
	CHECK(strcmp(buf, "init") == 0);
	CHECK(label_prefixed(buf, sizeof(buf), str_z(""), str_z("nic")) == LABEL_OK);
	CHECK(strcmp(buf, "nic") == 0);
	CHECK(label_prefixed(buf, sizeof(buf), str_z(""), str_z("")) == LABEL_OK && buf[0] == 0);

	/* in place, as a parent rewrites a label buffer */
	strcpy(buf, "launcher -> app");
	CHECK(label_prefixed(buf, sizeof(buf), str_z("init"), str_z(buf)) == LABEL_OK);
	CHECK(strcmp(buf, "init -> launcher -> app") == 0);

	/* overflow leaves dst unchanged; exact fit works */
	char small[12];
	strcpy(small, "old");
	CHECK(label_prefixed(small, sizeof(small), str_z("init"), str_z("nic1")) == LABEL_ERR_OVERFLOW);
	CHECK(strcmp(small, "old") == 0);
	CHECK(label_prefixed(small, sizeof(small), str_z("init"), str_z("nic")) == LABEL_OK);
	CHECK(strcmp(small, "init -> nic") == 0);
	CHECK(label_prefixed(small, 4, str_z("init"), str_z("")) == LABEL_ERR_OVERFLOW);
	CHECK(label_prefixed(small, 5, str_z("init"), str_z("")) == LABEL_OK && strcmp(small, "init") == 0);
	CHECK(label_prefixed(small, 0, str_z(""), str_z("")) == LABEL_ERR_OVERFLOW);
}

static void test_from_args(void)
{
	section("label from args");
	char buf[LABEL_MAX + 1];
	CHECK(label_from_args("ram_quota=4K, label=\"init -> fb\"", buf, sizeof(buf)) == LABEL_OK);
	CHECK(strcmp(buf, "init -> fb") == 0);
	CHECK(label_from_args("ram_quota=4K", buf, sizeof(buf)) == LABEL_OK && buf[0] == 0);
	CHECK(label_from_args("label=plain", buf, sizeof(buf)) == LABEL_OK && strcmp(buf, "plain") == 0);
	CHECK(label_from_args(NULL, buf, sizeof(buf)) == LABEL_OK && buf[0] == 0);
	char small[4];
	CHECK(label_from_args("label=\"long\"", small, sizeof(small)) == LABEL_ERR_OVERFLOW);
	CHECK(strcmp(small, "lon") == 0);
}

static void test_prefix_args(void)
{
	section("rewriting the label argument along the route");
	char args[ARGS_MAX];
	char label[LABEL_MAX + 1];

	strcpy(args, "ram_quota=8K, label=\"nic\"");
	CHECK(label_prefix_args(args, sizeof(args), str_z("app")) == LABEL_OK);
	CHECK(label_prefix_args(args, sizeof(args), str_z("init")) == LABEL_OK);
	CHECK(label_from_args(args, label, sizeof(label)) == LABEL_OK);
	CHECK(strcmp(label, "init -> app -> nic") == 0);
	CHECK(args_ulong(args, "ram_quota", 0) == 8192);

	/* an unlabeled request gets the child's name */
	strcpy(args, "ram_quota=8K");
	CHECK(label_prefix_args(args, sizeof(args), str_z("timer")) == LABEL_OK);
	CHECK(strcmp(args, "ram_quota=8K, label=\"timer\"") == 0);

	/* a client cannot smuggle a second, earlier label past the rewrite */
	strcpy(args, "label=\"evil\", label=\"x\"");
	CHECK(label_prefix_args(args, sizeof(args), str_z("app")) == LABEL_OK);
	CHECK(label_from_args(args, label, sizeof(label)) == LABEL_OK && strcmp(label, "app -> evil") == 0);
	CHECK(strcmp(args, "label=\"app -> evil\"") == 0);

	/* quotes in labels survive the round trip */
	strcpy(args, "label=\"a \\\"b\\\"\"");
	CHECK(label_prefix_args(args, sizeof(args), str_z("p")) == LABEL_OK);
	CHECK(label_from_args(args, label, sizeof(label)) == LABEL_OK && strcmp(label, "p -> a \"b\"") == 0);

	/* overflow of the label or the argument buffer leaves args unchanged */
	char small[24];
	strcpy(small, "label=\"abcdef\"");
	CHECK(label_prefix_args(small, sizeof(small), str_z("parent")) == LABEL_ERR_OVERFLOW);
	CHECK(strcmp(small, "label=\"abcdef\"") == 0);
	CHECK(label_prefix_args(small, sizeof(small), str_z("p")) == LABEL_OK);
	CHECK(strcmp(small, "label=\"p -> abcdef\"") == 0);

	char name[LABEL_MAX + 1];
	memset(name, 'n', LABEL_MAX);
	name[LABEL_MAX] = 0;
	strcpy(args, "label=\"x\"");
	CHECK(label_prefix_args(args, sizeof(args), str_z(name)) == LABEL_ERR_OVERFLOW);
	CHECK(strcmp(args, "label=\"x\"") == 0);

	char raw[3] = { 'a', 'b', 'c' };
	CHECK(label_prefix_args(raw, sizeof(raw), str_z("p")) == LABEL_ERR_ARGS);
	strcpy(args, "x=1");
	CHECK(label_prefix_args(args, sizeof(args), str_z("ends\\")) == LABEL_ERR_ARGS);
	CHECK(strcmp(args, "x=1") == 0);
}

int main(void)
{
	test_elements();
	test_prefixed();
	test_from_args();
	test_prefix_args();
	return check_summary("util_label");
}
