/* init_harness.h - what init's unit tests share: checks, a counting allocator, captured diagnostics, parsing */
#pragma once

/* include after src/init/config.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

#define CHECK(cond, ...) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* ---- allocator (leaks show in live_allocs) and captured diagnostics ---- */

static long live_allocs;

static void *t_alloc(void *ctx, size_t size) { live_allocs++; return malloc(size); }
static void  t_free(void *ctx, void *p)      { live_allocs--; free(p); }

static const init_alloc alloc = { t_alloc, t_free, NULL };

static char            diag_text[8192];
static init_diag_level diag_max;

static void t_diag(void *ctx, init_diag_level level, const char *msg)
{
	size_t used = strlen(diag_text);
	snprintf(diag_text + used, sizeof diag_text - used, "%s%s\n",
	         level == INIT_DIAG_ERROR ? "Error: " : level == INIT_DIAG_WARNING ? "Warning: " : "",
	         msg);
	if (level > diag_max)
		diag_max = level;
}

static init_config *parse_flags(const char *xml, unsigned flags)
{
	init_config *c = NULL;
	diag_text[0] = 0;
	diag_max     = INIT_DIAG_NONE;
	if (init_config_parse(xml, strlen(xml), &alloc, flags, t_diag, NULL, &c) != INIT_CONFIG_OK)
		return NULL;
	return c;
}

/* init's first config, and a config update */
static init_config *parse(const char *xml)        { return parse_flags(xml, 0); }
static init_config *parse_update(const char *xml) { return parse_flags(xml, INIT_PARSE_UPDATE); }
