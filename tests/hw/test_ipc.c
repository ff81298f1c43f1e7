/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ACE IPC block (ABI sheet §8): every handshake rule both ways, DONE
 * and reply in both orders, the TX queue's timing and order, payload
 * limits, the FW-registers layout, and EXCEPTION_CAUGHT on a halt.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "sim_test.h"

#include "sofsim/arch.h"
#include "sofsim/fault.h"
#include "sofsim/ipc.h"

#define US SOFSIM_NSEC_PER_USEC

struct scene {
	struct sofsim *sim;
	struct sofsim_ipc *ipc;
	struct sofsim_sem *doorbell;
	uint32_t primary, ext;
	unsigned requests;
	bool no_reply;
	uint64_t rx_at;
};

/* The doorbell ISR latches the words and wakes the kernel IPC thread, as SOF's does. */
static void rx(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, void *arg)
{
	struct scene *s = arg;

	(void)ipc;
	s->primary = primary;
	s->ext = ext;
	s->rx_at = sofsim_now(s->sim);
	sofsim_sem_give(s->doorbell);
}

/* Reply = request type with bit 29 set and status 0, ext echoed (ABI §1.4). */
static void ipc_thread(void *arg)
{
	struct scene *s = arg;

	for (;;) {
		sofsim_sem_take(s->doorbell, SOFSIM_FOREVER);
		s->requests++;
		assert_int_equal(sofsim_ipc_dsp_done(s->ipc), 0);
		if (!s->no_reply)
			assert_int_equal(sofsim_ipc_dsp_send(s->ipc, (s->primary & 0xff000000u) | SOFSIM_IPC_REPLY_BIT,
							     s->ext, NULL, 0, true), 0);
	}
}

static void scene_init(struct scene *s, void **state, const struct sofsim_ipc_config *cfg)
{
	struct sofsim_thread_attr a = { .name = "edf_workq", .prio = 1, .core = 0 };
	struct sofsim_thread *t;

	*s = (struct scene){ .sim = test_sim_create(carrier_of(state), NULL, 1) };
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->doorbell), 0);
	assert_int_equal(sofsim_ipc_create(s->sim, cfg, rx, s, &s->ipc), 0);
	assert_int_equal(sofsim_thread_create(s->sim, &a, ipc_thread, s, &t), 0);
	assert_int_equal(sofsim_run_until(s->sim, 0), 0);
}

static void scene_end(struct scene *s)
{
	sofsim_ipc_destroy(s->ipc);
	sofsim_destroy(s->sim);
}

static uint32_t host_reg(struct scene *s, uint32_t off)
{
	uint32_t v = 0;

	assert_int_equal(sofsim_ipc_host_reg_read(s->ipc, off, &v), 0);
	return v;
}

static void test_request_reply_round_trip(void **state)
{
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x11000003u, .ext = 0x1234 }, rep;

	scene_init(&s, state, NULL);
	assert_int_equal(sofsim_ipc_host_xfer(s.ipc, &req, &rep), 0);
	/* CREATE_PIPELINE 0x11000003 -> reply 0x31000000, ext echoed (ABI §1.4). */
	assert_int_equal(rep.primary, 0x31000000u);
	assert_int_equal(rep.ext, 0x1234);
	assert_int_equal(s.primary, 0x11000003u);
	assert_int_equal(s.ext, 0x1234);
	/* The reply left the TX queue one send period after it was queued. */
	assert_int_equal(sofsim_now(s.sim), 100 * US);
	/* Afterwards: doorbells idle, DONE cleared by the host. */
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXIDR) & SOFSIM_IPC_BUSY, 0);
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXIDA), 0);
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXTDR) & SOFSIM_IPC_BUSY, 0);
	scene_end(&s);
}

static void test_host_send_before_done_is_busy(void **state)
{
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x12000000u }, rep;

	scene_init(&s, state, NULL);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), -EBUSY);
	/* Ringing by register is refused the same way. */
	assert_int_equal(sofsim_ipc_host_reg_write(s.ipc, SOFSIM_IPC_HFIPCXIDR, 0x12000000u | SOFSIM_IPC_BUSY),
			 -EBUSY);
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), 0);
	assert_int_equal(s.requests, 1);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), 0);
	assert_int_equal(s.requests, 2);
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), -EINVAL); /* none in flight */
	scene_end(&s);
}

