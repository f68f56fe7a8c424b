/* check.h - the few lines every unit test shares: counted checks and a summary */
#pragma once

#include <stdio.h>

static unsigned checks, failures;

#define CHECK(cond) do { \
	checks++; \
	if (!(cond)) { failures++; printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static inline void section(const char *name) { printf("checking %s\n", name); }

/* print the result line and give the exit status */
static inline int check_summary(const char *test)
{
	printf("%s: %u checks, %u failed\n", test, checks, failures);
	return failures ? 1 : 0;
}
