/* label.c - session-label elements, prefixing and extraction from arguments */
#include <util/label.h>
#include <util/args.h>

#include <string.h>

/* offset of the last separator in label, or label.len if there is none */
static size_t last_separator(struct str label)
{
	size_t const n = sizeof(LABEL_SEPARATOR) - 1;
	for (size_t i = label.len; i >= n; i--)
		if (memcmp(label.ptr + i - n, LABEL_SEPARATOR, n) == 0)
			return i - n;
	return label.len;
}

struct str label_last_element(struct str label)
{
	size_t const sep = last_separator(label);
	if (sep == label.len)
		return label;
	size_t const start = sep + sizeof(LABEL_SEPARATOR) - 1;
	return str_n(label.ptr + start, label.len - start);
}

struct str label_prefix(struct str label)
{
	size_t const sep = last_separator(label);
	return str_n(label.ptr, sep == label.len ? 0 : sep);
}

enum label_error label_prefixed(char *dst, size_t dst_size, struct str parent, struct str label)
{
	size_t const sep = sizeof(LABEL_SEPARATOR) - 1;
	if (parent.len == 0 || label.len == 0) {
		struct str const only = parent.len ? parent : label;
		if (only.len >= dst_size)
			return LABEL_ERR_OVERFLOW;
		(void)str_copy(dst, dst_size, only);
		return LABEL_OK;
	}
	size_t const total = parent.len + sep + label.len;
	if (total >= dst_size)
		return LABEL_ERR_OVERFLOW;
	/* move the label first: it may lie in dst, parent is assumed not to */
	memmove(dst + parent.len + sep, label.ptr, label.len);
	memcpy(dst, parent.ptr, parent.len);
	memcpy(dst + parent.len, LABEL_SEPARATOR, sep);
	dst[total] = 0;
	return LABEL_OK;
}

enum label_error label_from_args(const char *args, char *dst, size_t dst_size)
{
	return args_string(args, "label", dst, dst_size, "") < dst_size ? LABEL_OK
	                                                                 : LABEL_ERR_OVERFLOW;
}

enum label_error label_prefix_args(char *args, size_t size, struct str parent)
{
	char label[LABEL_MAX + 1];
	if (!args || strnlen(args, size) == size)
		return LABEL_ERR_ARGS;
	if (label_from_args(args, label, sizeof(label)) != LABEL_OK
	 || label_prefixed(label, sizeof(label), parent, str_z(label)) != LABEL_OK)
		return LABEL_ERR_OVERFLOW;

	switch (args_set_string(args, size, "label", label)) {
	case ARGS_OK:           return LABEL_OK;
	case ARGS_ERR_OVERFLOW: return LABEL_ERR_OVERFLOW;
	default:                return LABEL_ERR_ARGS;
	}
}
