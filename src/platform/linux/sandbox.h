/* sandbox.h - confinement of component processes (core's Linux back end) */
#pragma once

enum sandbox_profile { SANDBOX_PROFILE_DEFAULT, SANDBOX_PROFILE_TIMER, SANDBOX_PROFILE_COUNT };

#include <plat.h>
#include <stdbool.h>

/* the fixed descriptor from which the binary is executed */
enum { SANDBOX_BINARY_FD = PLAT_FD_BINARY };

/* prepare filters, the empty root and the network namespace; once, in core */
int  sandbox_init(void);

enum sandbox_profile sandbox_profile_for(const char *module_name);

/* in the new process, first thing: join the shared namespaces */
void sandbox_join_namespaces(void);

/*
 * In the new process, after its descriptors are in place: confine it and
 * execute the binary at SANDBOX_BINARY_FD. Returns only on failure.
 */
void sandbox_enter_and_exec(enum sandbox_profile profile, const char *name, int uid,
                            unsigned long long quota);

/* whether components get memory cgroups, and removing one after its process */
bool sandbox_cgroups(void);
/* remove the cgroups that cores killed before they could clean up left behind */
void sandbox_cgroup_sweep(void);
void sandbox_cgroup_remove(int uid);

/* a user id of its own for a component (-1 if none left), and back */
int  sandbox_uid_alloc(void);
void sandbox_uid_free(int uid);

/* clone flags for a component process (fresh PID, IPC, UTS namespaces) */
unsigned long sandbox_clone_flags(void);
