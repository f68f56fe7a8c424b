/* log_lines.c - content logged line by line like the original's print_lines */

#include <base/log.h>
#include <rom/server.h>

#include <string.h>

enum { MAX_LINE = 199 };

void rom_log_lines(const char *s, size_t len)
{
	/* the content ends at a NUL as well */
	len = strnlen(s, len);

	while (len && *s == '\n') { s++; len--; }

	/* the indentation of the first line is removed wherever it recurs */
	size_t indent = 0;
	while (indent < len && (s[indent] == ' ' || s[indent] == '\t')) indent++;
	const char *first = s;

	while (len) {
		if (indent && len >= indent && !memcmp(s, first, indent)) {
			s += indent;
			len -= indent;
		}
		size_t n = 0;
		while (n < len && n < MAX_LINE && s[n] != '\n') n++;
		cairn_log("  %.*s", (int)n, s);
		if (n < len && s[n] == '\n') n++;
		s += n;
		len -= n;
	}
}
