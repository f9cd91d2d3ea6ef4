/* SPDX-License-Identifier: MIT */
/* Operand access for the SSE/MMX families and the MMX register view. */
#include "sse.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

MAYFAULT uint64_t sse_ea(struct cpu *c, const struct insn *in, unsigned align)
{
	uint64_t off = ea_offset(c, in);
	if (align > 1) {
		/* legacy SSE: a misaligned m128 raises #GP(0) even for SS-relative
		 * operands (APM vol. 4 "Alignment"); the check is on the linear address */
		uint64_t base = c->seg[in->seg].base;
		if (c->mode == MODE_LONG && in->seg < SEG_FS)
			base = 0;
		if ((base + off) & (align - 1))
			raise_gp0(c);
	}
	return off;
}

MAYFAULT void sse_src(struct cpu *c, const struct insn *in, union xmm *v, unsigned bytes, bool aligned)
{
	if (!in->has_mem) {
		*v = c->xmm[in->rm & 15];
		return;
	}
	uint64_t off = sse_ea(c, in, aligned && bytes == 16 ? 16 : 1);
	memset(v, 0, sizeof *v);
	mem_read_buf(c, in->seg, off, v->b, bytes);
}

MAYFAULT void sse_store(struct cpu *c, const struct insn *in, const void *v, unsigned bytes, bool aligned)
{
	uint64_t off = sse_ea(c, in, aligned && bytes == 16 ? 16 : 1);
	mem_write_buf(c, in->seg, off, v, bytes);
}

/* MMX instructions first report a pending unmasked x87 exception (#MF when
 * CR0.NE), then set TOS = 0 and every tag to valid (APM vol. 1 5.1.3). */
MAYFAULT void mmx_enter(struct cpu *c)
{
	if ((c->fpu.fsw & 0x80) && (c->cr0 & CR0_NE))
		raise_exc(c, EXC_MF);
	c->fpu.fsw &= (uint16_t)~0x3800u;
	c->fpu.ftw = 0;
}

MAYFAULT uint64_t mmx_src(struct cpu *c, const struct insn *in, unsigned bytes)
{
	if (!in->has_mem)
		return mmx_get(c, in->rm & 7);
	return mem_read(c, in->seg, ea_offset(c, in), bytes);
}

MAYFAULT void sse_fp_finish(struct cpu *c, struct fpctx *x)
{
	fpctx_end(x);
	uint32_t masks = (c->mxcsr >> 7) & 0x3f;
	/* unmasked pre-computation exceptions suppress the computation, so no
	 * post-computation flag is reported (SDM 11.5.2) */
	uint32_t flags = (x->pre & ~masks) ? x->pre : (x->pre | x->post);
	c->mxcsr |= flags;
	if (flags & ~masks)
		raise_exc(c, (c->cr4 & CR4_OSXMMEXCPT) ? EXC_XM : EXC_UD);
}
