/* SPDX-License-Identifier: MIT */
/* Derive the execution mode, default sizes and paging mode from CR0, EFER,
 * EFLAGS.VM and the CS/SS caches (APM 1.2, 14.6). */
#include "cpu.h"
#include "../mmu/mmu.h"

int cpu_va_bits(const struct cpu *c)
{
	return (c->cr4 & CR4_LA57) ? 57 : 48;
}

void mode_update(struct cpu *c)
{
	uint16_t csa = c->seg[SEG_CS].attr;
	if (!(c->cr0 & CR0_PE)) {
		c->mode = MODE_REAL;
		c->code_bits = (csa & SA_DB) ? 32 : 16;
	} else if (c->rflags & FL_VM) {
		c->mode = MODE_V86;
		c->code_bits = 16;
	} else if ((c->efer & EFER_LMA) && (csa & SA_L)) {
		c->mode = MODE_LONG;
		c->code_bits = 64;
	} else {
		c->mode = (c->efer & EFER_LMA) ? MODE_COMPAT : MODE_PROT;
		c->code_bits = (csa & SA_DB) ? 32 : 16;
	}
	if (c->mode == MODE_LONG)
		c->stack_bits = 64;
	else
		c->stack_bits = (c->seg[SEG_SS].attr & SA_DB) ? 32 : 16;
	c->paging = mmu_paging_mode(c);
}