static void test_double_acknowledgements_are_errors(void **state)
{
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x12000000u }, rep;

	scene_init(&s, state, NULL);
	/* Nothing in flight: no DONE to give, none to clear, no DSP message to ack. */
	assert_int_equal(sofsim_ipc_dsp_done(s.ipc), -EPROTO);
	assert_int_equal(sofsim_ipc_host_reg_write(s.ipc, SOFSIM_IPC_HFIPCXIDA, SOFSIM_IPC_DONE), -EPROTO);
	assert_int_equal(sofsim_ipc_host_ack(s.ipc), -EPROTO);
	assert_int_equal(sofsim_ipc_dsp_reg_write(s.ipc, SOFSIM_IPC_DSP_IDA, SOFSIM_IPC_DONE), -EPROTO);
	assert_int_equal(sofsim_ipc_host_xfer(s.ipc, &req, &rep), 0);
	/* The request is complete: a second DONE from the DSP is a double ack. */
	assert_int_equal(sofsim_ipc_dsp_reg_write(s.ipc, SOFSIM_IPC_DSP_TDA, 0), -EPROTO);
	assert_int_equal(sofsim_ipc_host_reg_write(s.ipc, SOFSIM_IPC_HFIPCXTDR, SOFSIM_IPC_BUSY), -EPROTO);
	scene_end(&s);
}

static void test_done_first_then_reply_by_default(void **state)
{
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x13000000u }, rep;

	scene_init(&s, state, NULL);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	/* At t=0 the IPC thread has run: DONE is up, the reply still queued. */
	assert_int_equal(sofsim_run_until(s.sim, 50 * US), 0);
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXIDA), SOFSIM_IPC_DONE);
	assert_int_equal(sofsim_ipc_dsp_queued(s.ipc), 1);
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), 0);
	assert_int_equal(sofsim_now(s.sim), 100 * US);
	scene_end(&s);
}

static void test_reply_before_done_knob(void **state)
{
	struct sofsim_ipc_config cfg = { .reply_before_done = true };
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x13000000u }, rep;

	scene_init(&s, state, &cfg);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	assert_int_equal(sofsim_run_until(s.sim, 50 * US), 0);
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXIDA), 0); /* DONE held back */
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), 0);
	assert_int_equal(rep.primary, 0x33000000u);
	assert_int_equal(sofsim_now(s.sim), 100 * US);
	scene_end(&s);
}

static void test_reply_is_sent_ahead_of_queued_notification(void **state)
{
	struct sofsim_ipc_config cfg = { .host_manual_ack = true };
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x13000000u }, n;

	scene_init(&s, state, &cfg);
	/* A notification queued at t=0, then the request arrives at t=10 µs. */
	assert_int_equal(sofsim_ipc_dsp_send(s.ipc, 0x1B050000u, 7, "abc", 3, false), 0);
	assert_int_equal(sofsim_run_until(s.sim, 10 * US), 0);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	/* At 100 µs the work queue sends the head: the reply was prepended. */
	assert_int_equal(sofsim_run_until(s.sim, 100 * US), 0);
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXTDR), SOFSIM_IPC_BUSY | 0x33000000u);
	/* The host has not acknowledged: nothing more goes out, however long we wait. */
	assert_int_equal(sofsim_run_until(s.sim, 1000 * US), 0);
	assert_int_equal(sofsim_ipc_dsp_queued(s.ipc), 1);
	assert_int_equal(sofsim_ipc_host_notification(s.ipc, &n), -ENOENT);
	/* Ack at 1 ms: the notification follows at the next 100 µs period. */
	assert_int_equal(sofsim_ipc_host_ack(s.ipc), 0);
	assert_int_equal(sofsim_run_until(s.sim, 1099 * US), 0);
	assert_int_equal(sofsim_ipc_dsp_queued(s.ipc), 1);
	assert_int_equal(sofsim_run_until(s.sim, 1100 * US), 0);
	assert_int_equal(sofsim_ipc_dsp_queued(s.ipc), 0);
	assert_int_equal(sofsim_ipc_host_notification(s.ipc, &n), 0);
	assert_int_equal(n.primary, 0x1B050000u);
	assert_int_equal(n.ext, 7);
	assert_int_equal(n.size, 3);
	assert_memory_equal(n.data, "abc", 3);
	scene_end(&s);
}

static void test_emergency_send_bypasses_the_queue(void **state)
{
	struct scene s;
	struct sofsim_ipc_msg n;

	scene_init(&s, state, NULL);
	assert_int_equal(sofsim_ipc_dsp_send(s.ipc, 0x1B050000u, 1, NULL, 0, false), 0);
	assert_int_equal(sofsim_ipc_dsp_send_emergency(s.ipc, SOFSIM_IPC4_EXCEPTION_CAUGHT, 3), 0);
	/* At once, not after 100 µs, and ahead of the queued notification. */
	assert_int_equal(sofsim_ipc_host_notification(s.ipc, &n), 0);
	assert_int_equal(n.primary, SOFSIM_IPC4_EXCEPTION_CAUGHT);
	assert_int_equal(n.ext, 3);
	assert_int_equal(sofsim_now(s.sim), 0);
	assert_int_equal(sofsim_run_until(s.sim, 100 * US), 0);
	assert_int_equal(sofsim_ipc_host_notification(s.ipc, &n), 0);
	assert_int_equal(n.primary, 0x1B050000u);
	scene_end(&s);
}

