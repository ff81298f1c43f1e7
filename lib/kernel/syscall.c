/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall gate: the generated table, the trap itself (verifier, then
 * implementation with kernel rights, then back), and the helpers verifiers
 * are written with — object checks, page-granular memory checks against
 * the calling thread's view, and copy-in helpers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/domain_priv.h"
#include "kernel/syscall_priv.h"

_Thread_local struct sofsim_thread *sofsim__tls_self __attribute__((tls_model("initial-exec")));

static const struct {
	const char *name;
	const char *verdicts;
	sofsim__mrsh_fn mrsh;
} table[] = {
#define SOFSIM_SYSCALL(n, v) [SOFSIM_SYS_##n] = { #n, v, sofsim__mrsh_##n },
#include "sofsim_syscall_list.h"
#undef SOFSIM_SYSCALL
};

unsigned sofsim_syscall_count(void)
{
	return SOFSIM_SYS_COUNT;
}

const char *sofsim_syscall_name(unsigned id)
{
	return id < SOFSIM_SYS_COUNT ? table[id].name : NULL;
}

const char *sofsim_syscall_verdicts(unsigned id)
{
	return id < SOFSIM_SYS_COUNT ? table[id].verdicts : NULL;
}

int sofsim_syscall_find(const char *name)
{
	for (unsigned id = 0; name && id < SOFSIM_SYS_COUNT; id++)
		if (!strcmp(table[id].name, name))
			return (int)id;
	return -ENOENT;
}

uint64_t sofsim_syscall_calls(const struct sofsim *sim, unsigned id)
{
	return id < SOFSIM_SYS_COUNT && sim->syscall_calls ? sim->syscall_calls[id] : 0;
}

int sofsim__syscall_stats_init(struct sofsim *sim)
{
	sim->syscall_calls = sofsim__kzalloc(sim, SOFSIM_SYS_COUNT * sizeof(*sim->syscall_calls));
	return sim->syscall_calls ? 0 : -ENOMEM;
}

void sofsim__oops(struct sofsim *sim, unsigned id, const char *fmt, ...)
{
	char detail[160];
	char op[48];
	va_list ap;

	size_t live = sofsim__heap_live_blocks(sim->kheap);
	size_t at_gate = sim->running->kheap_live_at_gate;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* K_OOPS leaves at once: a verifier must free what it allocated first (bug class 25). */
	if (live > at_gate && n >= 0 && (size_t)n < sizeof(detail))
		snprintf(detail + n, sizeof(detail) - (size_t)n, " [verifier still holds %zu kernel allocation(s)]",
			 live - at_gate);
	if (id < SOFSIM_SYS_COUNT)
		snprintf(op, sizeof(op), "z_vrfy_%s", table[id].name);
	else
		snprintf(op, sizeof(op), "(id %u)", id);
	sofsim__fault(sim, id < SOFSIM_SYS_COUNT ? SOFSIM_FAULT_SYSCALL_CHECK : SOFSIM_FAULT_BAD_SYSCALL,
		      SOFSIM_REASON_KERNEL_OOPS, 0, 0, op, "%s", detail);
}

uintptr_t sofsim__syscall(struct sofsim *sim, unsigned id, const uintptr_t *args)
{
	struct sofsim_thread *self = sim->running;
	uintptr_t ret;

	sofsim__mmu_kernel(sim); /* enforce=mmu: the gate opens the kernel's view before anything else */
	if (id >= SOFSIM_SYS_COUNT)
		sofsim__oops(sim, id, "Bad system call id %u", id);
	sim->syscall_calls[id]++;
	self->kheap_live_at_gate = sofsim__heap_live_blocks(sim->kheap);
	self->in_syscall++;
	self->syscall_id = id;
	sofsim__chk_update(self); /* kernel rights: the checker only traces */
	ret = table[id].mrsh(sim, args);
	self->in_syscall--;
	sofsim__chk_update(self);
	sofsim__mmu_sync(sim); /* and back to the caller's view */
	return ret;
}

uintptr_t sofsim_syscall_raw(struct sofsim *sim, unsigned id, const uintptr_t args[SOFSIM_SYSCALL_ARGS])
{
	if (!sofsim__in_thread(sim))
		return (uintptr_t)-EPERM;
	return sofsim__syscall(sim, id, args);
}

