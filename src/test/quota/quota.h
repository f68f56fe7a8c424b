/* quota.h - the roles of the quota test */
#pragma once

#include <base/env.h>
#include <stddef.h>

/*
 * The misbehaving role opens Hello sessions it cannot or will not pay for,
 * then announces the "Quota_barrier" service. The well-behaved role first
 * opens a Quota_barrier session (init holds the request until the service
 * is announced), so it runs strictly after the misbehaving requests, then
 * shows that the Hello server still serves it and that each session lives
 * on its own donation.
 */

/* log an unexpected result; the role exits 1 at its end if there was one */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern unsigned failures;

/* the component's RAM quota (not what is used of it) */
size_t own_quota(cairn_env *env);

/* check that the own quota is `want`, logging `when` */
void expect_quota(cairn_env *env, size_t want, const char *when);

void misbehave(cairn_env *env);      /* returns after announcing the barrier */
void well_behaved(cairn_env *env);   /* returns when done */
