/* prio.c - priority sub-bands of children (init.md 8.1), free of I/O */
#include "prio.h"

static unsigned log2_of(unsigned levels)
{
	unsigned bits = 0;
	while ((1u << bits) < levels)
		bits++;
	return bits;
}

unsigned init_prio_band(unsigned levels, long priority, bool *invalid)
{
	long lowest = levels > 1 ? -(long)(levels - 1) : 0;

	*invalid = priority > 0 || priority < lowest;
	if (priority > 0)
		return 0;
	if (priority < lowest)
		return (unsigned)-lowest;
	return (unsigned)-priority;
}

unsigned long init_prio_apply(unsigned levels, unsigned band, unsigned long prio, bool *lost)
{
	*lost = false;
	if (levels <= 1)
		return prio;

	unsigned shift = log2_of(levels);
	if (prio >= INIT_PRIORITY_LIMIT)
		prio = INIT_PRIORITY_LIMIT - 1;
	*lost = (prio & ((1ul << shift) - 1)) != 0;
	return (prio >> shift) | (unsigned long)band * (INIT_PRIORITY_LIMIT >> shift);
}

cairn_pd_sched init_placement(const init_config *c, const init_start *s)
{
	const init_affinity *a = &s->affinity;
	bool                 unused;
	unsigned             band = init_prio_band(c->prio_levels, s->priority, &unused);

	return (cairn_pd_sched){
		.priority    = (uint32_t)init_prio_apply(c->prio_levels, band, 0, &unused),
		.prio_levels = c->prio_levels > 1 ? c->prio_levels : 1,
		.space_w = c->space_width, .space_h = c->space_height,
		.xpos = a->xpos, .ypos = a->ypos, .width = a->width, .height = a->height,
	};
}
