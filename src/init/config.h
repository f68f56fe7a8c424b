/* config.h - init's configuration model: the parsed content of its config ROM */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <util/label.h>
#include <util/xml.h>

/*
 * The parser turns the XML text into these plain structures. The config
 * keeps its own copy of the text (the ROM may change underneath), and all
 * strings are NUL-terminated copies in the config's arena, so that routing
 * and the comparison of an old and a new config need no I/O. Route entries
 * keep their XML node for the shared label-matching utility (policy.h).
 * Diagnostics go through a callback; the caller decides how to print them.
 */

enum {
	INIT_NAME_MAX    = 64,          /* child, alias and service names incl. NUL */
	INIT_LABEL_MAX   = LABEL_MAX + 1, /* buffer for a session label */
	INIT_RAM_RESERVE = 128 * 1024,  /* init's own RAM it never hands out */
};

typedef enum { INIT_DIAG_NONE, INIT_DIAG_WARNING, INIT_DIAG_ERROR } init_diag_level;

/* receives one message without the `Warning: `/`Error: ` prefix */
typedef void (*init_diag_fn)(void *ctx, init_diag_level level, const char *msg);

/* the allocator the config takes its memory from */
typedef struct init_alloc {
	void *(*alloc)(void *ctx, size_t size); /* NULL when out of memory */
	void  (*free)(void *ctx, void *p);
	void  *ctx;
} init_alloc;

typedef enum {
	INIT_TARGET_PARENT,     /* <parent/> */
	INIT_TARGET_CHILD,      /* <child name="C"/> */
	INIT_TARGET_ANY_CHILD,  /* <any-child/> */
} init_target_type;

typedef struct init_target {
	init_target_type type;
	const char      *name;  /* INIT_TARGET_CHILD: child or alias name */
} init_target;

/* <service name="S" label..>targets</service> or <any-service label..>..</any-service> */
typedef struct init_route_entry {
	bool         any_service;
	const char  *service;       /* NULL for <any-service> */
	const char  *label;         /* label attributes, NULL when absent */
	const char  *label_prefix;
	const char  *label_suffix;
	struct xml_node node;       /* for policy_node_matches */
	unsigned     num_targets;
	init_target *targets;
} init_route_entry;

typedef struct init_route_table {
	unsigned          num;
	init_route_entry *entries;
} init_route_table;

typedef struct init_alias {
	const char *name;
	const char *child;
} init_alias;

typedef struct init_start {
	const char  *name;
	const char  *binary;          /* <binary name>, defaults to name */
	size_t       ram_quantum;     /* <resource name="RAM" quantum>, 0 if missing */
	bool         constrain_phys;
	long         priority;        /* `priority` attribute as given (0 if absent) */
	unsigned     num_provides;
	const char **provides;        /* <provides><service name> */
	const char  *config;          /* whole inline <config> node text (not NUL-terminated), or NULL */
	size_t       config_len;
	const char  *configfile;      /* <configfile name>, or NULL */
	bool         has_route;       /* own <route>: replaces <default-route> */
	init_route_table route;
	bool         exit_propagate;  /* <exit propagate="yes"/> */
	const char  *node;            /* whole <start> node text (for comparison, not terminated) */
	size_t       node_len;
} init_start;

struct init_arena;

typedef struct init_config {
	bool              verbose;
	unsigned          prio_levels;        /* 0: priorities disabled */
	unsigned          num_parent_services;
	const char      **parent_services;    /* <parent-provides> */
	init_route_table  default_route;      /* empty if absent */
	unsigned          num_aliases;
	init_alias       *aliases;
	unsigned          num_starts;
	init_start       *starts;             /* in document order, nameless ones skipped */
	struct init_arena *arena;
} init_config;

typedef enum {
	INIT_CONFIG_OK = 0,
	INIT_CONFIG_SYNTAX,   /* not parseable as XML (diag names what and where) */
	INIT_CONFIG_INVALID,  /* well-formed but unusable: duplicate names */
	INIT_CONFIG_NOMEM,
} init_config_result;

/*
 * Parse `len` bytes of XML. On INIT_CONFIG_OK, *out is a new config to be
 * released with init_config_free; otherwise *out is NULL and `diag` got
 * the reason.
 */
init_config_result init_config_parse(const char *xml, size_t len, const init_alloc *a,
                                     init_diag_fn diag, void *diag_ctx, init_config **out)
	__attribute__((warn_unused_result));

void init_config_free(init_config *c);

/* index of the <start> node named `name`, or -1 */
int init_config_start_index(const init_config *c, const char *name);

/* the child an alias refers to, or `name` itself if it is no alias */
const char *init_config_deref_alias(const init_config *c, const char *name);

/* index of `service` in the <provides> of s, or -1 */
int init_start_service_index(const init_start *s, const char *service);

/* true if s declares `service` in its <provides> */
static inline bool init_start_provides(const init_start *s, const char *service)
{
	return init_start_service_index(s, service) >= 0;
}

/* true if <parent-provides> lists `service` */
bool init_config_parent_provides(const init_config *c, const char *service);

/* the route table that applies to start node `idx` */
const init_route_table *init_config_route_table(const init_config *c, unsigned idx);