static void test_payload_limits_host_and_window(void **state)
{
	struct scene s;
	static struct sofsim_ipc_msg big;
	static uint8_t buf[8193];
	size_t size;

	scene_init(&s, state, NULL);
	/* Linux sends at most 4,096 bytes (ABI §8.4); the inbox window holds 8,192. */
	big.primary = 0x44000000u;
	big.size = 4097;
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &big), -EINVAL);
	assert_non_null(sofsim_ipc_window(s.ipc, SOFSIM_IPC_WIN_INBOX, &size));
	assert_int_equal(size, 8192);
	assert_int_equal(sofsim_ipc_window_write(s.ipc, SOFSIM_IPC_WIN_INBOX, 0, buf, 8192), 0);
	assert_int_equal(sofsim_ipc_window_write(s.ipc, SOFSIM_IPC_WIN_INBOX, 0, buf, 8193), -EINVAL);
	assert_int_equal(sofsim_ipc_window_read(s.ipc, SOFSIM_IPC_WIN_INBOX, 1, buf, 8192), -EINVAL);
	assert_int_equal(sofsim_ipc_dsp_send(s.ipc, 0x1B050000u, 0, buf, 4097, false), -EINVAL);
	big.size = 4096;
	memset(big.data, 0x5a, sizeof(big.data));
	s.no_reply = true;
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &big), 0);
	assert_int_equal(sofsim_ipc_window_read(s.ipc, SOFSIM_IPC_WIN_INBOX, 4095, buf, 1), 0);
	assert_int_equal(buf[0], 0x5a);
	scene_end(&s);
}

/* Offsets of ABI §10's table, written down by hand. */
static void test_fw_registers_layout_matches_abi(void **state)
{
	struct scene s;
	const struct sofsim_fw_regs *r;
	size_t size;

	assert_int_equal(offsetof(struct sofsim_fw_regs, abi_ver), 0x01C);
	assert_int_equal(offsetof(struct sofsim_fw_regs, secondary_core_status), 0x020);
	assert_int_equal(offsetof(struct sofsim_fw_regs, pipeline_regs), 0x040);
	assert_int_equal(offsetof(struct sofsim_fw_regs, peak_vol_regs), 0x140);
	assert_int_equal(offsetof(struct sofsim_fw_regs, llp_gpdma_reading_slots), 0x740);
	assert_int_equal(offsetof(struct sofsim_fw_regs, llp_sndw_reading_slots), 0x920);
	assert_int_equal(offsetof(struct sofsim_fw_regs, llp_evad_reading_slot), 0xA4C);
	assert_int_equal(sizeof(struct sofsim_fw_regs), 0xA60);
	scene_init(&s, state, NULL);
	r = sofsim_ipc_window(s.ipc, SOFSIM_IPC_WIN_FW_REGS, &size);
	assert_int_equal(size, 4096);
	assert_int_equal(r->abi_ver, 1);
	assert_true(r->pipeline_regs[0].stream_start_offset == UINT64_MAX);
	assert_true(r->pipeline_regs[15].stream_end_offset == UINT64_MAX);
	scene_end(&s);
}

static void faulter(void *arg)
{
	(void)arg;
	sofsim_thread_user_mode_enter(((struct scene *)arg)->sim);
	sofsim_arch_proc_id(((struct scene *)arg)->sim); /* a privileged read in user mode */
}

static void test_halt_sends_exception_caught_then_host_times_out(void **state)
{
	struct scene s;
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 3 };
	struct sofsim_thread *t;
	struct sofsim_ipc_msg req = { .primary = 0x11000000u }, rep, n;

	scene_init(&s, state, NULL);
	sofsim_set_report_stream(s.sim, test_null_stream());
	assert_int_equal(sofsim_thread_create(s.sim, &a, faulter, &s, &t), 0);
	assert_int_equal(sofsim_run_until(s.sim, 10 * US), 0);
	assert_true(sofsim_halted(s.sim));
	assert_int_equal(sofsim_ipc_host_notification(s.ipc, &n), 0);
	assert_int_equal(n.primary, SOFSIM_IPC4_EXCEPTION_CAUGHT);
	assert_int_equal(n.ext, 3); /* the faulting core */
	/* A halted DSP never answers: Linux's 500 ms time-out, in virtual time. */
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), -ETIMEDOUT);
	assert_int_equal(sofsim_now(s.sim), 10 * US + SOFSIM_IPC_HOST_TIMEOUT_NS);
	scene_end(&s);
}

