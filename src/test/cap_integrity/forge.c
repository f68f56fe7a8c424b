/* forge.c - invented, stale and closed capability names must reach nothing */

#include "cap_integrity.h"

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/log/log.h>
#include <session/rom/rom.h>

#include <fcntl.h>

/*
 * A capability name is only a process-local index into a table that the
 * platform fills when a capability is received; names the component
 * invents, or names it gave up, must fail with Ipc_error (the call never
 * leaves the component). Names it holds legitimately (the platform filled
 * their entries: its parent, PD, LOG, the heap's dataspaces...) are
 * skipped by the sweeps: reaching those is no forgery.
 */

enum { LOG_FIRST = 10 };  /* at most this many "reached" lines */

static unsigned try_name(uint32_t id, unsigned *tried, unsigned *skipped)
{
	static unsigned logged;
	cairn_cap c = { id };
	if (held(c)) { (*skipped)++; return 0; }
	(*tried)++;
	int r = probe(c);
	if (r == CAIRN_ERR_IPC) return 0;
	if (logged++ < LOG_FIRST)
		cairn_error("forged cap 0x%08x: %s (reached an object)", id, cairn_err_str(r));
	return 1;
}

/* one named forgery, logged whatever the outcome */
static unsigned forge_one(uint32_t id, const char *how)
{
	cairn_cap c = { id };
	if (held(c)) {
		cairn_log("forged cap 0x%08x (%s): held by this component, skipped", id, how);
		return 0;
	}
	int r = probe(c);
	cairn_log("forged cap 0x%08x (%s): %s", id, how, cairn_err_str(r));
	return r != CAIRN_ERR_IPC;
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

unsigned forge_invented(cairn_env *env)
{
	/* a live object of another component to aim at: a LOG session at core */
	cairn_cap target;
	int r = cairn_session(env, "LOG", &target, "ram_quota=%d, label=\"target\"", CAIRN_LOG_RAM);
	if (r != CAIRN_OK) {
		cairn_error("could not open the target LOG session: %s", cairn_err_str(r));
		return 1;
	}
	uint32_t t = target.id;
	unsigned reached = 0, tried = 0, skipped = 0;

	reached += forge_one(0, "the invalid name");
	reached += forge_one(t + 0x00010000u, "target's index, next generation");
	reached += forge_one(t & 0xffffu, "target's index, generation 0");
	reached += forge_one(t + 1, "next index");
	reached += forge_one(t + 2, "index after next");
	reached += forge_one(t | 0x80000000u, "target with the top bit set");
	reached += forge_one(0xffffffffu, "all bits set");

	/* every index with generations 0..7, then random names */
	for (uint32_t gen = 0; gen < 8; gen++)
		for (uint32_t idx = 0; idx < 0x10000; idx++)
			reached += try_name(gen << 16 | idx, &tried, &skipped);
	uint32_t seed = 0x2545f491u;
	for (unsigned i = 0; i < 500000; i++)
		reached += try_name(xorshift(&seed), &tried, &skipped);

	cairn_log("invented capability names: %u tried, %u reached an object", tried, reached);
	cairn_log("(%u guessed names are held by this component and were skipped)", skipped);

	/* the target itself still works: the sweep did not break the table */
	r = cairn_log_write(target, "target LOG session still works");
	if (r <= 0) {
		cairn_error("target LOG session broken after the sweep: %s", cairn_err_str(r));
		reached++;
	}
	(void)cairn_parent_close(env->parent, target);
	cairn_cap_release(target);
	return reached;
}

unsigned forge_raw_descriptors(void)
{
	unsigned open_fds = 0, tried = 0, skipped = 0, reached = 0, logged = 0;
	for (int fd = 0; fd < 4096; fd++) {
		if (fcntl(fd, F_GETFD) < 0) continue;
		open_fds++;
		/* the descriptor number as a name, and as index or generation of one */
		uint32_t ids[] = { (uint32_t)fd, 1u << 16 | (uint32_t)fd, 2u << 16 | (uint32_t)fd,
		                   (uint32_t)fd << 16 | 1u, (uint32_t)fd << 16 | (uint32_t)fd };
		for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			cairn_cap c = { ids[i] };
			if (held(c)) { skipped++; continue; }
			tried++;
			int r = probe(c);
			if (logged < 3) {
				cairn_log("raw descriptor %d as cap 0x%08x: %s", fd, ids[i], cairn_err_str(r));
				logged++;
			}
			if (r != CAIRN_ERR_IPC) {
				cairn_error("raw descriptor %d as cap 0x%08x: %s (reached an object)",
				            fd, ids[i], cairn_err_str(r));
				reached++;
			}
		}
	}
	cairn_log("raw descriptor numbers: %u open descriptors, %u names tried, %u reached an object",
	          open_fds, tried, reached);
	if (open_fds == 0) {
		cairn_error("no open descriptor found: the probe tested nothing");
		reached++;
	}
	return reached;
}

