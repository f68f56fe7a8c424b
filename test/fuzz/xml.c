/* xml.c - libFuzzer target: parse arbitrary bytes, navigate everything, regenerate and compare */
#include <util/xml.h>
#include <util/xml_gen.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Checks, beyond "no crash, no out-of-bounds read" (ASan, and the input is
 * an exactly sized heap copy):
 *  - error results point into the input, nodes lie within their parent
 *  - every node's text parses on its own to the same node (the navigator
 *    agrees with the validator)
 *  - num_sub_nodes, sub_node(i), iteration and next() agree
 *  - attributes by index and by name agree
 *  - the tree regenerated with xml_gen (attributes verbatim, leaf content
 *    through decoded_content + append_sanitized) parses to the same tree
 */

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

static void check_within(struct str s, const char *begin, const char *end)
{
	REQUIRE(s.len == 0 || (s.ptr >= begin && s.ptr + s.len <= end));
}

static void check_attributes(const struct xml_node *n)
{
	unsigned const count = xml_num_attributes(n);
	struct xml_attr a, b;
	const char *tag_end = n->addr + n->content_off;
	for (unsigned i = 0; i < count; i++) {
		REQUIRE(xml_attribute_at(n, i, &a));
		check_within(a.name, n->addr, tag_end);
		check_within(a.value, n->addr, tag_end);
		REQUIRE(xml_is_name(a.name));
		REQUIRE(memchr(a.value.ptr ? a.value.ptr : "", 0, a.value.len) == NULL);

		char name[256];
		if (a.name.len < sizeof(name)) {
			memcpy(name, a.name.ptr, a.name.len);
			name[a.name.len] = 0;
			REQUIRE(xml_attribute(n, name, &b) && b.value.ptr <= a.value.ptr);
			REQUIRE(xml_has_attribute(n, name));
			char v[32];
			(void)xml_attr_ulong(n, name, 1);
			(void)xml_attr_size(n, name, 1);
			(void)xml_attr_long(n, name, 1);
			(void)xml_attr_bool(n, name, true);
			size_t len = xml_attr_string(n, name, v, sizeof(v), "d");
			REQUIRE(len == b.value.len && strlen(v) <= sizeof(v) - 1);
			REQUIRE(xml_attr_equals(n, name, "x") == (b.value.len == 1 && b.value.ptr[0] == 'x'));
		}
	}
	REQUIRE(!xml_attribute_at(n, count, &a));
}

static void walk(const struct xml_node *n, const char *begin, const char *end, unsigned depth)
{
	REQUIRE(depth < XML_MAX_DEPTH);
	REQUIRE(n->addr >= begin && n->addr + n->size <= end && n->size >= 3);
	REQUIRE(n->addr[0] == '<' && n->addr[n->size - 1] == '>');
	REQUIRE(n->content_off + n->content_size <= n->size);
	REQUIRE(xml_is_name(xml_type(n)));
	check_within(xml_content(n), n->addr, n->addr + n->size);

	/* the node's text alone parses to the same node */
	struct xml_node again;
	struct xml_parse_result r = xml_parse(n->addr, n->size, &again);
	REQUIRE(r.error == XML_OK);
	REQUIRE(again.addr == n->addr && again.size == n->size);
	REQUIRE(again.content_off == n->content_off && again.content_size == n->content_size);
	REQUIRE(again.type_len == n->type_len);

	check_attributes(n);

	char dec[64];
	size_t dlen = xml_decoded_content(n, dec, sizeof(dec));
	REQUIRE(dlen <= n->content_size);

	unsigned const count = xml_num_sub_nodes(n);
	struct xml_iter it;
	struct xml_node sub, byindex, prev;
	unsigned i = 0;
	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub)) {
		REQUIRE(xml_sub_node(n, i, &byindex) && byindex.addr == sub.addr && byindex.size == sub.size);
		if (i > 0) {
			struct xml_node next;
			REQUIRE(xml_next(&prev, NULL, &next) && next.addr == sub.addr);
			REQUIRE(!xml_is_last(&prev, NULL));
			REQUIRE(sub.addr >= prev.addr + prev.size);
		}
		char type[128];
		if (sub.type_len < sizeof(type)) {
			(void)str_copy(type, sizeof(type), xml_type(&sub));
			struct xml_node first;
			REQUIRE(xml_sub_node_by_type(n, type, &first) && first.addr <= sub.addr);
			REQUIRE(xml_has_sub_node(n, type));
		}
		struct str const content = xml_content(n);
		walk(&sub, content.ptr, content.ptr + content.len, depth + 1);
		prev = sub;
		i++;
	}
	REQUIRE(i == count);
	REQUIRE(!xml_sub_node(n, count, &sub));
	if (count)
		REQUIRE(xml_is_last(&prev, NULL));
}

