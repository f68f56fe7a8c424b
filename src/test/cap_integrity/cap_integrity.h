/* cap_integrity.h - the parts of the capability-integrity test */
#pragma once

#include <base/env.h>
#include <stdbool.h>

/*
 * Every part logs one line per attempt and returns the number of attempts
 * that reached something they must not reach (0: all failed, as they
 * should). A part that cannot set itself up (e.g. no LOG session) counts
 * that as one failure too: the test must not pass by testing nothing.
 */

/* an opcode no interface implements: reaching any object answers Invalid_opcode */
enum { PROBE_OPCODE = 0x7ffffff0 };

/* CAIRN_OK-or-error of calling `cap` with PROBE_OPCODE */
int probe(cairn_cap cap);

/* true if `cap` is a name this component holds (was given or created) */
bool held(cairn_cap cap);

/* forge.c: invented names, raw descriptor numbers, stale and closed caps */
unsigned forge_invented(cairn_env *env);
unsigned forge_raw_descriptors(void);
unsigned forge_closed_session(cairn_env *env);
unsigned forge_released(cairn_env *env);

/* rom_write.c: ROM dataspaces must be read-only, enforced by the kernel */
unsigned rom_write(cairn_env *env, const char *module);

/* host_probes.c: authority outside the capability system (sandbox) */
unsigned host_probes(void);
