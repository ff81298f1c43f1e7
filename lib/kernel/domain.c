/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory partitions and domains with Zephyr's rules
 * (kernel/userspace/mem_domain.c) and the resource limits of the Intel ACE
 * 3.x MMU (userspace sheet §1.2, §1.7): the checks SOF's user-space bugs ran
 * into (bug classes 17, 23, 24) must fail here the way they fail on the DSP,
 * with the same errno, before any per-access checking is built on top.
 *
 * A domain is a kernel object of its context, so a context torn down with
 * domains still alive frees them (and reports what they still held).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel/domain_priv.h"
#include "kernel/kernel_priv.h"

#define DOMAIN_NAME_MAX 32
/* One Xtensa MMU L2 table maps 4 MiB (1024 PTEs of 4 KiB). */
#define L2_SPAN_SHIFT 22

struct sofsim_domain {
	struct sofsim__kobj obj;
	char name[DOMAIN_NAME_MAX];
	size_t count;        /* partitions in use: parts[0 .. count) */
	uint64_t l2;         /* L2 tables this domain holds */
	uint64_t generation; /* bumped on every partition change */
	struct sofsim_partition parts[SOFSIM_DOMAIN_MAX_PARTITIONS];
};

/* A covered address range [lo, hi), for the access checks. */
struct region {
	uintptr_t lo;
	uintptr_t hi;
};

static size_t page_bytes(const struct sofsim *sim)
{
	return sim->plat->page_bytes ? sim->plat->page_bytes : SOFSIM_PAGE_BYTES;
}

static size_t partition_limit(const struct sofsim *sim)
{
	size_t lim = sim->plat->partition_limit;

	return lim && lim < SOFSIM_DOMAIN_MAX_PARTITIONS ? lim : SOFSIM_DOMAIN_MAX_PARTITIONS;
}

/* ---- L2 table accounting ---- */

struct span {
	uintptr_t first;
	uintptr_t last;
};

static struct span span_of(const struct sofsim_partition *p)
{
	struct span s = { p->start >> L2_SPAN_SHIFT, (p->start + p->size - 1) >> L2_SPAN_SHIFT };

	return s;
}

/*
 * Distinct 4 MiB spans touched by the partitions of @d, leaving out index
 * @skip (SIZE_MAX: none) and adding @extra (NULL: none). Partitions never
 * overlap, but several may share a span, so the spans are merged.
 */
static uint64_t count_spans(const struct sofsim_domain *d, size_t skip, const struct sofsim_partition *extra)
{
	struct span s[SOFSIM_DOMAIN_MAX_PARTITIONS + 1];
	size_t n = 0;
	uint64_t total = 0;
	uintptr_t end = 0;
	bool have = false;

	for (size_t i = 0; i < d->count; i++)
		if (i != skip)
			s[n++] = span_of(&d->parts[i]);
	if (extra)
		s[n++] = span_of(extra);
	for (size_t i = 1; i < n; i++) { /* insertion sort by first span */
		struct span key = s[i];
		size_t j = i;

		for (; j > 0 && s[j - 1].first > key.first; j--)
			s[j] = s[j - 1];
		s[j] = key;
	}
	for (size_t i = 0; i < n; i++) {
		if (!have || s[i].first > end) {
			total += (uint64_t)(s[i].last - s[i].first) + 1;
			end = s[i].last;
			have = true;
		} else if (s[i].last > end) {
			total += s[i].last - end;
			end = s[i].last;
		}
	}
	return total;
}

uint64_t sofsim__domain_l2_total(const struct sofsim *sim)
{
	const struct sofsim_list *pos;
	uint64_t total = 0;

	for (pos = sim->objects.next; pos != &sim->objects; pos = pos->next) {
		const struct sofsim__kobj *obj = SOFSIM_CONTAINER_OF(pos, struct sofsim__kobj, node);

		if (obj->type == SOFSIM_OBJ_MEM_DOMAIN)
			total += ((const struct sofsim_domain *)obj)->l2;
	}
	return total;
}

/* ---- lifecycle ---- */

/* Report what the domain still holds (bug class 24) and orphan its threads. */
static void domain_release(struct sofsim__kobj *obj)
{
	struct sofsim_domain *d = (struct sofsim_domain *)obj;
	struct sofsim *sim = obj->sim;
	FILE *out = sofsim__report_stream(sim);
	struct sofsim_list *pos;

	sofsim__chk_forget_domain(sim, d);
	for (size_t i = 0; i < d->count; i++) {
		const struct sofsim_partition *p = &d->parts[i];

		fprintf(out, "domain %s: partition %s [0x%" PRIxPTR "-0x%" PRIxPTR ") left at teardown\n", d->name,
			p->name ? p->name : "(unnamed)", p->start, p->start + p->size);
	}
	sofsim_list_for_each(pos, &sim->threads) {
		struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		if (t->domain == d)
			t->domain = NULL;
	}
}