unsigned forge_closed_session(cairn_env *env)
{
	cairn_cap log;
	int r = cairn_session(env, "LOG", &log, "ram_quota=%d, label=\"closed\"", CAIRN_LOG_RAM);
	if (r != CAIRN_OK) {
		cairn_error("could not open a LOG session: %s", cairn_err_str(r));
		return 1;
	}
	unsigned reached = 0;
	r = cairn_log_write(log, "this session is about to be closed");
	if (r <= 0) { cairn_error("fresh LOG session does not work: %s", cairn_err_str(r)); reached++; }

	r = cairn_parent_close(env->parent, log);
	if (r != CAIRN_OK) { cairn_error("close failed: %s", cairn_err_str(r)); reached++; }

	/* we still hold the name, but the object behind it is gone */
	r = cairn_log_write(log, "written through a closed session");
	cairn_log("cap of a closed session 0x%08x: %s", log.id, cairn_err_str(r < 0 ? r : CAIRN_OK));
	if (r != CAIRN_ERR_IPC) reached++;
	r = probe(log);
	cairn_log("cap of a closed session with an unknown opcode: %s", cairn_err_str(r));
	if (r != CAIRN_ERR_IPC) reached++;
	cairn_cap_release(log);
	return reached;
}

/* a name given up, and a stale name of an object received again */
unsigned forge_released(cairn_env *env)
{
	unsigned reached = 0;
	cairn_cap log;
	int r = cairn_session(env, "LOG", &log, "ram_quota=%d, label=\"released\"", CAIRN_LOG_RAM);
	if (r != CAIRN_OK) {
		cairn_error("could not open a LOG session: %s", cairn_err_str(r));
		return 1;
	}
	if (cairn_log_write(log, "this capability is about to be released") <= 0) reached++;
	cairn_cap released = log;
	cairn_cap_release(log);
	r = cairn_log_write(released, "written through a released capability");
	cairn_log("released cap 0x%08x: %s", released.id, cairn_err_str(r < 0 ? r : CAIRN_OK));
	if (r != CAIRN_ERR_IPC) reached++;

	cairn_cap rom, ds1, ds2;
	r = cairn_session(env, "ROM", &rom, "ram_quota=%d, label=\"config\"", CAIRN_ROM_RAM);
	if (r != CAIRN_OK || cairn_rom_dataspace(rom, &ds1) != CAIRN_OK) {
		cairn_error("could not get a ROM dataspace: %s", cairn_err_str(r));
		return reached + 1;
	}
	cairn_cap_release(ds1);
	if (cairn_rom_dataspace(rom, &ds2) != CAIRN_OK) {
		cairn_error("could not get the ROM dataspace again");
		return reached + 1;
	}
	size_t size = 0;
	r = probe(ds1);
	cairn_log("stale name of a re-received dataspace: %s (%s)", cairn_err_str(r),
	          ds1.id == ds2.id ? "same name: wrong" : "new name differs");
	if (r != CAIRN_ERR_IPC || ds1.id == ds2.id) reached++;
	r = cairn_ds_size(ds2, &size);
	cairn_log("its new name: %s", r == CAIRN_OK && size ? "works" : cairn_err_str(r));
	if (r != CAIRN_OK || !size) reached++;
	cairn_cap_release(ds2);
	(void)cairn_parent_close(env->parent, rom);
	cairn_cap_release(rom);
	return reached;
}
