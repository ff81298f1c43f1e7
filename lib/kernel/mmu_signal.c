/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * enforce=mmu, the signal side. A SIGSEGV in the DSP arena while an
 * emulated thread runs user code under its view becomes a fault record;
 * anything else is a real crash and goes to whatever handled SIGSEGV before.
 * The handler is process-wide, so its installation is refcounted and the
 * handler it replaced is kept; since mprotect() is process-wide too, one
 * context at a time may hold the mode. Here too: the alternate signal
 * stacks the handler runs on (outside the arena, so a stack overflow into a
 * guard page is caught as well), the refusals where the mode cannot be
 * sound, and the pthread carrier's parking system call.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "kernel/mmu_priv.h"
#include "kernel/tools.h"

/* The library's only process-wide mutable state: who holds the mode, and the handler it replaced. */
static struct {
	pthread_mutex_t lock;
	unsigned users;
	struct sigaction prev;
} g_segv = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- what differs between hosts and tools ---- */

#if defined(__x86_64__) && defined(__linux__)
static const char *arch_refusal(void)
{
	return NULL;
}

/* The page-fault error code the kernel saved: bit 1 is set for a write access. */
static bool fault_is_write(const void *ucv)
{
	const ucontext_t *uc = ucv;

	return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
}

/*
 * Store 1 to *parked and enter FUTEX_WAIT on *word in one asm block: once
 * the flag is visible, another thread may close this thread's stack, so
 * nothing may be pushed (no call) between the store and the system call.
 */
static void park_syscall(atomic_uint *parked, atomic_uint *word)
{
	register long r10 __asm__("r10") = 0; /* no timeout */
	long ret = SYS_futex;

	__asm__ volatile("movl $1, (%[flag])\n\tsyscall"
			 : "+a"(ret)
			 : [flag] "r"(parked), "D"(word), "S"((long)FUTEX_WAIT_PRIVATE), "d"(0L), "r"(r10)
			 : "rcx", "r11", "memory");
}
#else
static const char *arch_refusal(void)
{
	return "needs an x86-64 Linux host (the page-fault error code and the parking system call)";
}

static bool fault_is_write(const void *ucv)
{
	(void)ucv;
	return false;
}

static void park_syscall(atomic_uint *parked, atomic_uint *word)
{
	atomic_store(parked, 1);
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}
#endif

#ifdef SOFSIM_HAVE_ASAN
static const char *tool_refusal(void)
{
	return "is refused in an AddressSanitizer build: LeakSanitizer and ASan's allocator may touch the "
	       "arena from other threads while it is protected";
}
#else
static const char *tool_refusal(void)
{
	return NULL;
}
#endif

/* ---- refusals and the process-wide installation ---- */

static int fail(char *why, size_t why_len, int err, const char *fmt, const char *arg)
{
	if (why && why_len)
		snprintf(why, why_len, fmt, arg);
	return err;
}

static bool mode_taken(void)
{
	bool taken;

	pthread_mutex_lock(&g_segv.lock);
	taken = g_segv.users > 0;
	pthread_mutex_unlock(&g_segv.lock);
	return taken;
}

#define MSG_TAKEN                                                                                   \
	"config.protection: enforce=mmu is in use by another context of this process (mprotect() is " \
	"process-wide: one context at a time)%s"

int sofsim__mmu_config_check(const struct sofsim_config *cfg, char *why, size_t why_len)
{
	const char *no = arch_refusal();

	(void)cfg;
	if (!no)
		no = tool_refusal();
	if (no)
		return fail(why, why_len, -EOPNOTSUPP, "config.protection: enforce=mmu %s", no);
	if (mode_taken())
		return fail(why, why_len, -EBUSY, MSG_TAKEN, "");
	return 0;
}

static void on_segv(int sig, siginfo_t *si, void *uc);

