/* env.c - the component's environment and its exit */

#include <base/env.h>
#include <base/parent.h>
#include <base_internal.h>

#include <unistd.h>

static cairn_env *current;

void cairn_env_set(cairn_env *env) { current = env; }
cairn_env *cairn_env_get(void) { return current; }

_Noreturn void cairn_env_exit(cairn_env *env, int value)
{
	(void)cairn_parent_exit(env->parent, value);
	/* the parent decides what happens next; this process is done */
	_exit(value & 0xff);
}
