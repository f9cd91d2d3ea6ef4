/* SPDX-License-Identifier: MIT */
/* Pushing a whole frame onto a stack that is not (yet) the current one:
 * interrupt delivery and call gates check every slot (limit, canonical,
 * paging) before the first byte is written and before CS/SS/CPL change. */
#ifndef PAC_FRAME_H
#define PAC_FRAME_H
#include "../core/cpu.h"

struct frame {
	uint64_t v[40]; /* v[0] is pushed first (highest address) */
	int n;
	unsigned size;  /* bytes per slot: 2, 4 or 8 */
};

static inline void frame_add(struct frame *f, uint64_t v)
{
	if (f->n < 40)
		f->v[f->n++] = v;
}

/* Pushes f below sp on the stack ss (stack_bits 16/32/64) with the access
 * rights of privilege cpl. Stack faults are #SS(ss_err). Returns the new
 * stack pointer (already masked to the stack width). */
MAYFAULT uint64_t frame_push(struct cpu *c, const struct seg *ss, uint64_t sp, int stack_bits,
			     const struct frame *f, int cpl, uint32_t ss_err);
/* Stack-address width of a (legacy-mode) SS cache. */
static inline int ss_bits(const struct seg *ss) { return (ss->attr & SA_DB) ? 32 : 16; }
#endif
