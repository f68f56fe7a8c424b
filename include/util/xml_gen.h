/* xml_gen.h - XML generator writing into a caller buffer (Genode's Xml_generator) */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <util/string.h>
#include <util/xml.h>

/*
 * Usage:
 *
 *     char buf[4096];
 *     struct xml_gen g;
 *     xml_gen_init(&g, buf, sizeof(buf), "state");
 *     xml_gen_attr_ulong(&g, "version", 3);
 *     xml_gen_node_open(&g, "child");
 *     xml_gen_attr(&g, "name", "init -> timer");
 *     xml_gen_node_close(&g);
 *     if (xml_gen_finish(&g) != XML_GEN_OK) ... the report did not fit ...
 *     submit(buf, xml_gen_used(&g));
 *
 * yields
 *
 *     <state version="3">
 *     	<child name="init -> timer"/>
 *     </state>
 *
 * Output format (as Genode's): every sub node on a line of its own,
 * indented by one tab per level; text added with append goes right after
 * the start tag; a node without content is written as `<t .../>`; the end
 * tag of a node with sub nodes is on a line of its own; a newline follows
 * the root node. The buffer is always NUL-terminated (one byte of it is
 * reserved for the NUL).
 *
 * Errors are sticky: the first error is recorded, every later call does
 * nothing and returns it, and xml_gen_finish reports it. Output is never
 * silently truncated: after XML_GEN_ERR_OVERFLOW the buffer holds an
 * incomplete document that must not be used.
 */

enum xml_gen_error {
	XML_GEN_OK = 0,
	XML_GEN_ERR_OVERFLOW,   /* the buffer is too small */
	XML_GEN_ERR_NAME,       /* node or attribute name is not a valid XML name */
	XML_GEN_ERR_ORDER,      /* attribute after content, close without open node,
	                           call after the root node was finished */
	XML_GEN_ERR_DEPTH,      /* more than XML_MAX_DEPTH nested nodes */
};

struct xml_gen {
	char              *buf;
	size_t             size;
	size_t             used;                 /* bytes written, NUL excluded */
	unsigned           depth;                /* open nodes */
	size_t             open[XML_MAX_DEPTH];  /* offsets of their start tags */
	unsigned char      flags[XML_MAX_DEPTH]; /* per open node, see xml_gen.c */
	bool               finished;
	enum xml_gen_error error;
};

/* start a document in buf[0, size) whose root node has the given type */
void xml_gen_init(struct xml_gen *g, char *buf, size_t size, const char *root_type);

/* open a sub node of the innermost open node; close it with xml_gen_node_close */
enum xml_gen_error xml_gen_node_open(struct xml_gen *g, const char *type);
enum xml_gen_error xml_gen_node_close(struct xml_gen *g);

/*
 * Attributes of the innermost open node, allowed only before its content
 * (XML_GEN_ERR_ORDER otherwise). String values are inserted verbatim, as
 * Genode does: the caller must not pass a value containing '"'. Integers
 * are written in decimal, bools as "true"/"false".
 */
enum xml_gen_error xml_gen_attr(struct xml_gen *g, const char *name, const char *value);
enum xml_gen_error xml_gen_attr_str(struct xml_gen *g, const char *name, struct str value);
enum xml_gen_error xml_gen_attr_ulong(struct xml_gen *g, const char *name, unsigned long value);
enum xml_gen_error xml_gen_attr_long(struct xml_gen *g, const char *name, long value);
enum xml_gen_error xml_gen_attr_bool(struct xml_gen *g, const char *name, bool value);

/*
 * Content of the innermost open node. append copies the bytes verbatim
 * (the caller vouches for them being valid XML content); append_sanitized
 * escapes & < > " ' and NUL as &amp; &lt; &gt; &quot; &apos; &#x00; so that
 * untrusted text can be embedded and recovered with xml_decoded_content.
 */
enum xml_gen_error xml_gen_append(struct xml_gen *g, const char *text, size_t len);
enum xml_gen_error xml_gen_append_sanitized(struct xml_gen *g, const char *text, size_t len);

/*
 * Close all open nodes including the root, add the final newline and
 * report the first error of the whole generation.
 */
enum xml_gen_error xml_gen_finish(struct xml_gen *g) __attribute__((warn_unused_result));

/* bytes of the document written so far (without the terminating NUL) */
size_t xml_gen_used(const struct xml_gen *g);

const char *xml_gen_error_str(enum xml_gen_error error);
