/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fake DMA devices' syscall shape (userspace sheet §2.2, bug class 13):
 * a device needs a grant (get returns NULL without one, no fault); every
 * DMA syscall oopses on a pointer that is no device the caller may use; the
 * sof_dma_config verifier's deep copy refuses each malformed list with one
 * oops, freeing its copy first, and drops the user's callback; channel
 * numbers are the driver's business (-EINVAL, no fault); status and
 * attribute need writable targets; kernel threads skip every check.
 */
#include <errno.h>
#include <stdint.h>

#include "sim_test.h"

#include "sofsim/dma.h"
#include "sofsim/fault.h"
#include "sofsim/mem.h"
#include "sofsim/object.h"

#include "kernel/domain_priv.h"

/* What the user thread works with, in the LL user heap (its domain's partition). */
struct area {
	struct sofsim_dma_config cfg;
	struct sofsim_dma_block b[4];
	uint8_t buf[4][64];
	struct sofsim_dma_status st;
	uint32_t attr;
};

struct scene {
	struct sofsim *sim;
	struct sofsim_domain *dom;
	struct sofsim_heap *ll;
	struct sofsim_dma *dma;  /* the host's reference to the host-out device */
	struct area *area;
	uint8_t *kmem;           /* kernel memory: no user access */
	struct sofsim_sem *sem;  /* a kernel object of the wrong type */
	const struct sofsim_dma_config *cfgp;
	void *bad;               /* the DMA pointer of an invalid-DMA case */
	int step;
	struct test_trace tr;
};

static size_t klive(const struct scene *s)
{
	struct sofsim_heap_owner_stats st;

	sofsim_heap_stats(sofsim_kernel_heap(s->sim), &st);
	return st.count;
}

static size_t kallocs(const struct scene *s)
{
	struct sofsim_heap_owner_stats st;

	sofsim_heap_stats(sofsim_kernel_heap(s->sim), &st);
	return st.allocs;
}

static void scene_init(struct scene *s, void **state)
{
	struct sofsim_partition part;

	s->sim = test_sim_faulting(carrier_of(state), SOFSIM_PROT_VERIFY);
	s->ll = sofsim_ll_user_heap(s->sim);
	s->dom = test_ll_domain(s->sim, &part);

	assert_int_equal(sofsim_dma_init(s->sim), 0);
	assert_int_equal(sofsim_dma_init(s->sim), 0); /* idempotent */
	s->dma = sofsim_dma_get(s->sim, SOFSIM_GW_HOST_OUT, 0);
	assert_non_null(s->dma);
	assert_int_equal(sofsim_dma_channel_count(s->dma), sofsim_platform_default()->dma_channels[SOFSIM_GW_HOST_OUT]);
	s->area = sofsim_sof_heap_alloc(s->sim, s->ll, 0, sizeof(*s->area), 0);
	assert_non_null(s->area);
	memset(s->area, 0, sizeof(*s->area));
	s->kmem = sofsim_heap_alloc(sofsim_kernel_heap(s->sim), 256, "test");
	assert_non_null(s->kmem);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->sem), 0);
	s->cfgp = &s->area->cfg;
}

static struct sofsim_thread *run_user(struct scene *s, sofsim_thread_fn fn, bool grant)
{
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_thread_create(s->sim, &a, fn, s, &t), 0);
	assert_int_equal(sofsim_domain_add_thread(s->dom, t), 0);
	if (grant) {
		sofsim_object_grant(s->sim, s->dma, t);
		sofsim_object_grant(s->sim, s->sem, t);
	}
	assert_int_equal(sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
	return t;
}

static void finish(struct scene *s)
{
	sofsim_sof_heap_free(s->sim, s->ll, s->area);
	sofsim_heap_free(sofsim_kernel_heap(s->sim), s->kmem);
	sofsim_sem_destroy(s->sem);
	sofsim_domain_remove_partition(s->dom, sofsim__domain_partition_at(s->dom, 0));
	sofsim_domain_destroy(s->dom);
	sofsim_destroy(s->sim);
}

/* ---- get: permission ---- */

