/* policy.c - label scoring of XML nodes and server-side policy selection */
#include <util/policy.h>

struct policy_score policy_score(const struct xml_node *node, struct str label)
{
	struct policy_score s = { false, false, false, false, 0, 0 };
	struct xml_attr a;

	if (xml_attribute(node, "label", &a)) {
		s.label_present = true;
		s.conflict |= !str_eq(a.value, label);
	}
	if (xml_attribute(node, "label_prefix", &a)) {
		s.prefix_present = true;
		s.prefix_len = a.value.len;
		s.conflict |= !str_starts_with(label, a.value);
	}
	if (xml_attribute(node, "label_suffix", &a)) {
		s.suffix_present = true;
		s.suffix_len = a.value.len;
		s.conflict |= !str_ends_with(label, a.value);
	}
	return s;
}

/* -1, 0, 1 for a less, equally, more specific than b (both without conflict) */
static int compare(const struct policy_score *a, const struct policy_score *b)
{
	if (a->label_present != b->label_present)
		return a->label_present ? 1 : -1;
	if (a->prefix_present != b->prefix_present)
		return a->prefix_present ? 1 : -1;
	if (a->prefix_present && a->prefix_len != b->prefix_len)
		return a->prefix_len > b->prefix_len ? 1 : -1;
	if (a->suffix_present != b->suffix_present)
		return a->suffix_present ? 1 : -1;
	if (a->suffix_present && a->suffix_len != b->suffix_len)
		return a->suffix_len > b->suffix_len ? 1 : -1;
	return 0;
}

bool policy_score_stronger(const struct policy_score *a, const struct policy_score *b)
{
	return compare(a, b) > 0;
}

bool policy_node_matches(const struct xml_node *node, struct str label)
{
	return !policy_score(node, label).conflict;
}

struct policy_result policy_select(const struct xml_node *config, struct str label)
{
	struct policy_result r = { POLICY_NONE, { 0 } };
	struct policy_score best = { false, false, false, false, 0, 0 };
	struct xml_iter it;
	struct xml_node n;

	xml_iter_init(&it, config, "policy");
	while (xml_iter_next(&it, &n)) {
		struct policy_score const s = policy_score(&n, label);
		if (s.conflict || !(s.label_present || s.prefix_present || s.suffix_present))
			continue;
		if (r.kind == POLICY_NONE || policy_score_stronger(&s, &best)) {
			r.kind = POLICY_MATCH;
			r.node = n;
			best = s;
		}
	}
	if (r.kind == POLICY_NONE && xml_sub_node_by_type(config, "default-policy", &n)) {
		r.kind = POLICY_DEFAULT;
		r.node = n;
	}
	return r;
}
