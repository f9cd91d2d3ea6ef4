/* SPDX-License-Identifier: MIT */
/* XSAVE/XSAVEOPT/XRSTOR (0F AE /4 /6 /5), standard format, for the x87
 * (bit 0) and SSE (bit 1) components (SDM vol. 1 ch. 13). XINUSE is
 * reported as 1 for both components (allowed: SDM 13.6), so XSAVEOPT
 * behaves as XSAVE. */
#include "sse.h"
#include "fxsave.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

#define XS_HDR 512
#define XS_SIZE 576
#define XS_X87 1ull
#define XS_SSE 2ull
#define XS_AVX 4ull

static MAYFAULT uint64_t xs_rfbm(struct cpu *c)
{
	if (!(c->cr4 & CR4_OSXSAVE))
		raise_ud(c);
	if (c->cr0 & CR0_TS)
		raise_exc(c, EXC_NM);
	uint64_t mask = (c->gpr[2] << 32) | (uint32_t)c->gpr[0];
	return c->xcr0 & mask;
}

static int xs_nxmm(const struct cpu *c) { return c->mode == MODE_LONG ? 16 : 8; }

void op_xsave(struct cpu *c, const struct insn *in)
{
	uint64_t rfbm = xs_rfbm(c);
	uint64_t off = sse_ea(c, in, 64);
	mem_probe_write(c, in->seg, off, XS_SIZE);
	uint64_t bv = mem_read(c, in->seg, off + XS_HDR, 8);
	uint8_t img[512];
	if (rfbm & XS_X87) {
		fx_put_x87(c, img, sse_rexw(in));
		mem_write_buf(c, in->seg, off, img, 24);
		mem_write_buf(c, in->seg, off + FX_ST, img + FX_ST, 128);
	}
	if (rfbm & (XS_SSE | XS_AVX)) {
		fx_put_mxcsr(c, img);
		mem_write_buf(c, in->seg, off + FX_MXCSR, img + FX_MXCSR, 8);
	}
	if (rfbm & XS_SSE) {
		fx_put_xmm(c, img, xs_nxmm(c));
		mem_write_buf(c, in->seg, off + FX_XMM, img + FX_XMM, 16u * (unsigned)xs_nxmm(c));
	}
	bv = (bv & ~rfbm) | (rfbm & (XS_X87 | XS_SSE));
	mem_write(c, in->seg, off + XS_HDR, 8, bv);
}

/* #GP for a header the standard form rejects: XSTATE_BV bits outside
 * XCR0, or XCOMP_BV / header bytes 16..23 non-zero (no compacted form:
 * the model has no XSAVEC) */
static bool xs_header_ok(const struct cpu *c, const uint8_t *hdr)
{
	uint64_t bv, comp, rsvd;
	memcpy(&bv, hdr, 8);
	memcpy(&comp, hdr + 8, 8);
	memcpy(&rsvd, hdr + 16, 8);
	return !(bv & ~c->xcr0) && !comp && !rsvd;
}

void op_xrstor(struct cpu *c, const struct insn *in)
{
	uint64_t rfbm = xs_rfbm(c);
	uint64_t off = sse_ea(c, in, 64);
	uint8_t img[XS_SIZE];
	mem_read_buf(c, in->seg, off, img, XS_SIZE);
	if (!xs_header_ok(c, img + XS_HDR))
		raise_gp0(c);
	uint64_t bv;
	memcpy(&bv, img + XS_HDR, 8);
	uint32_t mx = fx_get_mxcsr(img);
	bool load_mx = (rfbm & (XS_SSE | XS_AVX)) != 0;
	if (load_mx && (mx & ~MXCSR_MASK))
		raise_gp0(c);
	if (rfbm & XS_X87) {
		if (bv & XS_X87)
			fx_get_x87(c, img, sse_rexw(in));
		else
			fx_init_x87(c);
	}
	if (rfbm & XS_SSE) {
		if (bv & XS_SSE)
			fx_get_xmm(c, img, xs_nxmm(c));
		else
			memset(c->xmm, 0, sizeof(union xmm) * (size_t)xs_nxmm(c));
	}
	/* the standard form loads MXCSR whenever RFBM[1] or RFBM[2] is set,
	 * whatever XSTATE_BV says (SDM 13.8.1) */
	if (load_mx)
		c->mxcsr = mx;
}