static void get_user(void *arg)
{
	struct scene *s = arg;
	struct sofsim_dma *d = sofsim_dma_get(s->sim, SOFSIM_GW_HOST_OUT, 0);

	trace_add(&s->tr, "get=%s", !d ? "null" : d == s->dma ? "dev" : "other");
	if (d)
		sofsim_dma_put(s->sim, d);
	trace_add(&s->tr, "kind=%s", sofsim_dma_get(s->sim, SOFSIM_GW_COUNT, 0) ? "dev" : "null");
}

static void test_get_needs_permission_and_never_faults(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	run_user(&s, get_user, false);
	assert_string_equal(s.tr.text, "get=null kind=null ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);

	s.tr = (struct test_trace){ 0 };
	run_user(&s, get_user, true);
	assert_string_equal(s.tr.text, "get=dev kind=null ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	/* The host holds the only reference left: exclusive access is refused. */
	assert_null(sofsim_dma_get(s.sim, SOFSIM_GW_HOST_OUT, SOFSIM_DMA_ACCESS_EXCLUSIVE));
	sofsim_dma_put(s.sim, s.dma);
	s.dma = sofsim_dma_get(s.sim, SOFSIM_GW_HOST_OUT, SOFSIM_DMA_ACCESS_EXCLUSIVE);
	assert_non_null(s.dma);
	finish(&s);
}

/* ---- the sof_dma_config verifier ---- */

static void dummy_callback(void *arg)
{
	(void)arg;
}

/* A good two-block MEM_TO_MEM list; each case then breaks or bends one rule. */
static void good_config(struct scene *s)
{
	struct area *a = s->area;

	memset(a, 0, sizeof(*a));
	a->cfg.slot = 3;
	a->cfg.direction = SOFSIM_DMA_MEM_TO_MEM;
	a->cfg.source_data_size = 4;
	a->cfg.dest_data_size = 4;
	a->cfg.source_burst = 8;
	a->cfg.dest_burst = 8;
	a->cfg.block_count = 2;
	a->cfg.head = &a->b[0];
	a->cfg.callback = dummy_callback;
	a->cfg.user_data = s;
	a->b[0] = (struct sofsim_dma_block){ (uintptr_t)a->buf[0], (uintptr_t)a->buf[1], 64, &a->b[1] };
	a->b[1] = (struct sofsim_dma_block){ (uintptr_t)a->buf[2], (uintptr_t)a->buf[3], 48, NULL };
	s->cfgp = &a->cfg;
}

#define FIFO_ADDR ((uintptr_t)0xdead0000u) /* neither host nor FIFO addresses are checked */

static void set_case(struct scene *s, int step)
{
	struct area *a = s->area;

	good_config(s);
	switch (step) {
	case 0: /* the good list */
		break;
	case 1: /* cyclic ring: last next = head */
		a->cfg.cyclic = 1;
		a->b[1].next = &a->b[0];
		break;
	case 2: /* last next elsewhere */
		a->b[1].next = &a->b[2];
		break;
	case 3: /* block_count larger than the list */
		a->cfg.block_count = 3;
		break;
	case 4:
		a->cfg.block_count = 0;
		break;
	case 5: /* count * block size overflows 32 bits */
		a->cfg.block_count = 0x10000000u;
		break;
	case 6: /* an unreadable node */
		a->b[0].next = (struct sofsim_dma_block *)s->kmem;
		break;
	case 7: /* the config itself unreadable */
		s->cfgp = (const struct sofsim_dma_config *)s->kmem;
		break;
	case 8: /* NULL head */
		a->cfg.head = NULL;
		a->cfg.block_count = 1;
		break;
	case 9: /* MEM_TO_MEM: dest not writable */
		a->b[0].dest = (uintptr_t)s->kmem;
		break;
	case 10: /* MEM_TO_MEM: source not readable */
		a->b[1].source = (uintptr_t)s->kmem;
		break;
	case 11: /* MEM_TO_PERIPH: FIFO unchecked */
		a->cfg.direction = SOFSIM_DMA_MEM_TO_PERIPH;
		a->b[0].dest = a->b[1].dest = FIFO_ADDR;
		break;
	case 12:
		a->cfg.direction = SOFSIM_DMA_MEM_TO_PERIPH;
		a->b[0].source = (uintptr_t)s->kmem;
		break;
	case 13: /* MEM_TO_HOST: host address unchecked */
		a->cfg.direction = SOFSIM_DMA_MEM_TO_HOST;
		a->b[1].dest = (uintptr_t)s->kmem;
		break;
	case 14:
		a->cfg.direction = SOFSIM_DMA_MEM_TO_HOST;
		a->b[1].source = (uintptr_t)s->kmem;
		break;
	case 15: /* PERIPH_TO_MEM: FIFO unchecked */
		a->cfg.direction = SOFSIM_DMA_PERIPH_TO_MEM;
		a->b[0].source = FIFO_ADDR;
		break;
	case 16:
		a->cfg.direction = SOFSIM_DMA_PERIPH_TO_MEM;
		a->b[0].dest = (uintptr_t)s->kmem;
		break;
	case 17: /* HOST_TO_MEM: host address unchecked */
		a->cfg.direction = SOFSIM_DMA_HOST_TO_MEM;
		a->b[0].source = (uintptr_t)s->kmem;
		break;
	case 18:
		a->cfg.direction = SOFSIM_DMA_HOST_TO_MEM;
		a->b[1].dest = (uintptr_t)s->kmem;
		break;
	case 19:
		a->cfg.direction = SOFSIM_DMA_PERIPH_TO_PERIPH;
		break;
	case 20:
		a->cfg.direction = 99;
		break;
	case 21: /* a one-block ring */
		a->cfg.block_count = 1;
		a->b[0].next = &a->b[0];
		break;
	case 22: /* a short ring walked past its length: the third node's next is not the head */
		a->cfg.block_count = 3;
		a->b[1].next = &a->b[0];
		break;
	}
}

static const char *const expect[] = {
	[0] = NULL,
	[1] = NULL,
	[2] = "next: last block's next",
	[3] = "head: list ends after 2 of block_count 3",
	[4] = "block_count: 0 blocks",
	[5] = "block_count: 268435456 blocks overflow",
	[6] = "head: block 1 at",
	[7] = "config: Memory region",
	[8] = "head: list ends after 0 of block_count 1",
	[9] = "dest: block 0",
	[10] = "source: block 1",
	[11] = NULL,
	[12] = "source: block 0",
	[13] = NULL,
	[14] = "source: block 1",
	[15] = NULL,
	[16] = "dest: block 0",
	[17] = NULL,
	[18] = "dest: block 1",
	[19] = "direction: 3 is not supported",
	[20] = "direction: 99 is not supported",
	[21] = NULL,
	[22] = "next: last block's next",
};

static void config_user(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "ret=%d", sofsim_dma_config(s->sim, s->dma, 0, s->cfgp));
}

static void check_stored(struct scene *s, int step)
{
	struct sofsim_dma_config k;
	const struct area *a = s->area;
	uint32_t n = a->cfg.block_count;

	assert_int_equal(sofsim_dma_channel_config(s->sim, s->dma, 0, &k), 0);
	assert_null(k.callback); /* the user's callback never reaches the channel */
	assert_null(k.user_data);
	assert_int_equal(k.slot, 3);
	assert_int_equal(k.direction, a->cfg.direction);
	assert_int_equal(k.cyclic, a->cfg.cyclic);
	assert_int_equal(k.source_data_size, 4);
	assert_int_equal(k.dest_data_size, 4);
	assert_int_equal(k.source_burst, 8);
	assert_int_equal(k.dest_burst, 8);
	assert_int_equal(k.block_count, n);
	assert_true(k.head != a->cfg.head); /* the channel's own copy */
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(k.head[i].source, a->b[i].source);
		assert_int_equal(k.head[i].dest, a->b[i].dest);
		assert_int_equal(k.head[i].size, a->b[i].size);
		if (i + 1 < n)
			assert_ptr_equal(k.head[i].next, &k.head[i + 1]);
	}
	if (step == 1 || step == 21)
		assert_ptr_equal(k.head[n - 1].next, k.head); /* ring, inside the copy */
	else
		assert_null(k.head[n - 1].next);
}