/* CTL bit 0 (TBIE) masks the doorbell interrupt: the request waits, latched, until it is enabled. */
static void test_masked_doorbell_interrupt_fires_when_enabled(void **state)
{
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x12000000u }, rep;
	uint32_t ctl;

	scene_init(&s, state, NULL);
	assert_int_equal(sofsim_ipc_dsp_reg_read(s.ipc, SOFSIM_IPC_DSP_CTL, &ctl), 0);
	assert_int_equal(ctl, 3u); /* both enabled at boot */
	assert_int_equal(sofsim_ipc_dsp_reg_write(s.ipc, SOFSIM_IPC_DSP_CTL, 2u), 0);
	assert_int_equal(sofsim_ipc_host_send(s.ipc, &req), 0);
	assert_int_equal(sofsim_run_until(s.sim, 300 * US), 0);
	assert_int_equal(s.requests, 0);
	assert_int_equal(host_reg(&s, SOFSIM_IPC_HFIPCXIDR), SOFSIM_IPC_BUSY | 0x12000000u);
	assert_int_equal(sofsim_ipc_dsp_reg_write(s.ipc, SOFSIM_IPC_DSP_CTL, 3u), 0);
	assert_int_equal(sofsim_ipc_host_wait(s.ipc, &rep, SOFSIM_IPC_HOST_TIMEOUT_NS), 0);
	assert_int_equal(s.requests, 1);
	assert_int_equal(s.rx_at, 300 * US);
	assert_int_equal(sofsim_now(s.sim), 400 * US);
	scene_end(&s);
}

/* Every register write and mailbox transfer of a round trip is in the event log, in order. */
static void test_register_writes_and_mailbox_transfers_are_traced(void **state)
{
	static const struct {
		uint32_t a, b;
	} want[] = {
		{ 0x80000000u | SOFSIM_IPC_HFIPCXIDDY, 0x77 },                      /* host: ext */
		{ 0x80000000u | SOFSIM_IPC_HFIPCXIDR, SOFSIM_IPC_BUSY | 0x12000000u }, /* host: doorbell */
		{ SOFSIM_IPC_DSP_TDR, SOFSIM_IPC_BUSY },                             /* DSP ISR: clear */
		{ SOFSIM_IPC_DSP_TDA, 0 },                                           /* DSP: DONE */
		{ SOFSIM_IPC_DSP_IDD, 0x77 },                                        /* DSP: reply ext */
		{ SOFSIM_IPC_DSP_IDR, SOFSIM_IPC_BUSY | 0x32000000u },              /* DSP: reply */
		{ 0x80000000u | SOFSIM_IPC_HFIPCXTDR, SOFSIM_IPC_BUSY },            /* host: ack, w1c */
		{ 0x80000000u | SOFSIM_IPC_HFIPCXTDA, 0 },                          /* host: ack -> DSP DONE */
		{ SOFSIM_IPC_DSP_IDA, SOFSIM_IPC_DONE },                             /* DSP ISR: w1c */
		{ 0x80000000u | SOFSIM_IPC_HFIPCXIDA, SOFSIM_IPC_DONE },            /* host: clear DONE */
	};
	struct scene s;
	struct sofsim_ipc_msg req = { .primary = 0x12000000u, .ext = 0x77 }, rep;
	struct sofsim_event e;
	size_t n = 0, mbox = 0;

	scene_init(&s, state, NULL);
	assert_int_equal(sofsim_ipc_host_xfer(s.ipc, &req, &rep), 0);
	for (size_t i = 0; i < sofsim_evlog_size(s.sim); i++) {
		assert_int_equal(sofsim_evlog_get(s.sim, i, &e), 0);
		if (e.kind == SOFSIM_EV_IPC_MBOX)
			mbox++;
		if (e.kind != SOFSIM_EV_IPC_REG)
			continue;
		assert_true(n < sizeof(want) / sizeof(want[0]));
		assert_int_equal(e.a, want[n].a);
		assert_int_equal(e.b, want[n].b);
		n++;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(mbox, 1); /* the reply's (empty) outbox write; the request had no payload */
	scene_end(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_request_reply_round_trip),
		CARRIER_TESTS(test_host_send_before_done_is_busy),
		CARRIER_TESTS(test_double_acknowledgements_are_errors),
		CARRIER_TESTS(test_done_first_then_reply_by_default),
		CARRIER_TESTS(test_reply_before_done_knob),
		CARRIER_TESTS(test_reply_is_sent_ahead_of_queued_notification),
		CARRIER_TESTS(test_emergency_send_bypasses_the_queue),
		CARRIER_TESTS(test_payload_limits_host_and_window),
		CARRIER_TESTS(test_fw_registers_layout_matches_abi),
		CARRIER_TESTS(test_halt_sends_exception_caught_then_host_times_out),
		CARRIER_TESTS(test_masked_doorbell_interrupt_fires_when_enabled),
		CARRIER_TESTS(test_register_writes_and_mailbox_transfers_are_traced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
