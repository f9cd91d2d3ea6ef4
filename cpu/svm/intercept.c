/* SPDX-License-Identifier: MIT */
/* Intercept checks (APM vol. 2, 15.7-15.13): the svm column of the opcode
 * rows, exceptions, INTR/NMI, IOIO (IOPM) and MSR (MSRPM). Each check reads
 * the control area cached by VMRUN and raises or performs the #VMEXIT. */
#include "svm.h"
#include "../core/exec.h"
#include "../decode/insn.h"

/* class -> intercept vector word (3 or 4), bit and exit code; CR/DR and
 * descriptor-table classes are computed in row_exit() */
struct icpt_map { uint8_t vec, bit; uint16_t code; };
static const struct icpt_map icpt_map[SVMI_COUNT] = {
	[SVMI_SIDT] = { 3, ICPT3_IDTR_RD, SVM_EXIT_IDTR_READ },
	[SVMI_SGDT] = { 3, ICPT3_GDTR_RD, SVM_EXIT_GDTR_READ },
	[SVMI_SLDT] = { 3, ICPT3_LDTR_RD, SVM_EXIT_LDTR_READ },
	[SVMI_STR] = { 3, ICPT3_TR_RD, SVM_EXIT_TR_READ },
	[SVMI_LIDT] = { 3, ICPT3_IDTR_WR, SVM_EXIT_IDTR_WRITE },
	[SVMI_LGDT] = { 3, ICPT3_GDTR_WR, SVM_EXIT_GDTR_WRITE },
	[SVMI_LLDT] = { 3, ICPT3_LDTR_WR, SVM_EXIT_LDTR_WRITE },
	[SVMI_LTR] = { 3, ICPT3_TR_WR, SVM_EXIT_TR_WRITE },
	[SVMI_RDTSC] = { 3, ICPT3_RDTSC, SVM_EXIT_RDTSC },
	[SVMI_RDPMC] = { 3, ICPT3_RDPMC, SVM_EXIT_RDPMC },
	[SVMI_PUSHF] = { 3, ICPT3_PUSHF, SVM_EXIT_PUSHF },
	[SVMI_POPF] = { 3, ICPT3_POPF, SVM_EXIT_POPF },
	[SVMI_CPUID] = { 3, ICPT3_CPUID, SVM_EXIT_CPUID },
	[SVMI_IRET] = { 3, ICPT3_IRET, SVM_EXIT_IRET },
	[SVMI_INTN] = { 3, ICPT3_INTN, SVM_EXIT_SWINT },
	[SVMI_INVD] = { 3, ICPT3_INVD, SVM_EXIT_INVD },
	[SVMI_PAUSE] = { 3, ICPT3_PAUSE, SVM_EXIT_PAUSE },
	[SVMI_HLT] = { 3, ICPT3_HLT, SVM_EXIT_HLT },
	[SVMI_INVLPG] = { 3, ICPT3_INVLPG, SVM_EXIT_INVLPG },
	[SVMI_INVLPGA] = { 3, ICPT3_INVLPGA, SVM_EXIT_INVLPGA },
	[SVMI_VMRUN] = { 4, ICPT4_VMRUN, SVM_EXIT_VMRUN },
	[SVMI_VMMCALL] = { 4, ICPT4_VMMCALL, SVM_EXIT_VMMCALL },
	[SVMI_VMLOAD] = { 4, ICPT4_VMLOAD, SVM_EXIT_VMLOAD },
	[SVMI_VMSAVE] = { 4, ICPT4_VMSAVE, SVM_EXIT_VMSAVE },
	[SVMI_STGI] = { 4, ICPT4_STGI, SVM_EXIT_STGI },
	[SVMI_CLGI] = { 4, ICPT4_CLGI, SVM_EXIT_CLGI },
	[SVMI_SKINIT] = { 4, ICPT4_SKINIT, SVM_EXIT_SKINIT },
	[SVMI_RDTSCP] = { 4, ICPT4_RDTSCP, SVM_EXIT_RDTSCP },
	[SVMI_ICEBP] = { 4, ICPT4_ICEBP, SVM_EXIT_ICEBP },
	[SVMI_WBINVD] = { 4, ICPT4_WBINVD, SVM_EXIT_WBINVD },
	[SVMI_MONITOR] = { 4, ICPT4_MONITOR, SVM_EXIT_MONITOR },
	[SVMI_MWAIT] = { 4, ICPT4_MWAIT, SVM_EXIT_MWAIT },
	[SVMI_XSETBV] = { 4, ICPT4_XSETBV, SVM_EXIT_XSETBV },
};