static void test_config_verifier_rules_both_ways(void **state)
{
	struct scene s = { 0 };
	bool configured = false;

	scene_init(&s, state);
	assert_int_equal(sofsim_dma_request_channel(s.sim, s.dma, 0), 0);
	for (int step = 0; step < (int)(sizeof(expect) / sizeof(expect[0])); step++) {
		size_t faults = sofsim_fault_count(s.sim), live, allocs;
		struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
		struct sofsim_thread *t;

		set_case(&s, step);
		s.tr = (struct test_trace){ 0 };
		assert_int_equal(sofsim_thread_create(s.sim, &a, config_user, &s, &t), 0);
		assert_int_equal(sofsim_domain_add_thread(s.dom, t), 0);
		sofsim_object_grant(s.sim, s.dma, t);
		live = klive(&s);
		allocs = kallocs(&s);
		assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
		assert_true(sofsim_thread_ended(t));
		if (!expect[step]) {
			assert_string_equal(s.tr.text, "ret=0 ");
			assert_int_equal(sofsim_fault_count(s.sim), faults);
			check_stored(&s, step);
			/* The verifier's copy is gone; the channel's copy replaced the previous one. */
			assert_int_equal(klive(&s), live + (configured ? 0 : 1));
			configured = true;
		} else {
			struct sofsim_fault f = test_last_fault(s.sim);

			assert_string_equal(s.tr.text, "");
			assert_int_equal(sofsim_fault_count(s.sim), faults + 1);
			assert_int_equal(f.reason, SOFSIM_REASON_KERNEL_OOPS);
			assert_string_equal(f.op, "z_vrfy_sof_dma_config");
			if (!strstr(f.detail, expect[step]))
				fail_msg("step %d: detail \"%s\" lacks \"%s\"", step, f.detail, expect[step]);
			assert_null(strstr(f.detail, "[verifier still holds")); /* bug class 25 */
			assert_int_equal(klive(&s), live); /* the copy was freed */
			if (step == 4 || step == 5 || step == 7)
				assert_int_equal(kallocs(&s), allocs); /* refused before allocating */
		}
	}
	finish(&s);
}

