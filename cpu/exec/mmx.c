/* SPDX-License-Identifier: MIT */
/* MMX/SSE2 register moves and element access: MOVD/MOVQ (GPR and
 * MMX/XMM), EMMS, MOVQ2DQ/MOVDQ2Q, PMOVMSKB, PEXTRx/PINSRx, MASKMOVQ/
 * MASKMOVDQU. */
#include "simd.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* 0F 6E / 66 0F 6E: MOVD/MOVQ mm|xmm, r/m32|r/m64 (zero-extended) */
void op_mmx_movd_load(struct cpu *c, const struct insn *in)
{
	int n = sse_rexw(in) ? 8 : 4;
	uint64_t v = rm_read(c, in, n);
	if (sse_pfx(in) == P_66) {
		union xmm *d = xreg(c, in->reg);
		d->q[0] = v;
		d->q[1] = 0;
		return;
	}
	mmx_enter(c);
	mmx_set(c, in->reg, v);
}

/* 0F 7E / 66 0F 7E: MOVD/MOVQ r/m32|r/m64, mm|xmm */
void op_mmx_movd_store(struct cpu *c, const struct insn *in)
{
	int n = sse_rexw(in) ? 8 : 4;
	uint64_t v;
	if (sse_pfx(in) == P_66) {
		v = xreg(c, in->reg)->q[0];
	} else {
		mmx_enter(c);
		v = mmx_get(c, in->reg);
	}
	if (in->has_mem)
		mem_write(c, in->seg, ea_offset(c, in), (unsigned)n, v & size_mask(n));
	else
		reg_write(c, in->rm, n, false, v);
}

/* 0F 6F: MOVQ mm, mm/m64 */
void op_mmx_movq_load(struct cpu *c, const struct insn *in)
{
	uint64_t v = mmx_src(c, in, 8);
	mmx_enter(c);
	mmx_set(c, in->reg, v);
}

/* 0F 7F: MOVQ mm/m64, mm; 0F E7: MOVNTQ m64, mm */
void op_mmx_movq_store(struct cpu *c, const struct insn *in)
{
	mmx_enter(c);
	uint64_t v = mmx_get(c, in->reg);
	if (in->has_mem)
		mem_write(c, in->seg, ea_offset(c, in), 8, v);
	else
		mmx_set(c, in->rm, v);
}

/* 0F 77: EMMS: every x87 tag to empty */
void op_mmx_emms(struct cpu *c, const struct insn *in)
{
	(void)in;
	if ((c->fpu.fsw & 0x80) && (c->cr0 & CR0_NE))
		raise_exc(c, EXC_MF);
	c->fpu.ftw = 0xffff;
}

/* F3 0F D6: MOVQ2DQ xmm, mm; F2 0F D6: MOVDQ2Q mm, xmm */
void op_mmx_movq2dq(struct cpu *c, const struct insn *in)
{
	mmx_enter(c);
	if (sse_pfx(in) == P_F3) {
		union xmm *d = xreg(c, in->reg);
		d->q[0] = mmx_get(c, in->rm);
		d->q[1] = 0;
	} else {
		mmx_set(c, in->reg, xreg(c, in->rm)->q[0]);
	}
}

/* 0F D7 / 66 0F D7: PMOVMSKB r32, mm|xmm */
void op_simd_pmovmskb(struct cpu *c, const struct insn *in)
{
	union xmm s = { .q = { 0, 0 } };
	int n = 16;
	if (sse_pfx(in) == P_66) {
		s = *xreg(c, in->rm);
	} else {
		mmx_enter(c);
		s.q[0] = mmx_get(c, in->rm);
		n = 8;
	}
	uint32_t m = 0;
	for (int i = 0; i < n; i++)
		m |= (uint32_t)(s.b[i] >> 7) << i;
	reg_write(c, in->reg, 4, false, m);
}

/* 0F C5 ib: PEXTRW r32, mm|xmm (register form) */
void op_simd_pextrw_reg(struct cpu *c, const struct insn *in)
{
	uint16_t v;
	if (sse_pfx(in) == P_66) {
		v = xreg(c, in->rm)->w[in->imm & 7];
	} else {
		mmx_enter(c);
		v = (uint16_t)(mmx_get(c, in->rm) >> (16 * (in->imm & 3)));
	}
	reg_write(c, in->reg, 4, false, v);
}

/* 0F C4 ib: PINSRW mm|xmm, r32/m16 */
void op_simd_pinsrw(struct cpu *c, const struct insn *in)
{
	uint16_t v = (uint16_t)(in->has_mem ? mem_read(c, in->seg, ea_offset(c, in), 2)
					    : reg_read(c, in->rm, 2, false));
	if (sse_pfx(in) == P_66) {
		xreg(c, in->reg)->w[in->imm & 7] = v;
		return;
	}
	mmx_enter(c);
	int sh = 16 * (int)(in->imm & 3);
	uint64_t m = mmx_get(c, in->reg) & ~(0xffffull << sh);
	mmx_set(c, in->reg, m | (uint64_t)v << sh);
}

/* 66 0F 3A 14/15/16 ib: PEXTRB/PEXTRW/PEXTRD/PEXTRQ r/m, xmm */
void op_simd_pextr(struct cpu *c, const struct insn *in)
{
	int es = in->opc == 0x14 ? 1 : in->opc == 0x15 ? 2 : sse_rexw(in) ? 8 : 4;
	const union xmm *s = xreg(c, in->reg);
	uint64_t v = 0;
	memcpy(&v, s->b + ((unsigned)in->imm & (16u / (unsigned)es - 1)) * (unsigned)es, (size_t)es);
	if (in->has_mem)
		mem_write(c, in->seg, ea_offset(c, in), (unsigned)es, v);
	else
		reg_write(c, in->rm, es == 8 ? 8 : 4, false, v);
}

/* 66 0F 3A 20/22 ib: PINSRB/PINSRD/PINSRQ xmm, r/m */
void op_simd_pinsr(struct cpu *c, const struct insn *in)
{
	int es = in->opc == 0x20 ? 1 : sse_rexw(in) ? 8 : 4;
	uint64_t v = in->has_mem ? mem_read(c, in->seg, ea_offset(c, in), (unsigned)es)
				 : reg_read(c, in->rm, es, false);
	union xmm *d = xreg(c, in->reg);
	memcpy(d->b + ((unsigned)in->imm & (16u / (unsigned)es - 1)) * (unsigned)es, &v, (size_t)es);
}

/* 0F F7 / 66 0F F7: MASKMOVQ/MASKMOVDQU: bytes of reg selected by the sign
 * bits of rm are stored at DS:rDI (segment override allowed) */
void op_simd_maskmov(struct cpu *c, const struct insn *in)
{
	union xmm v = { .q = { 0, 0 } }, m = { .q = { 0, 0 } };
	int n = 16;
	if (sse_pfx(in) == P_66) {
		v = *xreg(c, in->reg);
		m = *xreg(c, in->rm);
	} else {
		mmx_enter(c);
		v.q[0] = mmx_get(c, in->reg);
		m.q[0] = mmx_get(c, in->rm);
		n = 8;
	}
	uint64_t off = c->gpr[7] & size_mask(in->addrsize);
	bool any = false;
	for (int i = 0; i < n; i++)
		any |= (m.b[i] & 0x80) != 0;
	if (!any)
		return;
	mem_probe_write(c, in->seg, off, (unsigned)n);
	for (int i = 0; i < n; i++)
		if (m.b[i] & 0x80)
			mem_write(c, in->seg, (off + (unsigned)i) & size_mask(in->addrsize), 1, v.b[i]);
}
