/* timer_scheduler.c - unit test of the timer driver's scheduler on a fake clock */

/*
 * The scheduler (src/drivers/timer/scheduler.c) is compiled into this test
 * together with a back end whose clock and alarm the test controls, and a
 * cairn_signal_submit that records what would be signalled.
 */
#include "../../src/drivers/timer/scheduler.c"

#include <string.h>

#include "check.h"

static uint64_t now, alarm_at;
static unsigned nprogram;

static int      fake_init(cairn_env *e, void (*fn)(void *), void *d) { (void)e; (void)fn; (void)d; return 0; }
static uint64_t fake_now(void) { return now; }
static void     fake_program(uint64_t t) { alarm_at = t; nprogram++; }

const struct timer_backend timer_backend = { "fake", fake_init, fake_now, fake_program };

enum { MAXSIG = 64 };
static struct { uint32_t id; unsigned count; } sig[MAXSIG];
static unsigned nsig;

void cairn_signal_submit(cairn_cap c, unsigned count)
{
	if (nsig < MAXSIG) { sig[nsig].id = c.id; sig[nsig].count = count; }
	nsig++;
}

static struct timer_session s[4];

static void reset(void)
{
	sched_init();
	memset(s, 0, sizeof(s));
	for (unsigned i = 0; i < 4; i++) s[i].sigh.id = i + 1;
	now = 1000; alarm_at = 0; nsig = 0; nprogram = 0;
}

/* advance the clock to t and let the alarm go off if it is due */
static void run_to(uint64_t t)
{
	now = t;
	if (alarm_at && alarm_at <= now) sched_alarm(0);
}

static void test_order(void)
{
	section("one-shot timeouts fire in deadline order, never early");
	reset();
	sched_arm(&s[0], now + 300, 0);
	sched_arm(&s[1], now + 100, 0);
	sched_arm(&s[2], now + 200, 0);
	CHECK(alarm_at == 1100);
	run_to(1099);
	CHECK(nsig == 0);
	sched_alarm(0);                 /* a spurious alarm fires nothing */
	CHECK(nsig == 0 && alarm_at == 1100);
	run_to(1100);
	CHECK(nsig == 1 && sig[0].id == 2 && sig[0].count == 1);
	CHECK(alarm_at == 1200);
	run_to(1350);                   /* both others due at once: in order */
	CHECK(nsig == 3 && sig[1].id == 3 && sig[2].id == 1);
	CHECK(!s[0].armed && !s[1].armed && !s[2].armed);
	CHECK(alarm_at == 0);
}

static void test_ties_and_replace(void)
{
	section("equal deadlines in arming order; re-arming replaces");
	reset();
	sched_arm(&s[2], now + 50, 0);
	sched_arm(&s[0], now + 50, 0);
	sched_arm(&s[1], now + 50, 0);
	sched_arm(&s[3], now + 500, 0);
	sched_arm(&s[3], now + 20, 0);  /* replaces, now the first */
	run_to(1020);
	CHECK(nsig == 1 && sig[0].id == 4);
	run_to(1050);
	CHECK(nsig == 4 && sig[1].id == 3 && sig[2].id == 1 && sig[3].id == 2);
	run_to(1600);
	CHECK(nsig == 4);               /* the replaced 500 never fires */
}

static void test_cancel(void)
{
	section("cancel");
	reset();
	sched_arm(&s[0], now + 10, 0);
	sched_arm(&s[1], now + 20, 0);
	sched_cancel(&s[0]);
	CHECK(alarm_at == 1020);
	sched_cancel(&s[0]);            /* twice is harmless */
	sched_cancel(&s[1]);
	CHECK(alarm_at == 0);
	run_to(2000);
	CHECK(nsig == 0);
}

static void test_periodic(void)
{
	section("periodic timeouts count the periods that ended");
	reset();
	sched_arm(&s[0], now + 10000, 10000);
	run_to(11000);
	CHECK(nsig == 1 && sig[0].count == 1);
	CHECK(alarm_at == 21000);
	run_to(45000);                  /* late wake-up: periods 2, 3, 4 */
	CHECK(nsig == 2 && sig[1].count == 3);
	CHECK(alarm_at == 51000);
	run_to(51000);
	CHECK(nsig == 3 && sig[2].count == 1);

	section("a tiny period is rate-limited, not early, and counted");
	reset();
	sched_arm(&s[1], now + 10, 10);
	run_to(1010);
	CHECK(nsig == 1 && sig[0].count == 1);
	CHECK(alarm_at == 1010 + CAIRN_TIMER_MIN_WAKEUP_US);
	run_to(alarm_at);
	CHECK(nsig == 2 && sig[1].count == CAIRN_TIMER_MIN_WAKEUP_US / 10);
	/* total periods signalled never exceed the periods that ended */
	CHECK(sig[0].count + sig[1].count <= (now - 1000) / 10);
}

static void test_no_sigh(void)
{
	section("a session without handler expires silently");
	reset();
	s[0].sigh = CAIRN_CAP_INVALID;
	sched_arm(&s[0], now + 5, 0);
	run_to(1005);
	CHECK(nsig == 0 && !s[0].armed);
}

int main(void)
{
	test_order();
	test_ties_and_replace();
	test_cancel();
	test_periodic();
	test_no_sigh();
	return check_summary("timer_scheduler");
}