/* The verifier reads only its copy: changing the user list after the call changes nothing. */
static void test_channel_keeps_its_own_copy(void **state)
{
	struct scene s = { 0 };
	struct sofsim_dma_config k;

	scene_init(&s, state);
	assert_int_equal(sofsim_dma_request_channel(s.sim, s.dma, 0), 0);
	set_case(&s, 0);
	run_user(&s, config_user, true);
	assert_string_equal(s.tr.text, "ret=0 ");
	s.area->b[0].size = 7;
	s.area->b[0].next = (struct sofsim_dma_block *)s.kmem;
	assert_int_equal(sofsim_dma_channel_config(s.sim, s.dma, 0, &k), 0);
	assert_int_equal(k.head[0].size, 64);
	assert_ptr_equal(k.head[0].next, &k.head[1]);
	assert_int_equal(sofsim_dma_get_status(s.sim, s.dma, 0, &s.area->st), 0);
	assert_int_equal(s.area->st.free, 64 + 48);
	finish(&s);
}

/* ---- valid DMA, for every syscall ---- */

enum op { OP_PUT, OP_REQUEST, OP_RELEASE, OP_CONFIG, OP_START, OP_STOP, OP_RELOAD, OP_SUSPEND, OP_RESUME,
	  OP_STATUS, OP_ATTR, OP_COUNT };

static const char *const op_name[OP_COUNT] = {
	"z_vrfy_sof_dma_put",	   "z_vrfy_sof_dma_request_channel", "z_vrfy_sof_dma_release_channel",
	"z_vrfy_sof_dma_config",   "z_vrfy_sof_dma_start",	     "z_vrfy_sof_dma_stop",
	"z_vrfy_sof_dma_reload",   "z_vrfy_sof_dma_suspend",	     "z_vrfy_sof_dma_resume",
	"z_vrfy_sof_dma_get_status", "z_vrfy_sof_dma_get_attribute",
};

