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
	INIT_RAM_RESERVE = 128 * 1024,  /* init's own RAM it never hands out (default) */
	INIT_REPORT_DELAY_MS = 100,     /* <report delay_ms> default */
	INIT_REPORT_BUFFER   = 4096,    /* <report buffer> default */
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
	const char      *label; /* label="L" (17.02): the server sees exactly L; NULL if absent */
	struct xml_node  node;  /* where it is (for messages) */
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
	const char     *name;
	const char     *child;
	struct xml_node node;
} init_alias;

/* a rectangle in the affinity space (init.md 8.3), defaults applied */
typedef struct init_affinity {
	unsigned xpos, ypos, width, height;
} init_affinity;

typedef struct init_start {
	const char  *name;
	const char  *binary;          /* <binary name>, defaults to name */
	const char  *version;         /* `version` attribute, NULL if absent */
	size_t       ram_quantum;     /* <resource name="RAM" quantum>, 0 if missing */
	size_t       ram_limit;       /* <resource name="RAM" limit>: most RAM resource
	                                 requests may bring it to; 0: no limit */
	bool         constrain_phys;
	unsigned long cpu_quantum;    /* <resource name="CPU" quantum> (percent, not enforced) */
	long         priority;        /* `priority` attribute (or 10.02 <priority>), 0 if absent */
	init_affinity affinity;       /* <affinity>, the whole space if absent */
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
	const char  *rest;            /* node text without <config>, <route>, <resource>, <exit>: */
	size_t       rest_len;        /*   a difference here restarts the child */
} init_start;

/* <report .../>: the state report (init.md 14.2) */
typedef struct init_report_config {
	bool     enabled;             /* a <report> node is present */
	unsigned delay_ms;
	size_t   buffer;
	bool     ids, requested, provided, session_args, child_ram, init_ram;
} init_report_config;

struct init_arena;

typedef struct init_config {
	bool              verbose;
	const char       *version;            /* `version` attribute, NULL if absent */
	unsigned          prio_levels;        /* 0: priorities disabled */
	unsigned          space_width;        /* <affinity-space>, 1x1 by default */
	unsigned          space_height;
	size_t            ram_preserve;       /* <resource name="RAM" preserve>, INIT_RAM_RESERVE */
	init_report_config report;
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
	INIT_CONFIG_INVALID,  /* well-formed but unusable (diag names what and where) */
	INIT_CONFIG_NOMEM,
} init_config_result;

enum {
	INIT_PARSE_UPDATE = 1 << 0,  /* a config update (children run): refuse dangling names */
};

/*
 * Parse `len` bytes of XML. On INIT_CONFIG_OK, *out is a new config to be
 * released with init_config_free; otherwise *out is NULL and `diag` got
 * the reason. A config is refused (INIT_CONFIG_INVALID) for: an unknown
 * element where init's language defines the elements (top level, <start>,
 * route tables and their targets, service lists), a <start> without name,
 * duplicate child or alias names, and - with INIT_PARSE_UPDATE - a route
 * target or alias naming no <start> node. Each problem is one error
 * naming it and its line and column, the last line is `config rejected`.
 * Without INIT_PARSE_UPDATE (init's first config: nothing runs that a
 * refusal could keep) a dangling name is a warning of the same form and
 * requests routed there are denied at run time, as in 16.08.
 */
init_config_result init_config_parse(const char *xml, size_t len, const init_alloc *a,
                                     unsigned flags, init_diag_fn diag, void *diag_ctx,
                                     init_config **out)
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

/* how a <start> node of a new config differs from the child's current one */
enum {
	INIT_START_SAME    = 0,
	INIT_START_CONFIG  = 1 << 0,  /* inline <config> (pushed as ROM update) */
	INIT_START_RAM     = 1 << 1,  /* RAM quantum or limit (quota up/downgrade) */
	INIT_START_ROUTE   = 1 << 2,  /* <route> (its sessions are routed anew) */
	INIT_START_OTHER   = 1 << 3,  /* <exit>, CPU quantum: take effect as they are */
	INIT_START_RESTART = 1 << 4,  /* anything else: binary, version, provides,
	                                 priority, affinity, configfile, constrain_phys */
};
unsigned init_start_compare(const init_start *old, const init_start *nw);

/*
 * Quantities as the state report prints them (init.md 14.2): a size in
 * bytes as `<n>G`, `<n>M` or `<n>K` when it is a whole multiple, else
 * bytes. Returns buf.
 */
const char *init_size_str(size_t bytes, char *buf, size_t len);