void sofsim__toctou_point(struct sofsim *sim)
{
	if (sim->toctou_hook)
		sim->toctou_hook(sim->toctou_arg);
}

void sofsim__set_toctou_hook(struct sofsim *sim, void (*hook)(void *arg), void *arg)
{
	sim->toctou_hook = hook;
	sim->toctou_arg = arg;
}

static const char *validate_text(int err)
{
	switch (err) {
	case -EBADF:
		return "not a known kernel object of that type";
	case -EPERM:
		return "access denied (no permission)";
	case -EINVAL:
		return "not initialised";
	case -EADDRINUSE:
		return "already initialised";
	default:
		return "invalid";
	}
}

void sofsim__vrfy_obj(struct sofsim *sim, unsigned id, const void *ptr, unsigned type,
		      enum sofsim__kobj_init init, const char *arg)
{
	int err;

	if (!sofsim__verifying(sim))
		return;
	err = sofsim__kobj_validate(sim, ptr, type, init);
	if (err)
		sofsim__oops(sim, id, "%s: %s %p: %s", arg, sofsim_object_type_name(type), ptr, validate_text(err));
}

static bool user_can(struct sofsim *sim, const void *ptr, size_t size, bool write)
{
	const struct sofsim_thread *self = sim->running;

	if (!sofsim__verifying(sim) || self->is_host || !self->user)
		return true;
	if (!write && sofsim__in_rodata(sim, (uintptr_t)ptr, size))
		return true;
	return sofsim__thread_can_access(self, (uintptr_t)ptr, size, write, !sim->verify_byte_exact);
}

bool sofsim__user_can_read(struct sofsim *sim, const void *ptr, size_t size)
{
	return user_can(sim, ptr, size, false);
}

bool sofsim__user_can_write(struct sofsim *sim, const void *ptr, size_t size)
{
	return user_can(sim, ptr, size, true);
}

void sofsim__vrfy_read(struct sofsim *sim, unsigned id, const void *ptr, size_t size, const char *arg)
{
	if (!user_can(sim, ptr, size, false))
		sofsim__oops(sim, id, "%s: Memory region %p (size %zu) read access denied", arg, ptr, size);
}

void sofsim__vrfy_write(struct sofsim *sim, unsigned id, const void *ptr, size_t size, const char *arg)
{
	if (!user_can(sim, ptr, size, true))
		sofsim__oops(sim, id, "%s: Memory region %p (size %zu) write access denied", arg, ptr, size);
}

static void vrfy_array(struct sofsim *sim, unsigned id, const void *ptr, size_t n, size_t size, bool write,
		       const char *arg)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		sofsim__oops(sim, id, "%s: %zu elements of %zu bytes overflow", arg, n, size);
	if (write)
		sofsim__vrfy_write(sim, id, ptr, bytes, arg);
	else
		sofsim__vrfy_read(sim, id, ptr, bytes, arg);
}

void sofsim__vrfy_array_read(struct sofsim *sim, unsigned id, const void *ptr, size_t n, size_t size, const char *arg)
{
	vrfy_array(sim, id, ptr, n, size, false, arg);
}

void sofsim__vrfy_array_write(struct sofsim *sim, unsigned id, const void *ptr, size_t n, size_t size, const char *arg)
{
	vrfy_array(sim, id, ptr, n, size, true, arg);
}

int sofsim__copy_from_user(struct sofsim *sim, void *dst, const void *src, size_t n)
{
	if (!user_can(sim, src, n, false))
		return EFAULT;
	memcpy(dst, src, n);
	return 0;
}

int sofsim__copy_to_user(struct sofsim *sim, void *dst, const void *src, size_t n)
{
	if (!user_can(sim, dst, n, true))
		return EFAULT;
	memcpy(dst, src, n);
	return 0;
}

int sofsim__copy_string_from_user(struct sofsim *sim, char *dst, const char *src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (!user_can(sim, src + i, 1, false))
			return -EFAULT;
		dst[i] = src[i];
		if (!dst[i])
			return 0;
	}
	return -EINVAL;
}
