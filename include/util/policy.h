/* policy.h - matching session labels against <policy> nodes of a server config */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <util/string.h>
#include <util/xml.h>

/*
 * Label attributes (framework.md 12) of a <policy> node (server side) or a
 * <service>/<any-service> node (init's routing):
 *
 *   label="L"          the whole label equals L
 *   label_prefix="P"   the label starts with P
 *   label_suffix="S"   the label ends with S
 *
 * Attribute values are compared byte by byte as they are written (no
 * entity decoding). Several attributes may be combined; a node matches
 * only if every attribute present matches. An empty prefix or suffix
 * matches every label (17.05 behaviour), with the lowest weight.
 *
 * Every server selects its policy with policy_select; init routes with
 * policy_node_matches (first match in document order wins).
 */

/*
 * How a node's label attributes relate to a label. `*_len` are the lengths
 * of the matching prefix and suffix (meaningful if present and no
 * conflict).
 */
struct policy_score {
	bool   label_present, prefix_present, suffix_present;
	bool   conflict;          /* a present attribute does not match */
	size_t prefix_len, suffix_len;
};

struct policy_score policy_score(const struct xml_node *node, struct str label);

/*
 * Specificity order of two non-conflicting scores, as a server chooses:
 * label beats no label; then prefix beats no prefix and a longer prefix a
 * shorter one; then the same for suffixes. Returns true if a is strictly
 * more specific than b (ties: neither is).
 */
bool policy_score_stronger(const struct policy_score *a, const struct policy_score *b);

/*
 * Init's routing test: every present label attribute matches. A node
 * without any label attribute matches every label.
 */
bool policy_node_matches(const struct xml_node *node, struct str label);

enum policy_kind {
	POLICY_NONE = 0,   /* nothing matches: Genode's No_policy_defined (deny) */
	POLICY_MATCH,      /* `node` is the most specific matching <policy> */
	POLICY_DEFAULT,    /* `node` is the <default-policy> */
};

struct policy_result {
	enum policy_kind kind;
	struct xml_node  node;   /* valid unless kind is POLICY_NONE */
};

/*
 * Genode's Session_policy(label, config): among the <policy> sub nodes of
 * config choose the most specific matching one (policy_score_stronger; on
 * ties the first in document order). A <policy> with none of the three
 * attributes never matches (16.08: protects against misspelled
 * attributes). Without a match, the first <default-policy> sub node is the
 * result; without one, POLICY_NONE.
 */
struct policy_result policy_select(const struct xml_node *config, struct str label)
	__attribute__((warn_unused_result));
