/* SPDX-License-Identifier: MIT */
/* Processor reset and INIT state (APM 14.1.3, Table 14-1). */
#include "cpu.h"
#include "../mmu/mmu.h"
#include "../cpuid/cpuid.h"

static void seg_reset(struct seg *s, uint16_t sel, uint64_t base, uint16_t attr)
{
	s->sel = sel;
	s->base = base;
	s->limit = 0xffff;
	s->attr = attr;
}

void cpu_reset(struct cpu *c, bool init_only)
{
	memset(c->gpr, 0, sizeof c->gpr);
	c->gpr[2] = cpuid_reset_edx(c); /* family/model/stepping in EDX */
	c->rip = 0xfff0;
	c->rflags = FL_FIX1;
	seg_reset(&c->seg[SEG_CS], 0xf000, 0xffff0000ull, 0x9b);
	for (int i = 0; i < 6; i++)
		if (i != SEG_CS)
			seg_reset(&c->seg[i], 0, 0, 0x93);
	seg_reset(&c->ldtr, 0, 0, 0x82);
	seg_reset(&c->tr, 0, 0, 0x8b);
	c->gdtr = (struct dtr){ 0, 0xffff };
	c->idtr = (struct dtr){ 0, 0xffff };
	c->cr0 = CR0_ET | CR0_CD | CR0_NW;
	c->cr2 = c->cr3 = c->cr4 = 0;
	c->efer = 0;
	c->xcr0 = 1;
	c->tpr = 0;
	memset(c->dr, 0, sizeof c->dr);
	c->dr[6] = 0xffff0ff0;
	c->dr[7] = 0x400;
	c->cpl = 0;
	c->halted = false;
	c->shutdown = false;
	c->nmi_pending = c->nmi_blocked = false;
	c->svm = (struct svm_state){ .gif = true }; /* GIF = 1 after RESET/INIT (APM 15.17) */
	c->asid = 0;
	c->inhibit_irq_until = 0;
	if (!init_only) {
		/* x87 and SSE state: RESET only; INIT leaves them unchanged
		 * (APM 14.1.3, SDM vol. 3 Table 9-1) */
		memset(&c->fpu, 0, sizeof c->fpu);
		c->fpu.fcw = 0x40; /* reset value; FNINIT sets 0x37F */
		c->fpu.ftw = 0x5555;
		memset(c->xmm, 0, sizeof c->xmm);
		c->mxcsr = 0x1f80;
		memset(&c->msr, 0, sizeof c->msr);
		c->msr.hpat = 0x0007040600070406ull; /* MT-03 */
		c->msr.mtrr_cap = 0x508;            /* 8 variable, fixed, WC */
		c->msr.apic_base = 0xfee00000ull | (1ull << 11) | (c->index == 0 ? 1ull << 8 : 0);
		c->tsc_offset = 0;
	}
	c->asid = 0;
	mode_update(c);
	tlb_flush_all(c);
}
