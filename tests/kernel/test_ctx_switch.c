/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The carriers' register switch (lib/kernel/ctx_switch.c): what a thread
 * keeps across switches is exactly what the ABI says a call keeps, its
 * floating-point control state is its own, and a new thread starts on an
 * aligned stack. Every test runs on both thread carriers.
 */
#include <fenv.h>
#include <stdint.h>

#include "sim_test.h"

#include "sofsim/mem.h"

#include "kernel/kernel_priv.h"

struct scene {
	struct sofsim *sim;
	struct sofsim_sem *go_a, *go_b;
	int a_round_before, a_round_after, b_round;
	unsigned a_sse_after, b_sse;
	uint64_t sums[2];
	uintptr_t frame;
};

static void scene_open(struct scene *s, void **state)
{
	*s = (struct scene){ 0 };
	s->sim = test_sim_create(carrier_of(state), NULL, 1);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->go_a), 0);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->go_b), 0);
}

static void spawn(struct scene *s, const char *name, sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = 1 };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, fn, s, &t), 0);
}

/*
 * The SSE rounding control (MXCSR bits 13-14: 0 nearest, 1 down, 2 up),
 * read from the register itself: Valgrind models the register but rounds
 * SSE arithmetic to nearest whatever it says.
 */
static unsigned sse_rounding(void)
{
	return ((unsigned)__builtin_ia32_stmxcsr() >> 13) & 3u;
}

static void fp_thread_a(void *arg)
{
	struct scene *s = arg;

	fesetround(FE_UPWARD); /* sets both the x87 control word and MXCSR */
	s->a_round_before = fegetround();
	sofsim_sem_give(s->go_b);
	sofsim_sem_take(s->go_a, SOFSIM_FOREVER);
	s->a_round_after = fegetround();
	s->a_sse_after = sse_rounding();
	fesetround(FE_TONEAREST);
}

static void fp_thread_b(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->go_b, SOFSIM_FOREVER);
	s->b_round = fegetround();
	s->b_sse = sse_rounding();
	fesetround(FE_DOWNWARD);
	sofsim_sem_give(s->go_a);
	fesetround(FE_TONEAREST);
}

static void test_rounding_mode_belongs_to_the_thread(void **state)
{
	struct scene s;

	scene_open(&s, state);
	spawn(&s, "fp-a", fp_thread_a);
	spawn(&s, "fp-b", fp_thread_b);
	assert_int_equal(sofsim_run_until_idle(s.sim, 1000000), 0);
	assert_int_equal(s.a_round_before, FE_UPWARD);
	/* B's FE_DOWNWARD did not follow A back, in either unit */
	assert_int_equal(s.a_round_after, FE_UPWARD);
	assert_int_equal(s.a_sse_after, 2);
	/* nor did A's FE_UPWARD follow B */
	assert_int_equal(s.b_round, FE_TONEAREST);
	assert_int_equal(s.b_sse, 0);
	/* and the host keeps its own */
	assert_int_equal(fegetround(), FE_TONEAREST);
	assert_int_equal(sse_rounding(), 0);
	sofsim_destroy(s.sim);
}

/* Values live across many switches at every depth of a recursion sit in callee-saved registers. */
static uint64_t mix(struct scene *s, struct sofsim_sem *mine, struct sofsim_sem *other, unsigned depth, uint64_t x)
{
	uint64_t a = x * 0x9e3779b97f4a7c15u, b = a ^ (a >> 29), c = b + depth, d = c * 31u, e = d ^ x;

	if (depth == 0) {
		sofsim_sem_give(other);
		sofsim_sem_take(mine, SOFSIM_FOREVER);
		return a + b + c + d + e;
	}
	x = mix(s, mine, other, depth - 1, e);
	sofsim_sem_give(other);
	sofsim_sem_take(mine, SOFSIM_FOREVER);
	return x + (a ^ b) + (c ^ d) + e;
}

static uint64_t mix_alone(unsigned depth, uint64_t x)
{
	uint64_t a = x * 0x9e3779b97f4a7c15u, b = a ^ (a >> 29), c = b + depth, d = c * 31u, e = d ^ x;

	if (depth == 0)
		return a + b + c + d + e;
	return mix_alone(depth - 1, e) + (a ^ b) + (c ^ d) + e;
}

