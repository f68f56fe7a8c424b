/* thread.c - additional entrypoints, each with a thread of its own */

#include "internal.h"

#include <base/env.h>
#include <pthread.h>

struct ep_start {
	pthread_mutex_t lock;
	pthread_cond_t  cond;
	cairn_ep       *ep;
	const char     *name;
};

static void *ep_thread(void *arg)
{
	struct ep_start *s = arg;
	cairn_ep *ep = plat_ep_create_here(s->name);
	pthread_mutex_lock(&s->lock);
	s->ep = ep;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	cairn_ep_run(ep);
}

cairn_ep *cairn_ep_create(cairn_env *env, const char *name)
{
	(void)env;
	struct ep_start s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, name };
	pthread_t t;
	if (pthread_create(&t, 0, ep_thread, &s)) return 0;
	pthread_detach(t);
	pthread_mutex_lock(&s.lock);
	while (!s.ep) pthread_cond_wait(&s.cond, &s.lock);
	pthread_mutex_unlock(&s.lock);
	return s.ep;
}
