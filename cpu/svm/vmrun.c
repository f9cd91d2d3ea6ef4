/* SPDX-License-Identifier: MIT */
/* VMRUN after its instruction checks and intercept (svm_insn.c), as the
 * steps of APM vol. 2, 15.5.1 (checklist 1.4): snapshot the VMCB once, save
 * the host, run the consistency checks, load the guest, controls, TLB
 * control, GIF = 1, event injection. */
#include <stdio.h>
#include "svm.h"
#include "../core/exec.h"
#include "../cpuid/cpuid.h"
#include "../mmu/mmu.h"

/* Step 3: one read of the whole page, plus the legacy-PAE PDPEs (VR-29;
 * with nested paging they would not be read, checklist 4.6). */
static void snapshot(struct cpu *c, uint64_t pa, struct svm_snapshot *s)
{
	vmcb_read_page(c, pa, &s->v);
	const struct vmcb_save *g = &s->v.save;
	s->pae_legacy = (g->cr0 & CR0_PG) && (g->cr4 & CR4_PAE) && !(g->efer & EFER_LME);
	if (s->pae_legacy)
		for (int i = 0; i < 4; i++)
			s->pdpte[i] = phys_read(c->m, (g->cr3 & 0xffffffe0ull) + 8u * (unsigned)i, 8, PAC_MT_WB);
}

static void host_seg(struct svm_seg *d, const struct seg *s)
{
	*d = (struct svm_seg){ s->sel, s->attr, s->limit, s->base };
}

/* Step 2: the hidden copy #VMEXIT reloads, and the same values in the
 * VM_HSAVE_PA page at their VMCB save-area offsets (our format). */
static void save_host(struct cpu *c)
{
	struct svm_host_state *h = &c->svm.host;
	host_seg(&h->es, &c->seg[SEG_ES]);
	host_seg(&h->cs, &c->seg[SEG_CS]);
	host_seg(&h->ss, &c->seg[SEG_SS]);
	host_seg(&h->ds, &c->seg[SEG_DS]);
	h->gdtr_base = c->gdtr.base, h->gdtr_limit = c->gdtr.limit;
	h->idtr_base = c->idtr.base, h->idtr_limit = c->idtr.limit;
	h->cr0 = c->cr0, h->cr3 = c->cr3, h->cr4 = c->cr4, h->efer = c->efer;
	h->rflags = c->rflags, h->rip = c->rip, h->rsp = c->gpr[4], h->rax = c->gpr[0];
	uint64_t pa = c->msr.vm_hsave_pa;
	struct vmcb_seg v;
	static const int segs[] = { SEG_ES, SEG_CS, SEG_SS, SEG_DS };
	for (int i = 0; i < 4; i++) {
		svm_seg_to_vmcb(&v, &c->seg[segs[i]]);
		vmcb_write(c, pa, VMCB_OFF(save.es) + 16u * (unsigned)i, &v, sizeof v);
	}
	VMCB_PUT(c, pa, save.gdtr.base, h->gdtr_base);
	VMCB_PUT(c, pa, save.gdtr.limit, h->gdtr_limit);
	VMCB_PUT(c, pa, save.idtr.base, h->idtr_base);
	VMCB_PUT(c, pa, save.idtr.limit, h->idtr_limit);
	VMCB_PUT(c, pa, save.cr0, h->cr0);
	VMCB_PUT(c, pa, save.cr3, h->cr3);
	VMCB_PUT(c, pa, save.cr4, h->cr4);
	VMCB_PUT(c, pa, save.efer, h->efer);
	VMCB_PUT(c, pa, save.rflags, h->rflags);
	VMCB_PUT(c, pa, save.rip, h->rip);
	VMCB_PUT(c, pa, save.rsp, h->rsp);
	VMCB_PUT(c, pa, save.rax, h->rax);
}

static uint64_t canon(const struct cpu *c, uint64_t a)
{
	int bits = (c->cr4 & CR4_LA57) ? 57 : 48;
	return (uint64_t)((int64_t)(a << (64 - bits)) >> (64 - bits));
}

/* Step 5: guest state; segment bases are canonicalised (15.5.1). */
static void load_guest(struct cpu *c, const struct svm_snapshot *s)
{
	const struct vmcb_save *g = &s->v.save;
	c->cr0 = g->cr0, c->cr2 = g->cr2, c->cr3 = g->cr3, c->cr4 = g->cr4;
	c->efer = g->efer & ~EFER_LMA;
	if ((c->efer & EFER_LME) && (c->cr0 & CR0_PG))
		c->efer |= EFER_LMA;
	svm_seg_from_vmcb(&c->seg[SEG_ES], &g->es);
	svm_seg_from_vmcb(&c->seg[SEG_CS], &g->cs);
	svm_seg_from_vmcb(&c->seg[SEG_SS], &g->ss);
	svm_seg_from_vmcb(&c->seg[SEG_DS], &g->ds);
	for (int i = SEG_ES; i <= SEG_DS; i++)
		c->seg[i].base = canon(c, c->seg[i].base);
	c->gdtr = (struct dtr){ canon(c, g->gdtr.base), (uint16_t)g->gdtr.limit };
	c->idtr = (struct dtr){ canon(c, g->idtr.base), (uint16_t)g->idtr.limit };
	c->rflags = (g->rflags & 0x3f7fd7ull) | FL_FIX1;
	c->rip = g->rip, c->gpr[4] = g->rsp, c->gpr[0] = g->rax;
	c->dr[6] = g->dr6, c->dr[7] = g->dr7;
	c->cpl = !(c->cr0 & CR0_PE) ? 0 : (c->rflags & FL_VM) ? 3 : g->cpl & 3;
	mode_update(c);
	if (s->pae_legacy)
		memcpy(c->pdpte, s->pdpte, sizeof c->pdpte);
	c->inhibit_irq_until = (s->v.ctl.int_state & INT_STATE_SHADOW) ? c->icount + 2 : 0;
}