/* regenerate n (see above); tmp has room for any name or content of the input */
static void regenerate(struct xml_gen *g, const struct xml_node *n, char *tmp, size_t tmp_size)
{
	struct xml_attr a;
	for (unsigned i = 0; xml_attribute_at(n, i, &a); i++) {
		REQUIRE(str_copy(tmp, tmp_size, a.name) < tmp_size);
		(void)xml_gen_attr_str(g, tmp, a.value);
	}
	if (xml_num_sub_nodes(n) == 0) {
		if (n->content_size) {
			size_t len = xml_decoded_content(n, tmp, tmp_size);
			REQUIRE(len < tmp_size);
			(void)xml_gen_append_sanitized(g, tmp, len);
		}
		return;
	}
	struct xml_iter it;
	struct xml_node sub;
	xml_iter_init(&it, n, NULL);
	while (xml_iter_next(&it, &sub)) {
		REQUIRE(str_copy(tmp, tmp_size, xml_type(&sub)) < tmp_size);
		(void)xml_gen_node_open(g, tmp);
		regenerate(g, &sub, tmp, tmp_size);
		(void)xml_gen_node_close(g);
	}
}

static void compare(const struct xml_node *a, const struct xml_node *b, char *t1, char *t2, size_t size)
{
	REQUIRE(str_eq(xml_type(a), xml_type(b)));
	REQUIRE(xml_num_attributes(a) == xml_num_attributes(b));
	struct xml_attr x, y;
	for (unsigned i = 0; xml_attribute_at(a, i, &x); i++) {
		REQUIRE(xml_attribute_at(b, i, &y));
		REQUIRE(str_eq(x.name, y.name) && str_eq(x.value, y.value));
	}
	unsigned const count = xml_num_sub_nodes(a);
	REQUIRE(xml_num_sub_nodes(b) == count);
	if (count == 0) {
		size_t l1 = xml_decoded_content(a, t1, size);
		size_t l2 = xml_decoded_content(b, t2, size);
		REQUIRE(l1 == l2 && memcmp(t1, t2, l1) == 0);
		return;
	}
	struct xml_node sa, sb;
	for (unsigned i = 0; i < count; i++) {
		REQUIRE(xml_sub_node(a, i, &sa) && xml_sub_node(b, i, &sb));
		compare(&sa, &sb, t1, t2, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);

	struct xml_node root;
	struct xml_parse_result r = xml_parse(buf, size, &root);
	if (r.error != XML_OK) {
		REQUIRE(r.offset <= size);
		check_within(r.element, buf, buf + size);
		REQUIRE(xml_error_str(r.error) != NULL);
		free(buf);
		return 0;
	}
	walk(&root, buf, buf + size, 0);
	REQUIRE(xml_is_last(&root, NULL));

	/* regenerate and compare */
	/* output per input node: at most two lines of XML_MAX_DEPTH tabs, 6x for escapes */
	size_t const gen_size = size * 40 + 1024;
	char *gen = malloc(gen_size);
	char *t1 = malloc(size + 1), *t2 = malloc(size + 1);
	if (gen && t1 && t2) {
		(void)str_copy(t1, size + 1, xml_type(&root));
		struct xml_gen g;
		xml_gen_init(&g, gen, gen_size, t1);
		regenerate(&g, &root, t1, size + 1);
		REQUIRE(xml_gen_finish(&g) == XML_GEN_OK);
		struct xml_node back;
		r = xml_parse(gen, xml_gen_used(&g), &back);
		REQUIRE(r.error == XML_OK);
		REQUIRE(back.size + 1 == xml_gen_used(&g));   /* the final newline */
		compare(&root, &back, t1, t2, size + 1);
	}
	free(t1);
	free(t2);
	free(gen);
	free(buf);
	return 0;
}
