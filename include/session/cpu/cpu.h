/* cpu.h - CPU session: threads of a component */
#pragma once

#include <base/cap.h>

/*
 * Threads are accounted at core: a component registers each thread it
 * starts (CREATE_THREAD, name of at most 32 characters) and core counts
 * them against the session. Session args: `ram_quota`, `label`,
 * `priority` (0 highest .. 65535).
 */
enum { CAIRN_CPU_CREATE_THREAD = 1, CAIRN_CPU_KILL_THREAD };
