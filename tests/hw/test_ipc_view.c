/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mailbox as SOF's LL domain sees it (userspace sheet §2.3), under
 * enforce=check: a user thread reads the inbox and reads and writes the
 * SW-registers page; writing the inbox or touching the outbox faults.
 */
#include <errno.h>
#include <stdint.h>

#include "check_bodies.h"
#include "sim_test.h"

#include "sofsim/fault.h"
#include "sofsim/ipc.h"
#include "sofsim/mem.h"

enum probe { READ_INBOX, WRITE_SWREGS, WRITE_INBOX, READ_OUTBOX, WRITE_OUTBOX };

struct scene {
	struct sofsim *sim;
	struct sofsim_ipc *ipc;
	enum probe probe;
	bool done;
};

static void user_probe(void *arg)
{
	struct scene *s = arg;
	size_t size;
	uint8_t *inbox = sofsim_ipc_window(s->ipc, SOFSIM_IPC_WIN_INBOX, &size);
	uint8_t *regs = sofsim_ipc_window(s->ipc, SOFSIM_IPC_WIN_FW_REGS, &size);
	uint8_t *outbox = sofsim_ipc_window(s->ipc, SOFSIM_IPC_WIN_OUTBOX, &size);

	switch (s->probe) {
	case READ_INBOX:
		body_load4(inbox + 8);
		break;
	case WRITE_SWREGS:
		body_store1(regs + 0x40);
		break;
	case WRITE_INBOX:
		body_store1(inbox + 8);
		break;
	case READ_OUTBOX:
		body_load4(outbox);
		break;
	case WRITE_OUTBOX:
		body_store1(outbox);
		break;
	}
	s->done = true;
}

/* Runs one probe in a fresh context; returns the fault count and the last fault. */
static size_t run_probe(enum sofsim_threads carrier, enum probe probe, struct sofsim_fault *f)
{
	struct scene s = { .probe = probe };
	struct sofsim_partition parts[2];
	struct sofsim_domain *dom;
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;
	size_t n;

	s.sim = test_sim_faulting(carrier, SOFSIM_PROT_ENFORCE_CHECK);
	assert_int_equal(sofsim_ipc_create(s.sim, NULL, NULL, NULL, &s.ipc), 0);
	sofsim_ipc_user_partitions(s.ipc, parts);
	assert_int_equal(sofsim_domain_create(s.sim, "ll", &dom), 0);
	assert_int_equal(sofsim_domain_add_partition(dom, &parts[0]), 0);
	assert_int_equal(sofsim_domain_add_partition(dom, &parts[1]), 0);
	assert_int_equal(sofsim_thread_create(s.sim, &a, user_probe, &s, &t), 0);
	assert_int_equal(sofsim_domain_add_thread(dom, t), 0);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	n = sofsim_fault_count(s.sim);
	if (n)
		assert_int_equal(sofsim_fault_get(s.sim, n - 1, f), 0);
	assert_int_equal(s.done, n == 0);
	assert_int_equal(sofsim_domain_remove_partition(dom, &parts[0]), 0);
	assert_int_equal(sofsim_domain_remove_partition(dom, &parts[1]), 0);
	sofsim_ipc_destroy(s.ipc);
	sofsim_destroy(s.sim);
	return n;
}

static void test_user_reads_inbox_and_writes_sw_registers(void **state)
{
	struct sofsim_fault f;

	assert_int_equal(run_probe(carrier_of(state), READ_INBOX, &f), 0);
	assert_int_equal(run_probe(carrier_of(state), WRITE_SWREGS, &f), 0);
}

static void test_user_write_to_inbox_faults(void **state)
{
	struct sofsim_fault f;

	assert_int_equal(run_probe(carrier_of(state), WRITE_INBOX, &f), 1);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_STORE_PROHIBITED); /* mapped read-only */
	assert_string_equal(f.op, "store");
}

static void test_user_access_to_outbox_faults(void **state)
{
	struct sofsim_fault f;

	assert_int_equal(run_probe(carrier_of(state), READ_OUTBOX, &f), 1);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING); /* kernel-only page */
	assert_int_equal(run_probe(carrier_of(state), WRITE_OUTBOX, &f), 1);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_user_reads_inbox_and_writes_sw_registers),
		CARRIER_TESTS(test_user_write_to_inbox_faults),
		CARRIER_TESTS(test_user_access_to_outbox_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