static int call_op(struct scene *s, struct sofsim_dma *d, int op)
{
	struct area *a = s->area;

	switch (op) {
	case OP_PUT:
		sofsim_dma_put(s->sim, d);
		return 0;
	case OP_REQUEST:
		return sofsim_dma_request_channel(s->sim, d, 1);
	case OP_RELEASE:
		return sofsim_dma_release_channel(s->sim, d, 1);
	case OP_CONFIG:
		return sofsim_dma_config(s->sim, d, 1, &a->cfg);
	case OP_START:
		return sofsim_dma_start(s->sim, d, 1);
	case OP_STOP:
		return sofsim_dma_stop(s->sim, d, 1);
	case OP_RELOAD:
		return sofsim_dma_reload(s->sim, d, 1, 0, 0, 64);
	case OP_SUSPEND:
		return sofsim_dma_suspend(s->sim, d, 1);
	case OP_RESUME:
		return sofsim_dma_resume(s->sim, d, 1);
	case OP_STATUS:
		return sofsim_dma_get_status(s->sim, d, 1, &a->st);
	default:
		return sofsim_dma_get_attribute(s->sim, d, SOFSIM_DMA_ATTR_BUFFER_ADDRESS_ALIGNMENT, &a->attr);
	}
}

static void bad_dma_user(void *arg)
{
	struct scene *s = arg;
	uint64_t on_stack[8] = { 0 };
	struct sofsim_dma *d = s->bad ? s->bad : (struct sofsim_dma *)on_stack;

	call_op(s, d, s->step);
	trace_add(&s->tr, "survived");
}

static void test_invalid_dma_oopses_for_every_syscall(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	good_config(&s);
	for (int variant = 0; variant < 3; variant++) {
		for (int op = 0; op < OP_COUNT; op++) {
			size_t faults = sofsim_fault_count(s.sim);
			struct sofsim_fault f;

			s.step = op;
			s.bad = variant == 0 ? NULL : variant == 1 ? (void *)s.sem : (void *)s.dma;
			s.tr = (struct test_trace){ 0 };
			run_user(&s, bad_dma_user, variant != 2); /* variant 2: the device, not granted */
			assert_string_equal(s.tr.text, "");
			assert_int_equal(sofsim_fault_count(s.sim), faults + 1);
			f = test_last_fault(s.sim);
			assert_int_equal(f.reason, SOFSIM_REASON_KERNEL_OOPS);
			assert_string_equal(f.op, op_name[op]);
			assert_memory_equal(f.detail, "dma: dma device ", strlen("dma: dma device "));
		}
	}
	finish(&s);
}

/* ---- channels: range and state machine, from a granted user thread ---- */

static void channels_user(void *arg)
{
	struct scene *s = arg;
	struct sofsim_dma *d = s->dma;
	struct area *a = s->area;
	unsigned n = (unsigned)s->step;

	trace_add(&s->tr, "req-n=%d", sofsim_dma_request_channel(s->sim, d, n));
	trace_add(&s->tr, "req-big=%d", sofsim_dma_request_channel(s->sim, d, 1000));
	trace_add(&s->tr, "rel-n=%d", sofsim_dma_release_channel(s->sim, d, n));
	trace_add(&s->tr, "start-n=%d", sofsim_dma_start(s->sim, d, n));
	trace_add(&s->tr, "stop-n=%d", sofsim_dma_stop(s->sim, d, n));
	trace_add(&s->tr, "cfg-n=%d", sofsim_dma_config(s->sim, d, n, &a->cfg));
	trace_add(&s->tr, "status-n=%d", sofsim_dma_get_status(s->sim, d, n, &a->st));
	trace_add(&s->tr, "req0=%d", sofsim_dma_request_channel(s->sim, d, 0));
	trace_add(&s->tr, "again=%d", sofsim_dma_request_channel(s->sim, d, 0));
	trace_add(&s->tr, "start=%d", sofsim_dma_start(s->sim, d, 0));
	trace_add(&s->tr, "stop=%d", sofsim_dma_stop(s->sim, d, 0));
	trace_add(&s->tr, "suspend=%d", sofsim_dma_suspend(s->sim, d, 0));
	trace_add(&s->tr, "reload=%d", sofsim_dma_reload(s->sim, d, 0, 0, 0, 16));
	trace_add(&s->tr, "cfg=%d", sofsim_dma_config(s->sim, d, 0, &a->cfg));
	sofsim_dma_get_status(s->sim, d, 0, &a->st);
	trace_add(&s->tr, "free=%u pending=%u busy=%d", a->st.free, a->st.pending, a->st.busy);
	trace_add(&s->tr, "start=%d", sofsim_dma_start(s->sim, d, 0));
	sofsim_dma_get_status(s->sim, d, 0, &a->st);
	trace_add(&s->tr, "busy=%d copied=%u", a->st.busy, (unsigned)a->st.total_copied);
	trace_add(&s->tr, "cfg-running=%d", sofsim_dma_config(s->sim, d, 0, &a->cfg));
	trace_add(&s->tr, "resume=%d", sofsim_dma_resume(s->sim, d, 0));
	trace_add(&s->tr, "suspend=%d", sofsim_dma_suspend(s->sim, d, 0));
	trace_add(&s->tr, "resume=%d", sofsim_dma_resume(s->sim, d, 0));
	trace_add(&s->tr, "reload=%d", sofsim_dma_reload(s->sim, d, 0, 0, 0, 16));
	trace_add(&s->tr, "stop=%d", sofsim_dma_stop(s->sim, d, 0));
	trace_add(&s->tr, "rel=%d", sofsim_dma_release_channel(s->sim, d, 0));
	trace_add(&s->tr, "start-rel=%d", sofsim_dma_start(s->sim, d, 0));
	trace_add(&s->tr, "status-rel=%d", sofsim_dma_get_status(s->sim, d, 0, &a->st));
	trace_add(&s->tr, "any=%d", sofsim_dma_request_channel(s->sim, d, SOFSIM_DMA_CHAN_ANY));
	trace_add(&s->tr, "attr=%d", sofsim_dma_get_attribute(s->sim, d, SOFSIM_DMA_ATTR_BUFFER_ADDRESS_ALIGNMENT,
								&a->attr));
	trace_add(&s->tr, "align=%u", a->attr);
	trace_add(&s->tr, "attr-bad=%d", sofsim_dma_get_attribute(s->sim, d, 99, &a->attr));
}

