/* SPDX-License-Identifier: MIT */
/* SYSCALL / SYSRET (0F 05 / 0F 07) in long and legacy mode, and SWAPGS
 * (0F 01 F8) (APM vol. 2, 6.1.1; vol. 3 "SYSCALL", "SYSRET", "SWAPGS"). */
#include "handlers.h"
#include "seg.h"
#include "flagsreg.h"
#include "../core/fault.h"

/* Flat segment caches loaded without descriptor reads. */
static struct seg flat(uint16_t sel, uint16_t attr)
{
	return (struct seg){ .sel = sel, .attr = attr, .limit = 0xffffffffu, .base = 0 };
}
#define ATTR_CODE64 0xa9b /* G, L, P, S, DPL 0, execute/read accessed */
#define ATTR_CODE32 0xc9b /* G, D, P, S, DPL 0 */
#define ATTR_DATA   0xc93 /* G, B, P, S, DPL 0, read/write accessed */
#define DPL3 0x60

void op_syscall(struct cpu *c, const struct insn *in)
{
	(void)in;
	if (!(c->efer & EFER_SCE))
		raise_ud(c);
	uint16_t sel = (uint16_t)((c->msr.star >> 32) & 0xfffc);
	struct seg ss = flat((uint16_t)(sel + 8), ATTR_DATA);
	if (c->efer & EFER_LMA) {
		c->gpr[1] = c->next_rip;
		c->gpr[11] = c->rflags & ~(uint64_t)FL_RF;
		uint64_t target = c->mode == MODE_LONG ? c->msr.lstar : c->msr.cstar;
		c->rflags = ((c->rflags & ~c->msr.sfmask) & ~(uint64_t)FL_RF) | FL_FIX1;
		struct seg cs = flat(sel, ATTR_CODE64);
		seg_commit_cs(c, &cs, 0, &ss);
		c->rip = target;
		return;
	}
	c->gpr[1] = (uint32_t)c->next_rip;
	c->rflags &= ~(uint64_t)(FL_VM | FL_IF | FL_RF);
	struct seg cs = flat(sel, ATTR_CODE32);
	seg_commit_cs(c, &cs, 0, &ss);
	c->rip = (uint32_t)c->msr.star;
}

void op_sysret(struct cpu *c, const struct insn *in)
{
	if (!(c->efer & EFER_SCE))
		raise_ud(c);
	if (c->mode == MODE_REAL || c->mode == MODE_V86 || c->cpl != 0)
		raise_gp0(c);
	uint16_t base = (uint16_t)(c->msr.star >> 48);
	/* AMD: SS gets the selector and DPL 3; its other cached attributes stay */
	struct seg ss = c->seg[SEG_SS];
	ss.sel = (uint16_t)((base + 8) | 3);
	ss.attr = (uint16_t)((ss.attr & ~SA_DPL) | DPL3);
	if (c->efer & EFER_LMA) {
		bool q = in->opsize == 8;
		uint64_t rip = q ? c->gpr[1] : (uint32_t)c->gpr[1];
		/* AMD: a non-canonical RCX is not checked here; the #GP comes from
		 * the fetch at CPL 3 (Intel faults in ring 0 instead) */
		struct seg cs = q ? flat((uint16_t)((base + 16) | 3), ATTR_CODE64 | DPL3)
				  : flat((uint16_t)(base | 3), ATTR_CODE32 | DPL3);
		rflags_write(c, (c->gpr[11] & ~(uint64_t)(FL_RF | FL_VM)) | FL_FIX1);
		seg_commit_cs(c, &cs, 3, &ss);
		c->rip = rip;
		return;
	}
	struct seg cs = flat((uint16_t)(base | 3), ATTR_CODE32 | DPL3);
	c->rflags |= FL_IF;
	seg_commit_cs(c, &cs, 3, &ss);
	c->rip = (uint32_t)c->gpr[1];
}

void op_swapgs(struct cpu *c, const struct insn *in)
{
	(void)in;
	uint64_t t = c->seg[SEG_GS].base;
	c->seg[SEG_GS].base = c->msr.kernel_gs_base;
	c->msr.kernel_gs_base = t;
}

/* SYSENTER / SYSEXIT (0F 34 / 0F 35): legacy mode only on AMD (#UD in long
 * mode), flat segments from SYSENTER_CS (APM vol. 3 "SYSENTER"). */
void op_sysenter(struct cpu *c, const struct insn *in)
{
	(void)in;
	if (c->efer & EFER_LMA)
		raise_ud(c);
	uint16_t sel = (uint16_t)(c->msr.sysenter_cs & 0xfffc);
	if (c->mode == MODE_REAL || sel == 0)
		raise_gp0(c);
	struct seg cs = flat(sel, ATTR_CODE32), ss = flat((uint16_t)(sel + 8), ATTR_DATA);
	c->rflags &= ~(uint64_t)(FL_VM | FL_IF | FL_RF);
	seg_commit_cs(c, &cs, 0, &ss);
	c->gpr[4] = (uint32_t)c->msr.sysenter_esp;
	c->rip = (uint32_t)c->msr.sysenter_eip;
}

void op_sysexit(struct cpu *c, const struct insn *in)
{
	(void)in;
	if (c->efer & EFER_LMA)
		raise_ud(c);
	uint16_t sel = (uint16_t)(c->msr.sysenter_cs & 0xfffc);
	if (c->mode == MODE_REAL || c->mode == MODE_V86 || c->cpl != 0 || sel == 0)
		raise_gp0(c);
	struct seg cs = flat((uint16_t)((sel + 16) | 3), ATTR_CODE32 | DPL3);
	struct seg ss = flat((uint16_t)((sel + 24) | 3), ATTR_DATA | DPL3);
	seg_commit_cs(c, &cs, 3, &ss);
	c->gpr[4] = (uint32_t)c->gpr[1];
	c->rip = (uint32_t)c->gpr[2];
}
