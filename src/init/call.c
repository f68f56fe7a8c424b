/* call.c - calls that may block (a server's root, init's parent) run on worker entrypoints */
#include "init.h"

#include <base/log.h>
#include <base/root.h>

#include <stdio.h>

/*
 * init's own entrypoint never waits for a child: a server that is busy, or
 * that calls init itself while init would wait for it, would stall or
 * deadlock the whole init. Instead a worker entrypoint (a thread) makes the
 * call and hands the call back through the lock-free `done` stack and a
 * signal; all bookkeeping stays on init's entrypoint. Workers are pooled:
 * one is busy per call in flight, an idle one is reused, a new one created
 * when none is idle, up to MAX_WORKERS (each is a thread with a stack from
 * init's bounded private memory); beyond that, calls wait in FIFO order
 * for a worker to become idle.
 *
 * Calls to init's parent are the exception when that parent is core (its
 * parent capability reaches core's entrypoint, like its PD's): core
 * answers every parent request at once and never waits for a component,
 * so init makes those calls itself and hands the result back the same way
 * (done stack and signal). A worker would cost two thread wake-ups per
 * call; for a nested init, whose parent may wait for a server, workers
 * are kept.
 */
enum { MAX_WORKERS = 16 };
struct init_worker {
	init_worker          *next;  /* idle list, used by init's entrypoint only */
	init_main            *main;
	cairn_ep             *ep;
	cairn_signal_handler  sigh;  /* managed at ep: a job is there */
	_Atomic(init_call *)  job;
};

static void perform(init_main *m, init_call *c)
{
	cairn_msg msg;

	c->result = CAIRN_CAP_INVALID;

	if (c->to_parent) {
		switch (c->op) {
		case CAIRN_ROOT_SESSION:
			c->rc = cairn_parent_session(m->env->parent, c->service, c->args, &c->result);
			break;
		case CAIRN_ROOT_UPGRADE:
			c->rc = cairn_parent_upgrade(m->env->parent, c->session, c->args);
			break;
		default:
			c->rc = cairn_parent_close(m->env->parent, c->session);
			break;
		}
		return;
	}

	cairn_msg_init(&msg, c->op);
	if (c->op != CAIRN_ROOT_SESSION)
		cairn_msg_put_cap(&msg, c->session);
	if (c->op != CAIRN_ROOT_CLOSE)
		cairn_msg_put_str(&msg, c->args);

	c->rc = cairn_rpc_call(c->target, &msg, &msg);
	if (c->rc == CAIRN_OK && c->op == CAIRN_ROOT_SESSION) {
		c->result = cairn_msg_get_cap(&msg);
		if (msg.err || !cairn_cap_valid(c->result))
			c->rc = CAIRN_ERR_DENIED;
	}
}

static void push_done(init_main *m, init_call *c)
{
	init_call *head = atomic_load(&m->done);
	do {
		c->next = head;
	} while (!atomic_compare_exchange_weak(&m->done, &head, c));
	cairn_signal_submit(m->done_sigh.obj.cap, 1);
}

/* runs on the worker's thread */
static void on_job(cairn_signal_handler *h, unsigned count)
{
	init_worker *w = h->data;
	init_call   *c = atomic_exchange(&w->job, NULL);

	if (!c)
		return;
	perform(w->main, c);
	push_done(w->main, c);
}

static init_worker *get_worker(init_main *m)
{
	init_worker *w = m->idle;

	if (w) {
		m->idle = w->next;
		return w;
	}
	if (m->num_workers >= MAX_WORKERS)
		return NULL;
	w = cairn_heap_calloc(m->env->heap, 1, sizeof *w);
	if (!w)
		return NULL;

	char name[32];
	snprintf(name, sizeof name, "worker%u", m->num_workers);
	w->main = m;
	w->ep   = cairn_ep_create(m->env, name);
	if (!w->ep) {
		cairn_heap_free(m->env->heap, w);
		return NULL;
	}
	atomic_init(&w->job, NULL);
	cairn_signal_handler_init(&w->sigh, w->ep, on_job, w);
	m->num_workers++;
	return w;
}

static void hand_to(init_worker *w, init_call *c)
{
	c->worker = w;
	atomic_store(&w->job, c);
	cairn_signal_submit(w->sigh.obj.cap, 1);
}

/* make the call on init's own entrypoint; it completes like a worker's */
static void call_here(init_main *m, init_call *c)
{
	c->worker = NULL;
	perform(m, c);
	push_done(m, c);
}

void init_call_start(init_main *m, init_call *c)
{
	if (c->to_parent && m->parent_is_core) {
		call_here(m, c);
		return;
	}
	init_worker *w = get_worker(m);

	if (w) {
		hand_to(w, c);
		return;
	}
	if (!m->num_workers) {
		/* not a single thread could be made: call right here */
		cairn_warning("no worker entrypoint available, calling synchronously");
		call_here(m, c);
		return;
	}
	/* all workers busy: wait for one */
	c->worker = NULL;
	c->next   = NULL;
	if (m->waiting_tail) m->waiting_tail->next = c;
	else                 m->waiting = c;
	m->waiting_tail = c;
}

static void start_pending(init_main *m)
{
	while (m->waiting && m->idle) {
		init_call *c = m->waiting;
		m->waiting = c->next;
		if (!m->waiting) m->waiting_tail = NULL;
		init_worker *w = m->idle;
		m->idle = w->next;
		hand_to(w, c);
	}
}

void init_calls_done(init_main *m)
{
	init_call *list = atomic_exchange(&m->done, NULL), *fifo = NULL;

	/* the stack holds the latest first */
	while (list) {
		init_call *c = list;
		list    = c->next;
		c->next = fifo;
		fifo    = c;
	}
	while (fifo) {
		init_call *c = fifo;
		fifo = c->next;
		if (c->worker) {
			c->worker->next = m->idle;
			m->idle = c->worker;
			c->worker = NULL;
		}
		init_session_call_done(m, c);
	}
	start_pending(m);
}