static void test_channel_range_and_state_machine(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	good_config(&s);
	s.step = (int)sofsim_dma_channel_count(s.dma);
	run_user(&s, channels_user, true);
	assert_string_equal(s.tr.text, "req-n=-22 req-big=-22 rel-n=-22 start-n=-22 stop-n=-22 cfg-n=-22 status-n=-22 "
				       "req0=0 again=-16 start=-22 stop=0 suspend=-22 reload=-22 cfg=0 "
				       "free=112 pending=0 busy=0 start=0 busy=1 copied=0 cfg-running=-16 resume=-22 "
				       "suspend=0 resume=0 reload=0 stop=0 rel=0 start-rel=-22 status-rel=-22 any=0 "
				       "attr=0 align=128 attr-bad=-22 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	/* Every channel taken: ANY is busy. */
	for (unsigned i = 1; i < sofsim_dma_channel_count(s.dma); i++)
		assert_int_equal(sofsim_dma_request_channel(s.sim, s.dma, SOFSIM_DMA_CHAN_ANY), (int)i);
	assert_int_equal(sofsim_dma_request_channel(s.sim, s.dma, SOFSIM_DMA_CHAN_ANY), -EBUSY);
	finish(&s);
}

/* ---- status and attribute targets ---- */

static void unwritable_user(void *arg)
{
	struct scene *s = arg;

	sofsim_dma_request_channel(s->sim, s->dma, 2);
	if (s->step == 0)
		sofsim_dma_get_status(s->sim, s->dma, 2, (struct sofsim_dma_status *)s->kmem);
	else
		sofsim_dma_get_attribute(s->sim, s->dma, SOFSIM_DMA_ATTR_COPY_ALIGNMENT, (uint32_t *)s->kmem);
	trace_add(&s->tr, "survived");
}

static void test_status_and_attribute_need_writable_targets(void **state)
{
	static const char *const detail[] = { "stat: Memory region", "value: Memory region" };
	static const char *const op[] = { "z_vrfy_sof_dma_get_status", "z_vrfy_sof_dma_get_attribute" };

	for (int step = 0; step < 2; step++) {
		struct scene s = { .step = step };
		struct sofsim_fault f;

		scene_init(&s, state);
		run_user(&s, unwritable_user, true);
		assert_string_equal(s.tr.text, "");
		assert_int_equal(sofsim_fault_count(s.sim), 1);
		f = test_last_fault(s.sim);
		assert_string_equal(f.op, op[step]);
		assert_memory_equal(f.detail, detail[step], strlen(detail[step]));
		assert_non_null(strstr(f.detail, "write access denied"));
		finish(&s);
	}
}

/* ---- kernel threads: no checks ---- */

static void kernel_user(void *arg)
{
	struct scene *s = arg;
	struct sofsim_dma *d = sofsim_dma_get(s->sim, SOFSIM_GW_SSP, 0); /* never granted */
	struct sofsim_dma_block *b = (struct sofsim_dma_block *)s->kmem;
	struct sofsim_dma_config cfg = { .direction = SOFSIM_DMA_MEM_TO_MEM, .block_count = 1, .head = b,
					 .callback = dummy_callback, .user_data = s };
	struct sofsim_dma_config k = { 0 };
	struct sofsim_dma_status *st = (struct sofsim_dma_status *)(s->kmem + 64);
	uint32_t *attr = (uint32_t *)(s->kmem + 128);

	*b = (struct sofsim_dma_block){ (uintptr_t)(s->kmem + 160), (uintptr_t)(s->kmem + 192), 32, NULL };
	trace_add(&s->tr, "init=%d", sofsim_dma_init(s->sim));
	trace_add(&s->tr, "get=%s", d ? "dev" : "null");
	trace_add(&s->tr, "req=%d", sofsim_dma_request_channel(s->sim, d, 5));
	trace_add(&s->tr, "cfg=%d", sofsim_dma_config(s->sim, d, 5, &cfg));
	sofsim_dma_channel_config(s->sim, d, 5, &k);
	trace_add(&s->tr, "callback=%s", k.callback == dummy_callback ? "kept" : "dropped");
	trace_add(&s->tr, "start=%d", sofsim_dma_start(s->sim, d, 5));
	trace_add(&s->tr, "status=%d", sofsim_dma_get_status(s->sim, d, 5, st));
	trace_add(&s->tr, "free=%u", st->free);
	trace_add(&s->tr, "attr=%d", sofsim_dma_get_attribute(s->sim, d, SOFSIM_DMA_ATTR_MAX_BLOCK_COUNT, attr));
	trace_add(&s->tr, "stop=%d", sofsim_dma_stop(s->sim, d, 5));
	cfg.block_count = 2; /* a malformed list from the kernel is an error, not a fault */
	trace_add(&s->tr, "short=%d", sofsim_dma_config(s->sim, d, 5, &cfg));
	trace_add(&s->tr, "rel=%d", sofsim_dma_release_channel(s->sim, d, 5));
	sofsim_dma_put(s->sim, d);
}

static void test_kernel_threads_use_everything_without_checks(void **state)
{
	struct scene s = { 0 };
	struct sofsim_thread_attr a = { .name = "kernel", .prio = 1, .core = 0 };
	struct sofsim_thread *t;

	scene_init(&s, state);
	assert_int_equal(sofsim_thread_create(s.sim, &a, kernel_user, &s, &t), 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "init=0 get=dev req=5 cfg=0 callback=kept start=0 status=0 free=32 attr=0 "
				       "stop=0 short=-22 rel=0 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	finish(&s);
}

static void init_from_user(void *arg)
{
	struct scene *s = arg;

	sofsim_dma_init(s->sim);
	trace_add(&s->tr, "survived");
}

static void test_init_is_kernel_only(void **state)
{
	struct scene s = { 0 };
	struct sofsim_fault f;

	scene_init(&s, state);
	run_user(&s, init_from_user, true);
	assert_string_equal(s.tr.text, "");
	f = test_last_fault(s.sim);
	assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
	assert_string_equal(f.op, "sofsim_dma_init");
	finish(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_get_needs_permission_and_never_faults),
		CARRIER_TESTS(test_config_verifier_rules_both_ways),
		CARRIER_TESTS(test_channel_keeps_its_own_copy),
		CARRIER_TESTS(test_invalid_dma_oopses_for_every_syscall),
		CARRIER_TESTS(test_channel_range_and_state_machine),
		CARRIER_TESTS(test_status_and_attribute_need_writable_targets),
		CARRIER_TESTS(test_kernel_threads_use_everything_without_checks),
		CARRIER_TESTS(test_init_is_kernel_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
