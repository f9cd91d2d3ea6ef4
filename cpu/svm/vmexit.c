/* SPDX-License-Identifier: MIT */
/* #VMEXIT (APM vol. 2, 15.6; checklist 1.5): exit fields, guest state to
 * the VMCB, host state from the hidden copy saved by VMRUN, GIF = 0. */
#include <stdio.h>
#include "svm.h"
#include "../core/exec.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

const char *svm_exit_name(uint64_t code)
{
	switch ((int64_t)code) {
#define EXIT(name, v) case (v): return #name;
#include "svm_exit.def"
#undef EXIT
	default: return "UNKNOWN";
	}
}

_Noreturn void svm_vmexit_raise(struct cpu *c, uint64_t code, uint64_t info1, uint64_t info2)
{
	c->svm.exit_code = code;
	c->svm.exit_info1 = info1;
	c->svm.exit_info2 = info2;
	c->svm.exit_int_info = 0;
	c->svm.exit_nrip = c->next_rip;
	c->ev = (struct event){ .vector = -1, .kind = EV_VMEXIT };
	longjmp(*c->jb, 1);
}

static void put_seg(struct cpu *c, uint64_t pa, size_t off, const struct seg *s)
{
	struct vmcb_seg v;
	svm_seg_to_vmcb(&v, s);
	vmcb_write(c, pa, off, &v, sizeof v);
}

/* Guest state written back (the subset VMRUN loads, 15.6). */
static void save_guest(struct cpu *c, uint64_t pa)
{
	put_seg(c, pa, VMCB_OFF(save.es), &c->seg[SEG_ES]);
	put_seg(c, pa, VMCB_OFF(save.cs), &c->seg[SEG_CS]);
	put_seg(c, pa, VMCB_OFF(save.ss), &c->seg[SEG_SS]);
	put_seg(c, pa, VMCB_OFF(save.ds), &c->seg[SEG_DS]);
	VMCB_PUT(c, pa, save.gdtr.base, c->gdtr.base);
	VMCB_PUT(c, pa, save.gdtr.limit, c->gdtr.limit);
	VMCB_PUT(c, pa, save.idtr.base, c->idtr.base);
	VMCB_PUT(c, pa, save.idtr.limit, c->idtr.limit);
	VMCB_PUT(c, pa, save.cpl, (uint8_t)c->cpl);
	VMCB_PUT(c, pa, save.efer, c->efer);
	VMCB_PUT(c, pa, save.cr0, c->cr0);
	VMCB_PUT(c, pa, save.cr2, c->cr2);
	VMCB_PUT(c, pa, save.cr3, c->cr3);
	VMCB_PUT(c, pa, save.cr4, c->cr4);
	VMCB_PUT(c, pa, save.dr6, c->dr[6]);
	VMCB_PUT(c, pa, save.dr7, c->dr[7]);
	VMCB_PUT(c, pa, save.rflags, c->rflags);
	VMCB_PUT(c, pa, save.rip, c->rip);
	VMCB_PUT(c, pa, save.rsp, c->gpr[4]);
	VMCB_PUT(c, pa, save.rax, c->gpr[0]);
	uint64_t shadow = c->icount < c->inhibit_irq_until ? INT_STATE_SHADOW : 0;
	VMCB_PUT(c, pa, ctl.int_state, shadow);
	/* V_TPR / V_IRQ: written back as the guest left them (this model keeps
	 * them in the cached controls) */
	VMCB_PUT(c, pa, ctl.vintr, c->svm.ctl.vintr);
}

static void put_exit_fields(struct cpu *c, uint64_t pa)
{
	struct svm_state *s = &c->svm;
	VMCB_PUT(c, pa, ctl.exitcode, s->exit_code);
	VMCB_PUT(c, pa, ctl.exitinfo1, s->exit_info1);
	VMCB_PUT(c, pa, ctl.exitinfo2, s->exit_info2);
	VMCB_PUT(c, pa, ctl.exitintinfo, s->exit_int_info);
	VMCB_PUT(c, pa, ctl.nrip, s->exit_nrip);
	VMCB_PUT(c, pa, ctl.insn_len, (uint8_t)0);
	uint64_t inj = phys_read(c->m, pa + VMCB_OFF(ctl.eventinj), 8, PAC_MT_WB);
	VMCB_PUT(c, pa, ctl.eventinj, inj & ~EVENT_V);
}

static void load_seg(struct seg *d, const struct svm_seg *s)
{
	*d = (struct seg){ s->sel, s->attr, s->limit, s->base };
}

/* Host reload (15.6): CR0.PE forced, RFLAGS.VM cleared, CPL 0, DR7 = 400h.
 * Returns false on a host state the CPU cannot resume (-> shutdown). */
static bool load_host(struct cpu *c)
{
	const struct svm_host_state *h = &c->svm.host;
	load_seg(&c->seg[SEG_ES], &h->es);
	load_seg(&c->seg[SEG_CS], &h->cs);
	load_seg(&c->seg[SEG_SS], &h->ss);
	load_seg(&c->seg[SEG_DS], &h->ds);
	c->gdtr = (struct dtr){ h->gdtr_base, h->gdtr_limit };
	c->idtr = (struct dtr){ h->idtr_base, h->idtr_limit };
	c->cr0 = h->cr0 | CR0_PE, c->cr3 = h->cr3, c->cr4 = h->cr4, c->efer = h->efer;
	c->rflags = h->rflags & ~(uint64_t)FL_VM;
	c->rip = h->rip, c->gpr[4] = h->rsp, c->gpr[0] = h->rax;
	c->cpl = 0;
	c->dr[7] = 0x400;
	c->inhibit_irq_until = 0;
	mode_update(c);
	if (c->paging == PAGING_PAE && !mmu_load_pdptes(c))
		return false;
	return true;
}

void svm_vmexit(struct cpu *c, bool save_guest_state)
{
	struct svm_state *s = &c->svm;
	uint64_t pa = s->vmcb_pa;
	s->vmexits++;
	if (save_guest_state)
		save_guest(c, pa);
	put_exit_fields(c, pa);
	if (s->guest)
		c->tsc_offset -= s->ctl.tsc_offset;
	s->guest = false;
	s->gif = false;
	s->injecting = false;
	s->ctl = (struct vmcb_ctrl){ 0 };
	c->asid = 0;
	c->halted = false;
	cpu_log(c, "SVM", "#VMEXIT %s (%#llx) info1=%#llx info2=%#llx intinfo=%#llx nrip=%#llx",
		svm_exit_name(s->exit_code), (unsigned long long)s->exit_code,
		(unsigned long long)s->exit_info1, (unsigned long long)s->exit_info2,
		(unsigned long long)s->exit_int_info, (unsigned long long)s->exit_nrip);
	if (!load_host(c)) {
		cpu_log(c, "SVM", "#VMEXIT: illegal host PDPEs (CR3=%#llx): shutdown",
			(unsigned long long)c->cr3);
		cpu_stop(c, PAC_EXIT_SHUTDOWN, "#VMEXIT: host state reload failed (illegal PDPEs)");
	}
}