static bool vec_bit(const struct cpu *c, unsigned vec, unsigned bit)
{
	uint32_t w = vec == 3 ? c->svm.ctl.icpt_vec3 : c->svm.ctl.icpt_vec4;
	return (w >> bit) & 1;
}

void svm_insn_intercept(struct cpu *c, int icpt)
{
	const struct icpt_map *m = &icpt_map[icpt];
	if (c->svm.guest && m->code && vec_bit(c, m->vec, m->bit))
		svm_vmexit_raise(c, m->code, 0, 0);
}

/* MOV CRn/DRn (decode assist: EXITINFO1[3:0] = GPR, bit 63 = MOV CRn,
 * APM 15.33); LOCK MOV CR0 is CR8 (AltMovCr8). */
static void crdr_intercept(struct cpu *c, const struct insn *in, int cls)
{
	int n = in->reg;
	if (cls <= SVMI_CR_WRITE && in->lock)
		n = 8;
	uint32_t w = cls <= SVMI_CR_WRITE ? c->svm.ctl.icpt_cr : c->svm.ctl.icpt_dr;
	bool wr = cls == SVMI_CR_WRITE || cls == SVMI_DR_WRITE;
	if (!((w >> (n + (wr ? 16 : 0))) & 1))
		return;
	uint64_t base = cls <= SVMI_CR_WRITE ? SVM_EXIT_CR0_READ : SVM_EXIT_DR0_READ;
	uint64_t info = (uint64_t)(in->rm & 15) | (cls <= SVMI_CR_WRITE ? 1ull << 63 : 0);
	svm_vmexit_raise(c, base + (wr ? 16u : 0u) + (unsigned)n, info, 0);
}

/* SMSW reads CR0, LMSW/CLTS write it: no decode-assist GPR (bit 63 = 0) */
static void cr0_insn_intercept(struct cpu *c, bool wr)
{
	if ((c->svm.ctl.icpt_cr >> (wr ? 16 : 0)) & 1)
		svm_vmexit_raise(c, wr ? SVM_EXIT_CR0_WRITE : SVM_EXIT_CR0_READ, 0, 0);
}

static uint64_t invlpg_linear(struct cpu *c, const struct insn *in)
{
	uint64_t off = ea_offset(c, in);
	bool flat = c->mode == MODE_LONG && in->seg < SEG_FS;
	return (flat ? 0 : c->seg[in->seg].base) + off;
}

void svm_row_intercept(struct cpu *c, const struct insn *in)
{
	int cls = in->row->svm;
	if (!c->svm.guest || cls >= SVMI_LATE)
		return;
	switch (cls) {
	case SVMI_CR_READ: case SVMI_CR_WRITE: case SVMI_DR_READ: case SVMI_DR_WRITE:
		crdr_intercept(c, in, cls);
		return;
	case SVMI_SMSW: cr0_insn_intercept(c, false); return;
	case SVMI_LMSW: case SVMI_CLTS: cr0_insn_intercept(c, true); return;
	case SVMI_INTN:
		if (vec_bit(c, 3, ICPT3_INTN))
			svm_vmexit_raise(c, SVM_EXIT_SWINT, in->imm & 0xff, 0);
		return;
	case SVMI_INVLPG:
		if (vec_bit(c, 3, ICPT3_INVLPG))
			svm_vmexit_raise(c, SVM_EXIT_INVLPG, invlpg_linear(c, in), 0);
		return;
	default:
		svm_insn_intercept(c, cls);
	}
}
