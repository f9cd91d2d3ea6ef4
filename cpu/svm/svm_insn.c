/* SPDX-License-Identifier: MIT */
/* The SVM instructions (APM vol. 3 and vol. 2 15.5, 15.5.2, 15.17, 15.16):
 * VMRUN, VMMCALL, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA. Each checks
 * #UD then #GP, then the intercept (Table 15-7), then acts. */
#include "svm.h"
#include "../core/fault.h"
#include "../cpuid/cpuid.h"
#include "../exec/handlers.h"
#include "../mmu/mmu.h"

/* VP-1: #UD without EFER.SVME or outside protected mode; VP-2: #GP(0) at
 * CPL > 0 */
static MAYFAULT void svm_basic_checks(struct cpu *c)
{
	if (!(c->efer & EFER_SVME) || c->mode == MODE_REAL || c->mode == MODE_V86)
		raise_ud(c);
	if (c->cpl != 0)
		raise_gp0(c);
}

/* VP-3: rAX (address-size masked) 4 KiB aligned and below MAXPHYADDR */
static MAYFAULT uint64_t vmcb_operand(struct cpu *c, const struct insn *in)
{
	uint64_t pa = svm_rax_pa(c, in);
	if ((pa & 0xfff) || !svm_pa_range_ok(c, pa, 0x1000))
		raise_gp0(c);
	return pa;
}

void op_vmrun(struct cpu *c, const struct insn *in)
{
	svm_basic_checks(c);
	uint64_t pa = vmcb_operand(c, in);
	svm_insn_intercept(c, SVMI_VMRUN); /* VP-4 */
	svm_vmrun(c, pa);
}

/* Not intercepted: #UD at any CPL and mode (APM vol. 3, VMMCALL). */
void op_vmmcall(struct cpu *c, const struct insn *in)
{
	(void)in;
	svm_insn_intercept(c, SVMI_VMMCALL);
	raise_ud(c);
}

static void seg_put(struct cpu *c, uint64_t pa, size_t off, const struct seg *s)
{
	struct vmcb_seg v;
	svm_seg_to_vmcb(&v, s);
	vmcb_write(c, pa, off, &v, sizeof v);
}

static void seg_get(struct cpu *c, uint64_t pa, size_t off, struct seg *s)
{
	struct vmcb_seg v;
	uint64_t q0 = phys_read(c->m, pa + off, 8, PAC_MT_WB);
	uint64_t q1 = phys_read(c->m, pa + off + 8, 8, PAC_MT_WB);
	memcpy(&v, &q0, 8);
	memcpy((uint8_t *)&v + 8, &q1, 8);
	svm_seg_from_vmcb(s, &v);
}

/* the MSR fields of VMLOAD/VMSAVE, in VMCB order */
#define VMLS_MSRS(X) X(star) X(lstar) X(cstar) X(sfmask) X(kernel_gs_base) \
	X(sysenter_cs) X(sysenter_esp) X(sysenter_eip)

/* VMLOAD (15.5.2): FS, GS, TR, LDTR with their hidden parts, KernelGsBase,
 * STAR/LSTAR/CSTAR/SFMASK, SYSENTER_CS/ESP/EIP. */
void op_vmload(struct cpu *c, const struct insn *in)
{
	svm_basic_checks(c);
	uint64_t pa = vmcb_operand(c, in);
	svm_insn_intercept(c, SVMI_VMLOAD);
	seg_get(c, pa, VMCB_OFF(save.fs), &c->seg[SEG_FS]);
	seg_get(c, pa, VMCB_OFF(save.gs), &c->seg[SEG_GS]);
	seg_get(c, pa, VMCB_OFF(save.tr), &c->tr);
	seg_get(c, pa, VMCB_OFF(save.ldtr), &c->ldtr);
#define LD(f) c->msr.f = phys_read(c->m, pa + VMCB_OFF(save.f), 8, PAC_MT_WB);
	VMLS_MSRS(LD)
#undef LD
}

void op_vmsave(struct cpu *c, const struct insn *in)
{
	svm_basic_checks(c);
	uint64_t pa = vmcb_operand(c, in);
	svm_insn_intercept(c, SVMI_VMSAVE);
	seg_put(c, pa, VMCB_OFF(save.fs), &c->seg[SEG_FS]);
	seg_put(c, pa, VMCB_OFF(save.gs), &c->seg[SEG_GS]);
	seg_put(c, pa, VMCB_OFF(save.tr), &c->tr);
	seg_put(c, pa, VMCB_OFF(save.ldtr), &c->ldtr);
#define ST(f) VMCB_PUT(c, pa, save.f, c->msr.f);
	VMLS_MSRS(ST)
#undef ST
}

/* STGI/CLGI (15.17): no SKINIT feature, so EFER.SVME is required. */
void op_stgi(struct cpu *c, const struct insn *in)
{
	(void)in;
	svm_basic_checks(c);
	svm_insn_intercept(c, SVMI_STGI);
	c->svm.gif = true;
}

void op_clgi(struct cpu *c, const struct insn *in)
{
	(void)in;
	svm_basic_checks(c);
	svm_insn_intercept(c, SVMI_CLGI);
	c->svm.gif = false;
}

/* SKINIT is not modelled (CPUID 8000_0001 ECX[12] = 0): #UD. */
void op_skinit(struct cpu *c, const struct insn *in)
{
	(void)in;
	raise_ud(c);
}

/* INVLPGA (15.16.2): invalidate the page at rAX in ASID ECX.
 * APPROX: the page is dropped in every ASID (an allowed over-flush). */
void op_invlpga(struct cpu *c, const struct insn *in)
{
	svm_basic_checks(c);
	svm_insn_intercept(c, SVMI_INVLPGA);
	tlb_flush_page(c, svm_rax_pa(c, in));
}