int sofsim_domain_create(struct sofsim *sim, const char *name, struct sofsim_domain **out)
{
	struct sofsim_domain *d;

	sofsim__kernel_only("k_mem_domain_init");
	if (!sim || !out)
		return -EINVAL;
	d = sofsim__kobj_new(sim, sizeof(*d), SOFSIM_OBJ_MEM_DOMAIN, domain_release);
	if (!d)
		return -ENOMEM;
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "(unnamed)");
	*out = d;
	return 0;
}

size_t sofsim_domain_destroy(struct sofsim_domain *d)
{
	size_t left;

	sofsim__kernel_only("k_mem_domain_deinit");
	if (!d)
		return 0;
	left = d->count;
	sofsim__kobj_delete(&d->obj);
	return left;
}

/* ---- partitions ---- */

/* Zephyr's check_add_partition, plus the Xtensa MMU's page granule. */
static int check_partition(const struct sofsim_domain *d, const struct sofsim_partition *p)
{
	size_t page = page_bytes(d->obj.sim);
	uintptr_t end;

	if ((p->attr & SOFSIM_PART_W) && (p->attr & SOFSIM_PART_X))
		return -EINVAL; /* CONFIG_EXECUTE_XOR_WRITE */
	if (p->size == 0)
		return -EINVAL;
	if (p->start % page || p->size % page)
		return -EINVAL;
	if (p->size > UINTPTR_MAX - p->start)
		return -EINVAL; /* the end wraps (ending exactly at the top counts: Zephyr's pend <= pstart) */
	end = p->start + p->size;
	for (size_t i = 0; i < d->count; i++) {
		const struct sofsim_partition *q = &d->parts[i];

		if (end > q->start && q->start + q->size > p->start)
			return -EINVAL;
	}
	return 0;
}

int sofsim_domain_add_partition(struct sofsim_domain *d, const struct sofsim_partition *p)
{
	const struct sofsim *sim;
	uint64_t l2_after;
	int ret;

	sofsim__kernel_only("k_mem_domain_add_partition");
	if (!d || !p)
		return -EINVAL;
	sim = d->obj.sim;
	ret = check_partition(d, p);
	if (ret)
		return ret;
	if (d->count >= partition_limit(sim))
		return -ENOSPC;
	l2_after = count_spans(d, SIZE_MAX, p);
	if (sim->plat->mmu_l2_tables &&
	    sofsim__domain_l2_total(sim) - d->l2 + l2_after > sim->plat->mmu_l2_tables)
		return -ENOMEM;
	d->parts[d->count++] = *p;
	d->l2 = l2_after;
	d->generation++;
	if (p->attr & SOFSIM_PART_W)
		sofsim__flag_objects_in_user_memory(d->obj.sim, p);
	return 0;
}

int sofsim_domain_remove_partition(struct sofsim_domain *d, const struct sofsim_partition *p)
{
	size_t i;

	sofsim__kernel_only("k_mem_domain_remove_partition");
	if (!d || !p)
		return -EINVAL;
	for (i = 0; i < d->count; i++)
		if (d->parts[i].start == p->start && d->parts[i].size == p->size)
			break;
	if (i == d->count)
		return -ENOENT;
	d->l2 = count_spans(d, i, NULL);
	/* Keep the order of the rest, so reports list partitions as they were added. */
	memmove(&d->parts[i], &d->parts[i + 1], (d->count - i - 1) * sizeof(d->parts[0]));
	d->count--;
	d->generation++;
	return 0;
}

size_t sofsim_domain_partition_count(const struct sofsim_domain *d)
{
	return d ? d->count : 0;
}

unsigned sofsim_domain_l2_tables(const struct sofsim_domain *d)
{
	if (!d)
		return 0;
	return d->l2 > UINT32_MAX ? UINT32_MAX : (unsigned)d->l2;
}

uint64_t sofsim__domain_generation(const struct sofsim_domain *d)
{
	return d ? d->generation : 0;
}

const struct sofsim_partition *sofsim__domain_partition_at(const struct sofsim_domain *d, size_t i)
{
	return d && i < d->count ? &d->parts[i] : NULL;
}

/* ---- threads ---- */

