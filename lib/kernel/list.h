/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intrusive doubly linked list with a sentinel head, used by run queues,
 * wait queues and the timeout queue.
 */
#ifndef SOFSIM_KERNEL_LIST_H
#define SOFSIM_KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct sofsim_list {
	struct sofsim_list *prev;
	struct sofsim_list *next;
};

#define SOFSIM_CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

static inline void sofsim_list_init(struct sofsim_list *head)
{
	head->prev = head;
	head->next = head;
}

static inline bool sofsim_list_empty(const struct sofsim_list *head)
{
	return head->next == head;
}

/* True when the node is linked into some list (nodes are kept self-linked when off a list). */
static inline bool sofsim_list_linked(const struct sofsim_list *node)
{
	return node->next != node;
}

static inline void sofsim_list_insert_before(struct sofsim_list *pos, struct sofsim_list *node)
{
	node->prev = pos->prev;
	node->next = pos;
	pos->prev->next = node;
	pos->prev = node;
}

static inline void sofsim_list_append(struct sofsim_list *head, struct sofsim_list *node)
{
	sofsim_list_insert_before(head, node);
}

static inline void sofsim_list_remove(struct sofsim_list *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	sofsim_list_init(node);
}

#define sofsim_list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define sofsim_list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); (pos) = (tmp), (tmp) = (pos)->next)

#endif /* SOFSIM_KERNEL_LIST_H */