static void flush_asid(struct cpu *c, uint16_t asid, bool keep_global)
{
	for (unsigned i = 0; i < TLB_SIZE; i++)
		if (c->tlb[i].asid == asid && !(keep_global && c->tlb[i].global))
			c->tlb[i].tag = 0;
}

/* Step 8: TLB_CONTROL (15.16.1). VMRUN's CR loads never flush by
 * themselves; the software TLB is tagged with the ASID. */
static void tlb_control(struct cpu *c, const struct vmcb_ctrl *k)
{
	switch (k->tlb_ctl) {
	case TLBCTL_NOTHING: break;
	case TLBCTL_FLUSH_ALL: tlb_flush_all(c); break;
	case TLBCTL_FLUSH_ASID: flush_asid(c, svm_asid_tag(k->asid), false); break;
	case TLBCTL_FLUSH_ASID_NONGLOBAL: flush_asid(c, svm_asid_tag(k->asid), true); break;
	default:
		/* APPROX: reserved encodings flush everything (checklist B.13) */
		cpu_log(c, "GUEST_ERR", "VMRUN: reserved TLB_CONTROL %#x, flushing all", k->tlb_ctl);
		tlb_flush_all(c);
		break;
	}
}

/* Step 7: controls. NP_ENABLE is ignored: nested paging is not advertised. */
static void load_controls(struct cpu *c, const struct svm_snapshot *s, uint64_t pa)
{
	c->svm.ctl = s->v.ctl;
	c->svm.vmcb_pa = pa;
	c->asid = svm_asid_tag(s->v.ctl.asid);
	c->tsc_offset += s->v.ctl.tsc_offset;
	tlb_control(c, &s->v.ctl);
}

/* Step 10: EVENTINJ (15.20), delivered through the guest IDT before the
 * first guest instruction; svm_event_intercept() skips the injected event
 * itself but not exceptions raised while delivering it. */
static void inject(struct cpu *c, uint64_t e)
{
	if (!(e & EVENT_V))
		return;
	unsigned type = (unsigned)((e & EVENT_TYPE_MASK) >> EVENT_TYPE_SHIFT);
	struct event ev = { .vector = (int)(e & EVENT_VECTOR_MASK), .next_rip = c->rip };
	ev.has_err = (e & EVENT_EV) != 0;
	ev.err = (uint32_t)(e >> EVENT_ERR_SHIFT);
	switch (type) {
	case EVTYPE_INTR: ev.kind = EV_EXTINT; break;
	case EVTYPE_NMI: ev.kind = EV_NMI, ev.vector = EXC_NMI; break;
	case EVTYPE_SOFTINT: ev.kind = EV_SOFTINT, ev.next_rip = c->svm.ctl.nrip; break;
	default: /* exception; #BP and #OF as INT3/INTO: gate DPL checked */
		ev.kind = (ev.vector == EXC_BP || ev.vector == EXC_OF) ? EV_SWEXC : EV_FAULT;
		break;
	}
	c->svm.injecting = true;
	deliver_event(c, &ev);
	c->svm.injecting = false;
}

static void vmrun_invalid(struct cpu *c, const struct svm_check *k, const char *msg, uint64_t pa)
{
	c->svm.last_failed_check = k->id;
	snprintf(c->svm.last_failed_msg, sizeof c->svm.last_failed_msg, "%s", msg);
	cpu_log(c, "SVM", "VMRUN failed %s: %s (%s; APM %s)", k->id, msg, k->desc, k->apm);
	c->svm.vmcb_pa = pa;
	c->svm.ctl = (struct vmcb_ctrl){ 0 };
	c->svm.exit_code = (uint64_t)SVM_EXIT_INVALID;
	c->svm.exit_info1 = c->svm.exit_info2 = c->svm.exit_int_info = c->svm.exit_nrip = 0;
	svm_vmexit(c, false);
}

/* pa: the checked VMCB address (rAX). c->rip is already the next RIP. */
void svm_vmrun(struct cpu *c, uint64_t pa)
{
	struct svm_snapshot s;
	char msg[160];
	c->svm.vmruns++;
	snapshot(c, pa, &s);
	save_host(c);
	const struct svm_check *k = svm_run_checks(c, &s, msg, sizeof msg);
	if (k) {
		vmrun_invalid(c, k, msg, pa);
		return;
	}
	c->svm.last_failed_check = NULL;
	c->svm.last_failed_msg[0] = 0;
	load_guest(c, &s);
	load_controls(c, &s, pa);
	c->svm.guest = true;
	c->svm.gif = true;
	inject(c, s.v.ctl.eventinj);
}
