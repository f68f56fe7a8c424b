/* output.c - rom_filter's output: <inline> and nested <if>/<has_value>/<then>/<else> */

#include "rom_filter.h"

#include <base/log.h>

#include <string.h>

static bool condition(const struct xml_node *cfg, const struct xml_node *if_node)
{
	struct xml_node cond;
	char input[64];
	struct str value;

	if (!xml_sub_node_by_type(if_node, "has_value", &cond)) {
		cairn_warning("<if> without condition is false");
		return false;
	}
	if (xml_attr_string(&cond, "input", input, sizeof(input), "") >= sizeof(input)
	 || !input_value(cfg, input, &value))
		return false;
	struct xml_attr expected;
	return xml_attribute(&cond, "value", &expected) && str_eq(value, expected.value);
}

/* raw content of an <inline>: one leading newline and trailing whitespace removed */
static struct str inline_text(const struct xml_node *n)
{
	struct str s = xml_content(n);
	if (s.len && s.ptr[0] == '\n') { s.ptr++; s.len--; }
	while (s.len && str_is_space(s.ptr[s.len - 1])) s.len--;
	return s;
}

static void emit(const struct xml_node *cfg, const struct xml_node *parent, struct xml_gen *g)
{
	struct xml_iter it;
	struct xml_node n, branch;

	xml_iter_init(&it, parent, 0);
	while (xml_iter_next(&it, &n)) {
		if (xml_has_type(&n, "inline")) {
			struct str s = inline_text(&n);
			xml_gen_append(g, s.ptr, s.len);
		} else if (xml_has_type(&n, "if")) {
			const char *which = condition(cfg, &n) ? "then" : "else";
			if (xml_sub_node_by_type(&n, which, &branch))
				emit(cfg, &branch, g);
		}
	}
}

bool output_generate(const struct xml_node *cfg, char *buf, size_t size, size_t *len)
{
	struct xml_node out;
	char type[64];

	if (!xml_sub_node_by_type(cfg, "output", &out)) {
		cairn_error("missing '<output>' node in config");
		return false;
	}
	if (!xml_has_attribute(&out, "node")) {
		cairn_error("missing 'node' attribute in '<output>' node");
		return false;
	}
	if (xml_attr_string(&out, "node", type, sizeof(type), "") >= sizeof(type)
	 || !xml_is_name(str_z(type))) {
		cairn_error("invalid 'node' attribute in '<output>' node");
		return false;
	}
	struct xml_gen g;
	xml_gen_init(&g, buf, size, type);
	emit(cfg, &out, &g);
	enum xml_gen_error e = xml_gen_finish(&g);
	if (e != XML_GEN_OK) {
		cairn_error("could not generate output: %s (buffer=\"%zu\")", xml_gen_error_str(e), size);
		return false;
	}
	*len = xml_gen_used(&g);
	return true;
}