int sofsim_domain_add_thread(struct sofsim_domain *d, struct sofsim_thread *t)
{
	sofsim__kernel_only("k_mem_domain_add_thread");
	if (!d || !t || t->is_host || t->sim != d->obj.sim)
		return -EINVAL; /* the host is not an emulated thread: it never joins a domain */
	if (t->domain == d)
		return 0; /* no change, as in Zephyr */
	if (t->started && t != t->sim->running)
		return -EBUSY; /* bug class 23: a live thread's view must not change under it */
	t->domain = d;
	return 0;
}

void sofsim__domain_inherit(struct sofsim_thread *child, const struct sofsim_thread *creator)
{
	child->domain = creator ? creator->domain : NULL;
}

struct sofsim_domain *sofsim_thread_domain(const struct sofsim_thread *t)
{
	return t ? t->domain : NULL;
}

int sofsim_thread_cpu_pin(struct sofsim_thread *t, unsigned core)
{
	struct sofsim *sim;

	sofsim__kernel_only("k_thread_cpu_pin");
	if (!t || t->is_host)
		return -EINVAL;
	sim = t->sim;
	if (core >= sim->cores)
		return -EINVAL;
	if (t->started)
		return -EBUSY; /* bug class 23 */
	/* Not started yet, but already queued (or chosen) on its old core: move it. */
	if (sim->core[t->core].current == t)
		sim->core[t->core].current = NULL;
	if (sofsim_list_linked(&t->node))
		sofsim_list_remove(&t->node);
	t->core = core;
	t->timeout.core = core;
	if (t->state == SOFSIM_T_READY)
		sofsim__make_ready(sim, t);
	return 0;
}

/* ---- access checks ---- */

/* Whether [lo, hi) is covered by the union of @r[0 .. n). */
static bool covered(uintptr_t lo, uintptr_t hi, const struct region *r, size_t n)
{
	while (lo < hi) {
		uintptr_t next = lo;

		for (size_t i = 0; i < n; i++)
			if (r[i].lo <= lo && lo < r[i].hi && r[i].hi > next)
				next = r[i].hi;
		if (next == lo)
			return false;
		lo = next;
	}
	return true;
}

/* The range to check, rounded out to pages when asked; false if it wraps. */
static bool check_range(uintptr_t addr, size_t size, size_t page, bool page_granular, uintptr_t *lo,
			uintptr_t *hi)
{
	if (size > UINTPTR_MAX - addr)
		return false;
	*lo = addr;
	*hi = addr + size;
	if (page_granular) {
		size_t tail = *hi % page;

		*lo -= *lo % page;
		if (tail) {
			if (page - tail > UINTPTR_MAX - *hi)
				return false;
			*hi += page - tail;
		}
	}
	return true;
}

static struct region stack_region(const struct sofsim_thread *t, size_t page, bool page_granular)
{
	struct region r = { (uintptr_t)t->stack_lo, (uintptr_t)t->stack_lo + t->stack_bytes };

	if (!t->stack_lo)
		r.hi = r.lo;
	else if (page_granular && r.hi % page)
		r.hi += page - r.hi % page; /* the MMU maps the stack's last page whole */
	return r;
}

static size_t partition_regions(const struct sofsim_domain *d, bool write, struct region *r)
{
	uint32_t need = write ? SOFSIM_PART_W : SOFSIM_PART_R;
	size_t n = 0;

	for (size_t i = 0; d && i < d->count; i++) {
		if (d->parts[i].attr & need) {
			r[n].lo = d->parts[i].start;
			r[n].hi = d->parts[i].start + d->parts[i].size;
			n++;
		}
	}
	return n;
}

bool sofsim_domain_allows(const struct sofsim_domain *d, uintptr_t addr, size_t size, bool write)
{
	struct region r[SOFSIM_DOMAIN_MAX_PARTITIONS];
	size_t n;

	if (size == 0)
		return true;
	if (!d || size > UINTPTR_MAX - addr)
		return false;
	n = partition_regions(d, write, r);
	return covered(addr, addr + size, r, n);
}

bool sofsim__thread_can_access(const struct sofsim_thread *t, uintptr_t addr, size_t size, bool write,
			       bool page_granular)
{
	struct region r[SOFSIM_DOMAIN_MAX_PARTITIONS + 1];
	size_t page, n = 0;
	uintptr_t lo, hi;

	if (size == 0)
		return true;
	if (!t)
		return false;
	page = page_bytes(t->sim);
	if (!check_range(addr, size, page, page_granular, &lo, &hi))
		return false;
	r[n++] = stack_region(t, page, page_granular);
	if (t->user) {
		n += partition_regions(t->domain, write, &r[n]);
	} else {
		r[n].lo = t->sim->arena.base;
		r[n].hi = t->sim->arena.base + t->sim->arena.size;
		n++;
	}
	return covered(lo, hi, r, n);
}
