/* SPDX-License-Identifier: MIT */
/* Frame pushes for interrupt delivery and call gates (APM 8.7.3, 8.9.3):
 * every slot is checked before anything is written. */
#include "frame.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* Limit check of one stack slot (expand-up or expand-down, APM 4.8.1). */
static bool slot_in_limit(const struct seg *ss, uint64_t off, unsigned size)
{
	uint64_t last = off + size - 1;
	if (!(ss->attr & SA_P))
		return false;
	if ((ss->attr & 0xc) == 0x4) { /* expand-down data */
		uint64_t top = (ss->attr & SA_DB) ? 0xffffffffull : 0xffffull;
		return off > ss->limit && last <= top;
	}
	return last <= ss->limit;
}

MAYFAULT uint64_t frame_push(struct cpu *c, const struct seg *ss, uint64_t sp, int stack_bits,
			     const struct frame *f, int cpl, uint32_t ss_err)
{
	uint64_t mask = stack_bits == 64 ? ~0ull : stack_bits == 32 ? 0xffffffffull : 0xffffull;
	bool lm = stack_bits == 64;
	unsigned acc = ACC_W | (cpl == 3 ? ACC_USER : 0);
	gla_t gla[40];
	for (int i = 0; i < f->n; i++) {
		uint64_t off = (sp - (uint64_t)(i + 1) * f->size) & mask;
		if (lm) {
			if (!is_canonical(off, cpu_va_bits(c)) ||
			    !is_canonical(off + f->size - 1, cpu_va_bits(c)))
				raise_exc_err(c, EXC_SS, ss_err);
			gla[i] = off;
		} else {
			if (!slot_in_limit(ss, off, f->size))
				raise_exc_err(c, EXC_SS, ss_err);
			gla[i] = (uint32_t)(ss->base + off);
		}
	}
	for (int i = 0; i < f->n; i++)
		lin_probe_write(c, gla[i], f->size, acc);
	for (int i = 0; i < f->n; i++)
		lin_write(c, gla[i], f->size, f->v[i], acc);
	return (sp - (uint64_t)f->n * f->size) & mask;
}
