/* rom.h - ROM session: read-only data, possibly changing over time */
#pragma once

#include <base/cap.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * DATASPACE returns the module's current content as a read-only dataspace
 * (the content is NUL-padded to the dataspace size). SIGH registers a
 * signal that fires when a new version is available; UPDATE asks the
 * server to put the new version into the dataspace already handed out if it
 * fits (returns true) - otherwise the client calls DATASPACE again.
 * Core's ROM service serves the files of the boot directory by the label's
 * last element and never changes them.
 * Session args: `ram_quota` (at least CAIRN_ROM_RAM), `label`.
 */
enum { CAIRN_ROM_DATASPACE = 1, CAIRN_ROM_SIGH, CAIRN_ROM_UPDATE };
enum { CAIRN_ROM_RAM = 8192 };

int cairn_rom_dataspace(cairn_cap rom, cairn_cap *ds) __attribute__((warn_unused_result));
int cairn_rom_sigh(cairn_cap rom, cairn_cap sigh);
bool cairn_rom_update(cairn_cap rom);

/*
 * A ROM attached to the local address space, for the common case "read a
 * ROM and react when it changes": open, attach, and on a change signal
 * call cairn_attached_rom_update, then read `data`/`size` again.
 */
struct cairn_env;
typedef struct cairn_attached_rom {
	cairn_cap   session;
	cairn_cap   ds;
	const char *data;   /* content, NUL-terminated within the dataspace */
	size_t      size;   /* bytes of the dataspace */
} cairn_attached_rom;

int  cairn_attached_rom_open(cairn_attached_rom *r, struct cairn_env *env, const char *label)
	__attribute__((warn_unused_result));
int  cairn_attached_rom_update(cairn_attached_rom *r);
void cairn_attached_rom_close(cairn_attached_rom *r, struct cairn_env *env);