static void mixer_a(void *arg)
{
	struct scene *s = arg;

	s->sums[0] = mix(s, s->go_a, s->go_b, 40, 7);
	sofsim_sem_give(s->go_b); /* B's last take */
}

static void mixer_b(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->go_b, SOFSIM_FOREVER);
	s->sums[1] = mix(s, s->go_b, s->go_a, 40, 11);
}

static void test_callee_saved_values_survive_switches(void **state)
{
	struct scene s;

	scene_open(&s, state);
	spawn(&s, "mix-a", mixer_a);
	spawn(&s, "mix-b", mixer_b);
	assert_int_equal(sofsim_run_until_idle(s.sim, 1000000), 0);
	/* The same computation without a single switch gives the reference. */
	assert_true(s.sums[0] == mix_alone(40, 7));
	assert_true(s.sums[1] == mix_alone(40, 11));
	sofsim_destroy(s.sim);
}

static void frame_thread(void *arg)
{
	struct scene *s = arg;

	s->frame = (uintptr_t)__builtin_frame_address(0);
}

/* After the call into it and its push of the frame pointer, an ABI-aligned entry's frame is 16-aligned. */
static void test_new_thread_stack_is_abi_aligned(void **state)
{
	struct scene s;

	scene_open(&s, state);
	spawn(&s, "frame", frame_thread);
	assert_int_equal(sofsim_run_until_idle(s.sim, 1000000), 0);
	assert_true(s.frame != 0);
	assert_int_equal(s.frame % 16, 0);
	sofsim_destroy(s.sim);
}

static void returns_at_once(void *arg)
{
	(void)arg;
}

#define BRIEF_STACK 16384

/* A thread that has run and ended; *stack_top is where its stack mapping ends. */
static struct sofsim_thread *brief_thread_ended(struct sofsim *sim, uintptr_t *stack_top)
{
	struct sofsim_thread_attr attr = { .name = "brief", .prio = 1, .stack_bytes = BRIEF_STACK };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_thread_create(sim, &attr, returns_at_once, NULL, &t), 0);
	*stack_top = (uintptr_t)t->stack + t->stack_map_bytes;
	assert_int_equal(sofsim_run_until_idle(sim, 1000000), 0);
	assert_true(sofsim_thread_ended(t));
	return t;
}

/* First fit hands out that stack's guard page and stack again: every byte must take a store. */
static void assert_stack_pages_reusable(struct sofsim *sim, uintptr_t stack_top)
{
	const size_t bytes = BRIEF_STACK + SOFSIM_PAGE_BYTES;
	volatile uint8_t *pages;

	assert_int_equal(sofsim_arena_take(sim, SOFSIM_ARENA_DSP, bytes, (void **)&pages), 0);
	assert_true((uintptr_t)pages + bytes == stack_top);
	for (size_t i = 0; i < bytes; i++)
		pages[i] = (uint8_t)i; /* an instrumented store to every byte */
	sofsim_arena_give(sim, (void *)pages, bytes);
}

/*
 * A thread's last frames never return (it leaves through the switch), so
 * under ASan their redzones stay in the shadow of its stack, and under
 * Valgrind what it popped is no-access: once the thread is released, the
 * same pages handed out again must be clean. (In builds without a tool
 * this checks only the reuse.)
 */
static void test_released_stack_pages_come_back_clean(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), NULL, 1);
	uintptr_t stack_top;

	assert_int_equal(sofsim_thread_release(brief_thread_ended(sim, &stack_top)), 0);
	assert_stack_pages_reusable(sim, stack_top);
	sofsim_destroy(sim);
}

/* The same for a thread created since a snapshot: the reset takes its stack away, and its pages come back clean. */
static void test_reset_leaves_pages_of_new_stacks_clean(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), NULL, 1);
	uintptr_t stack_top;
	char why[128];

	assert_int_equal(sofsim_snapshot(sim, why, sizeof(why)), 0);
	brief_thread_ended(sim, &stack_top);
	assert_int_equal(sofsim_reset(sim), 0);
	assert_stack_pages_reusable(sim, stack_top);
	sofsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_rounding_mode_belongs_to_the_thread),
		CARRIER_TESTS(test_callee_saved_values_survive_switches),
		CARRIER_TESTS(test_new_thread_stack_is_abi_aligned),
		CARRIER_TESTS(test_released_stack_pages_come_back_clean),
		CARRIER_TESTS(test_reset_leaves_pages_of_new_stacks_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
