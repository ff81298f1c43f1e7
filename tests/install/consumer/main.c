/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A program outside the sofsim tree, built against an installed sofsim
 * (through find_package or pkg-config). It checks that the library it links
 * is the version it was compiled for, and that a checked third-party module
 * (plant.c, a shared object it dlopen()s) is checked like in-tree code:
 * under enforce=check the module's store from a user thread into a
 * kernel-heap block is one fault, the same store into the LL user heap none.
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sofsim/fault.h>
#include <sofsim/kernel.h>
#include <sofsim/mem.h>
#include <sofsim/sim.h>
#include <sofsim/version.h>

#ifndef SOFSIM_EXPECTED_VERSION
#error "build with -DSOFSIM_EXPECTED_VERSION=\"x.y.z\""
#endif
#ifndef SOFSIM_MODULE_PATH
#error "build with -DSOFSIM_MODULE_PATH=\"path of the plant module\""
#endif

typedef void (*store_fn)(uint32_t *where, uint32_t value);

struct scene {
	store_fn store;
	uint32_t *target;
	int reached; /* 1 once the store returned */
};

static int fail(const char *what)
{
	fprintf(stderr, "consumer: %s\n", what);
	return 1;
}

static void user_body(void *arg)
{
	struct scene *s = arg;

	s->store(s->target, 0x5a5a5a5au);
	s->reached = 1;
}

/* Run the module's store to @target in a new user thread of @dom. */
static int run_store(struct sofsim *sim, struct sofsim_domain *dom, struct scene *s, uint32_t *target)
{
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;

	s->target = target;
	s->reached = 0;
	if (sofsim_thread_create(sim, &a, user_body, s, &t) || sofsim_domain_add_thread(dom, t))
		return fail("cannot create the user thread");
	if (sofsim_run_until_idle(sim, SOFSIM_TIME_NEVER) != 0 || !sofsim_thread_ended(t))
		return fail("the user thread did not end");
	return 0;
}

static int module_check(void)
{
	struct sofsim_partition part = { .attr = SOFSIM_PART_RW, .name = "ll_user_heap" };
	struct sofsim_config cfg;
	struct sofsim_domain *dom;
	struct sofsim_fault f;
	struct sofsim *sim;
	struct scene s = { 0 };
	uint32_t *kernel_block, *user_block;
	FILE *null_out;
	void *handle, *sym;
	int err = 1;

	/*
	 * Before sofsim_create(): the context collects the read-only ranges
	 * every user thread may read (loaded objects' text and rodata) when it
	 * is created, so a module loaded later could not read its own constants.
	 */
	handle = dlopen(SOFSIM_MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "consumer: dlopen: %s\n", dlerror());
		return 1;
	}
	sym = dlsym(handle, "plant_store");
	if (!sym) {
		dlclose(handle);
		return fail("the module has no plant_store");
	}
	/* ISO C has no object-to-function pointer conversion; POSIX guarantees the bits. */
	memcpy(&s.store, &sym, sizeof(s.store));

	sofsim_config_init(&cfg);
	cfg.protection = SOFSIM_PROT_ENFORCE_CHECK;
	cfg.fault_policy = SOFSIM_FAULT_KILL_THREAD;
	if (sofsim_create(&sim, &cfg, NULL, 0)) {
		dlclose(handle);
		return fail("sofsim_create failed");
	}
	/* The fault below is expected; keep its report out of the log. */
	null_out = fopen("/dev/null", "w");
	if (null_out)
		sofsim_set_report_stream(sim, null_out);
	kernel_block = sofsim_heap_alloc(sofsim_kernel_heap(sim), 64, "x");
	user_block = sofsim_heap_alloc(sofsim_ll_user_heap(sim), 64, "x");
	if (!kernel_block || !user_block || sofsim_domain_create(sim, "ll", &dom)) {
		fail("cannot set up the memory");
		goto out;
	}
	kernel_block[0] = 0;
	user_block[0] = 0;
	sofsim_heap_bounds(sofsim_ll_user_heap(sim), &part.start, &part.size);
	if (sofsim_domain_add_partition(dom, &part)) {
		fail("cannot add the LL user heap partition");
		goto out_domain;
	}

	/* The same store into the thread's own domain: no fault. */
	if (run_store(sim, dom, &s, user_block))
		goto out_partition;
	if (!s.reached || user_block[0] != 0x5a5a5a5au || sofsim_fault_count(sim) != 0) {
		fail("the module's store to the LL user heap faulted or did not happen");
		goto out_partition;
	}

	/* Into a kernel-heap block: exactly one fault, and the store never lands. */
	if (run_store(sim, dom, &s, kernel_block))
		goto out_partition;
	if (sofsim_fault_count(sim) != 1 || sofsim_fault_get(sim, 0, &f)) {
		fprintf(stderr, "consumer: %zu faults after the module's store to the kernel heap, expected 1\n",
			sofsim_fault_count(sim));
		goto out_partition;
	}
	if (f.reason != SOFSIM_REASON_CPU_EXCEPTION || f.exccause != SOFSIM_EXCCAUSE_LOAD_STORE_RING ||
	    f.excvaddr != (uintptr_t)kernel_block || s.reached || kernel_block[0] != 0) {
		fprintf(stderr, "consumer: fault reason %u exccause %u excvaddr %#lx (kernel block %p), reached %d\n",
			f.reason, f.exccause, (unsigned long)f.excvaddr, (void *)kernel_block, s.reached);
		goto out_partition;
	}
	printf("consumer: module %s checked: 0 faults in the LL user heap, 1 (reason %u, EXCCAUSE %u) in the kernel heap\n",
	       SOFSIM_MODULE_PATH, f.reason, f.exccause);
	err = 0;
out_partition:
	sofsim_domain_remove_partition(dom, &part);
out_domain:
	sofsim_domain_destroy(dom);
out:
	sofsim_heap_free(sofsim_ll_user_heap(sim), user_block);
	sofsim_heap_free(sofsim_kernel_heap(sim), kernel_block);
	sofsim_destroy(sim);
	if (null_out)
		fclose(null_out);
	dlclose(handle);
	return err;
}

int main(void)
{
	const char *got = sofsim_version_string();

	if (!got || strcmp(got, SOFSIM_EXPECTED_VERSION) != 0) {
		fprintf(stderr, "consumer: sofsim_version_string() is \"%s\", expected \"%s\"\n",
			got ? got : "(null)", SOFSIM_EXPECTED_VERSION);
		return 1;
	}
	printf("consumer: linked sofsim %s\n", got);
	return module_check();
}
