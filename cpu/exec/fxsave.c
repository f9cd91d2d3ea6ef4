/* SPDX-License-Identifier: MIT */
/* LDMXCSR/STMXCSR and FXSAVE/FXRSTOR (0F AE /0-/3). */
#include "sse.h"
#include "fxsave.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

void op_ldmxcsr(struct cpu *c, const struct insn *in)
{
	uint32_t v = (uint32_t)mem_read(c, in->seg, ea_offset(c, in), 4);
	if (v & ~MXCSR_MASK)
		raise_gp0(c);
	c->mxcsr = v;
}

void op_stmxcsr(struct cpu *c, const struct insn *in)
{
	mem_write(c, in->seg, ea_offset(c, in), 4, c->mxcsr);
}

/* XMM registers an FXSAVE/FXRSTOR covers: 16 in 64-bit mode, 8 otherwise;
 * none for the fast form (EFER.FFXSR, 64-bit mode, CPL 0) or without
 * CR4.OSFXSR (APM vol. 4 FXSAVE). */
static int fx_nxmm(const struct cpu *c)
{
	if (!(c->cr4 & CR4_OSFXSR))
		return 0;
	if (c->mode != MODE_LONG)
		return 8;
	return ((c->efer & EFER_FFXSR) && c->cpl == 0) ? 0 : 16;
}

void op_fxsave(struct cpu *c, const struct insn *in)
{
	uint64_t off = sse_ea(c, in, 16);
	int n = fx_nxmm(c);
	uint8_t img[512];
	fx_put_x87(c, img, sse_rexw(in));
	memset(img + FX_MXCSR, 0, 8);
	if (c->cr4 & CR4_OSFXSR)
		fx_put_mxcsr(c, img);
	fx_put_xmm(c, img, n);
	mem_probe_write(c, in->seg, off, 512);
	mem_write_buf(c, in->seg, off, img, FX_XMM + 16 * n);
}

void op_fxrstor(struct cpu *c, const struct insn *in)
{
	uint64_t off = sse_ea(c, in, 16);
	uint8_t img[512];
	mem_read_buf(c, in->seg, off, img, 512);
	bool sse = (c->cr4 & CR4_OSFXSR) != 0;
	uint32_t mx = fx_get_mxcsr(img);
	if (sse && (mx & ~MXCSR_MASK))
		raise_gp0(c);
	fx_get_x87(c, img, sse_rexw(in));
	if (sse)
		c->mxcsr = mx;
	fx_get_xmm(c, img, fx_nxmm(c));
}
