/* label.h - session labels: "init -> launcher -> app" */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <util/string.h>

/*
 * A label is a sequence of elements joined by LABEL_SEPARATOR. The first
 * element is the one closest to the server, the last one was chosen by the
 * client and is the least trusted (framework.md 7.2, 7.3). Labels have at
 * most LABEL_MAX characters; a buffer for one needs LABEL_MAX + 1 bytes.
 */
#define LABEL_SEPARATOR " -> "
enum { LABEL_MAX = 160 };

enum label_error {
	LABEL_OK = 0,
	LABEL_ERR_OVERFLOW,   /* the result does not fit the destination (unchanged) */
	LABEL_ERR_ARGS,       /* the argument buffer holds no NUL-terminated string,
	                         or the label cannot be quoted (ends in '\\') */
};

/* text after the last separator (the whole label if there is none) */
struct str label_last_element(struct str label);

/* text before the last separator (empty if there is none) */
struct str label_prefix(struct str label);

/*
 * The label a parent named `parent` forwards for a child's `label` (16.08):
 * `label` if parent is empty, `parent` if label is empty, otherwise
 * "parent -> label". Writes it NUL-terminated to dst; `label` may lie
 * within dst (in-place rewriting). On overflow dst is unchanged.
 */
enum label_error label_prefixed(char *dst, size_t dst_size, struct str parent, struct str label)
	__attribute__((warn_unused_result));

/*
 * The `label` argument of a session-argument string (empty if missing),
 * copied to dst like str_copy: LABEL_ERR_OVERFLOW if it did not fit
 * (dst then holds the truncated label).
 */
enum label_error label_from_args(const char *args, char *dst, size_t dst_size)
	__attribute__((warn_unused_result));

/*
 * Rewrite the `label` argument of the argument string in args[0, size) as
 * a parent named `parent` does for its child's session request (7.3):
 * label := label_prefixed(parent, label), stored quoted at the end of the
 * string. The resulting label must fit LABEL_MAX, the string its buffer;
 * otherwise LABEL_ERR_OVERFLOW and args is unchanged.
 */
enum label_error label_prefix_args(char *args, size_t size, struct str parent)
	__attribute__((warn_unused_result));
