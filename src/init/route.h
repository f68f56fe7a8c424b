/* route.h - session routing: which service a child's request goes to */
#pragma once

#include "config.h"

typedef enum {
	INIT_ROUTE_DENIED,  /* Service_denied for the client */
	INIT_ROUTE_PARENT,  /* forward to init's parent */
	INIT_ROUTE_CHILD,   /* a service declared by a sibling child */
} init_route_kind;

typedef struct init_route_result {
	init_route_kind kind;
	unsigned        server;    /* INIT_ROUTE_CHILD: start index of the server */
	const char     *label;     /* the target's label rewrite, NULL: the client's label */
	init_diag_level level;     /* severity of msg, INIT_DIAG_NONE if none */
	char            msg[256];  /* diagnostic without Warning:/Error: prefix */
} init_route_result;

/*
 * Route a request for `service` by the child of start node `client`.
 * `label` is the label after init prefixed it with the client's name
 * (`N` or `N -> l`). `present[i]` tells whether the child of start node i
 * exists (was created); routes to absent children are routes to
 * non-existing servers. Implements init.md 4.2 steps 2-6 (local services
 * are the caller's business): first matching entry wins, `<any-service>`
 * entries fall through to the next entry when all their targets fail,
 * `<service>` entries never fall through.
 */
void init_route(const init_config *c, const bool *present, unsigned client,
                const char *service, const char *label, init_route_result *r);

/*
 * The label as seen by the client's route table: `label` with the leading
 * `name` and the following ` -> ` removed (empty for the bare name).
 */
const char *init_scoped_label(const char *name, const char *label);

/* route-entry label test: every present attribute matches the scoped label */
bool init_entry_label_matches(const init_route_entry *e, const char *scoped_label);

/* what init does with a request before consulting the route table */
typedef enum {
	INIT_REQ_ROUTE,      /* route it */
	INIT_REQ_CONFIG,     /* serve the inline <config> as ROM */
	INIT_REQ_BINARY,     /* serve the child's binary as ROM */
	INIT_REQ_NO_CONFIG,  /* config ROM requested, but neither <config> nor <configfile> */
	INIT_REQ_BAD_LABEL,  /* the resulting label is too long */
} init_request_kind;

/*
 * The label of a request of child `s` (init.md 6): the client's `label`
 * argument prefixed with the child name (`N`, or `N -> l`), and for a ROM
 * request whose last element is `config` with a <configfile name="R"/>,
 * that element replaced by R (init.md 5). Decides whether init answers
 * the request locally (init.md 4.2 step 1). `label` has INIT_LABEL_MAX bytes.
 */
init_request_kind init_request_label(const init_start *s, const char *service,
                                     const char *args, char *label);

/* the text after the last ` -> ` (the whole label if there is none) */
const char *init_label_last_element(const char *label);
