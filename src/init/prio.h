/* prio.h - priority sub-bands of children (init.md 8.1), free of I/O */
#pragma once

#include <stdbool.h>

#include <session/pd/pd.h>

#include "config.h"

enum { INIT_PRIORITY_LIMIT = 65536 };

/*
 * Sub-band of a child for its `priority` attribute: -priority if it lies
 * within [-(levels-1), 0], otherwise the nearest valid value, with
 * *invalid set (init warns `N: invalid priority, upgrading from P to Q`).
 * With levels 0 or 1 every non-zero priority is invalid and the band is 0.
 */
unsigned init_prio_band(unsigned levels, long priority, bool *invalid);

/*
 * Priority init passes on for a CPU session that child with sub-band `band`
 * requests with priority `prio`: prio shifted into the band. With levels 0
 * or 1 prio passes unchanged. *lost is set if low bits were shifted out.
 */
unsigned long init_prio_apply(unsigned levels, unsigned band, unsigned long prio, bool *lost);

/*
 * Where start node `s` of config `c` runs within init's own place (the
 * words of PD START, pd.h): its sub-band's priority (init.md 8.1) and its
 * rectangle of the affinity space (8.3). A child whose placement changes
 * with a new config is restarted.
 */
cairn_pd_sched init_placement(const init_config *c, const init_start *s);

/* what a kernel with 128 levels (larger = more urgent) makes of a generic priority (10.02) */
static inline unsigned long init_kernel_priority(unsigned long priority)
{
	return ((INIT_PRIORITY_LIMIT - priority) * 128) / INIT_PRIORITY_LIMIT;
}
