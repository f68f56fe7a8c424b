/* policy.c - libFuzzer target: label-policy selection against a brute-force oracle */
#include <util/policy.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Input layout: <label> '\n' <config XML>. If the config parses,
 * policy_select's choice is checked against a direct implementation of
 * framework.md section 12 written independently of policy.c: rank every
 * <policy> child by the tuple (label present, prefix present, prefix
 * length, suffix present, suffix length), skip conflicting ones and those
 * without any label attribute, keep the first of the highest rank, fall
 * back to the first <default-policy>.
 */

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

struct rank { int present; size_t v[5]; };

static bool attr(const struct xml_node *n, const char *name, struct str *value)
{
	struct xml_attr a;
	if (!xml_attribute(n, name, &a))
		return false;
	*value = a.value;
	return true;
}

/* false if n does not match the label at all */
static bool oracle_rank(const struct xml_node *n, struct str label, struct rank *r)
{
	struct str l, p, s;
	bool const hl = attr(n, "label", &l), hp = attr(n, "label_prefix", &p),
	           hs = attr(n, "label_suffix", &s);
	if (hl && !(l.len == label.len && memcmp(l.ptr, label.ptr, l.len) == 0))
		return false;
	if (hp && !(p.len <= label.len && memcmp(p.ptr, label.ptr, p.len) == 0))
		return false;
	if (hs && !(s.len <= label.len && memcmp(s.ptr, label.ptr + label.len - s.len, s.len) == 0))
		return false;
	r->present = hl || hp || hs;
	r->v[0] = hl;
	r->v[1] = hp;
	r->v[2] = hp ? p.len : 0;
	r->v[3] = hs;
	r->v[4] = hs ? s.len : 0;
	return true;
}

static int rank_cmp(const struct rank *a, const struct rank *b)
{
	for (int i = 0; i < 5; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] > b->v[i] ? 1 : -1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	const char *nl = memchr(in, '\n', size);
	if (!nl) {
		free(in);
		return 0;
	}
	struct str const label = str_n(in, (size_t)(nl - in));
	const char *xml = nl + 1;
	size_t const xml_len = size - label.len - 1;

	struct xml_node config;
	struct xml_parse_result pr = xml_parse(xml, xml_len, &config);
	if (pr.error != XML_OK) {
		free(in);
		return 0;
	}

	struct policy_result r = policy_select(&config, label);

	/* oracle */
	struct xml_iter it;
	struct xml_node n, best = { 0 };
	struct rank best_rank = { 0, { 0 } }, rk;
	bool found = false;
	xml_iter_init(&it, &config, "policy");
	while (xml_iter_next(&it, &n)) {
		bool const matches = oracle_rank(&n, label, &rk);
		REQUIRE(matches == policy_node_matches(&n, label));
		if (!matches || !rk.present)
			continue;
		if (!found || rank_cmp(&rk, &best_rank) > 0) {
			best = n;
			best_rank = rk;
			found = true;
		}
	}
	if (found) {
		REQUIRE(r.kind == POLICY_MATCH);
		REQUIRE(r.node.addr == best.addr && r.node.size == best.size);
	} else if (xml_sub_node_by_type(&config, "default-policy", &n)) {
		REQUIRE(r.kind == POLICY_DEFAULT);
		REQUIRE(r.node.addr == n.addr);
	} else {
		REQUIRE(r.kind == POLICY_NONE);
	}

	/* the init-style test also holds on every other node */
	xml_iter_init(&it, &config, NULL);
	while (xml_iter_next(&it, &n))
		REQUIRE(oracle_rank(&n, label, &rk) == policy_node_matches(&n, label));

	free(in);
	return 0;
}