int sofsim__mmu_acquire(char *why, size_t why_len)
{
	struct sigaction sa;
	int ret = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&g_segv.lock);
	if (g_segv.users)
		ret = -EBUSY;
	else if (sigaction(SIGSEGV, &sa, &g_segv.prev))
		ret = -errno;
	else
		g_segv.users++;
	pthread_mutex_unlock(&g_segv.lock);
	if (ret == -EBUSY)
		return fail(why, why_len, ret, MSG_TAKEN, "");
	if (ret)
		return fail(why, why_len, ret, "sofsim_create: cannot install the SIGSEGV handler (%s)", strerror(-ret));
	return 0;
}

void sofsim__mmu_release(void)
{
	pthread_mutex_lock(&g_segv.lock);
	if (g_segv.users && --g_segv.users == 0)
		sigaction(SIGSEGV, &g_segv.prev, NULL);
	pthread_mutex_unlock(&g_segv.lock);
}

/* ---- the handler ---- */

/*
 * Not ours: put back the handler we replaced (SIG_DFL in most programs) and
 * return. The access repeats and meets it, which for SIG_DFL is the crash
 * the program would have had without the simulator.
 */
static void chain(void)
{
	sigaction(SIGSEGV, &g_segv.prev, NULL);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	struct sofsim_thread *t = sofsim__tls_self;
	/* The running thread's record is readable in its own view, so this finds the context. */
	struct sofsim__mmu *m = t ? sofsim__mmu_of(t) : NULL;
	uintptr_t a = (uintptr_t)si->si_addr;

	(void)sig;
	if (m && m->user == t && a >= m->base && (a - m->base) / SOFSIM_PAGE_BYTES < m->pages)
		sofsim__mmu_user_fault(m, a, fault_is_write(uc)); /* returns only if the view allows the access */
	chain();
}

/* ---- alternate signal stacks ---- */

void *sofsim__mmu_altstack_new(unsigned *vg_id)
{
	void *p = mmap(NULL, SOFSIM_MMU_ALTSTACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	*vg_id = sofsim__vg_stack_register(p, SOFSIM_MMU_ALTSTACK_BYTES);
	return p;
}

void sofsim__mmu_altstack_free(void *base, unsigned vg_id)
{
	sofsim__vg_stack_deregister(vg_id);
	munmap(base, SOFSIM_MMU_ALTSTACK_BYTES);
}

void sofsim__mmu_altstack_use(const void *base, const stack_t *saved)
{
	stack_t ss;

	if (base) {
		ss = (stack_t){ .ss_sp = (void *)base, .ss_size = SOFSIM_MMU_ALTSTACK_BYTES };
	} else {
		ss = *saved;
		ss.ss_flags &= SS_DISABLE;
	}
	/* EPERM while running on it (a halted fiber resumed to unwind): it is left as it is. */
	sigaltstack(&ss, NULL);
}

/*
 * A new emulated pthread: its own handler stack, and no asynchronous
 * signals, which would wake it in its futex wait while another thread's
 * view has its stack closed. Process-directed signals go to other threads.
 */
void sofsim__mmu_pthread_enter(const void *altstack)
{
	static const int synchronous[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT, SIGSYS };
	sigset_t async;

	if (!altstack)
		return;
	sofsim__mmu_altstack_use(altstack, NULL);
	sigfillset(&async);
	for (size_t i = 0; i < sizeof(synchronous) / sizeof(synchronous[0]); i++)
		sigdelset(&async, synchronous[i]);
	pthread_sigmask(SIG_BLOCK, &async, NULL);
}

void sofsim__mmu_futex_park(atomic_uint *parked, atomic_uint *word)
{
	park_syscall(parked, word);
}

/*
 * The handler runs with SIGSEGV blocked and a halt never returns from it;
 * the context switch leaves the signal mask as it is, so without this the
 * next fault on the OS thread would kill the process instead of reaching
 * the handler.
 */
void sofsim__mmu_unblock_segv(void)
{
	sigset_t segv;

	sigemptyset(&segv);
	sigaddset(&segv, SIGSEGV);
	pthread_sigmask(SIG_UNBLOCK, &segv, NULL);
}
