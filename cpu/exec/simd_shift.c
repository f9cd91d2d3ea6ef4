/* SPDX-License-Identifier: MIT */
/* Packed shifts: PSRLx/PSRAx/PSLLx by register (count = low quadword of the
 * source) and by immediate (0F 71/72/73 groups), PSRLDQ/PSLLDQ. */
#include "simd.h"
#include "../core/fault.h"

enum { SH_RL, SH_RA, SH_LL };

/* shift each `es`-byte element of d by cnt (cnt >= width: 0 or sign fill) */
static void shift(union xmm *d, int n, int es, int kind, uint64_t cnt)
{
	int bits = es * 8;
	for (int i = 0; i < n / es; i++) {
		uint64_t v = 0;
		memcpy(&v, d->b + i * es, (size_t)es);
		if (kind == SH_RA) {
			int64_t sv = (int64_t)(v << (64 - bits)) >> (64 - bits);
			v = (uint64_t)(sv >> (cnt >= (uint64_t)bits ? bits - 1 : (int)cnt));
		} else if (cnt >= (uint64_t)bits) {
			v = 0;
		} else {
			v = kind == SH_RL ? v >> cnt : v << cnt;
		}
		memcpy(d->b + i * es, &v, (size_t)es);
	}
}

static void k_psrlw(union xmm *d, const union xmm *s, int n) { shift(d, n, 2, SH_RL, s->q[0]); }
static void k_psrld(union xmm *d, const union xmm *s, int n) { shift(d, n, 4, SH_RL, s->q[0]); }
static void k_psrlq(union xmm *d, const union xmm *s, int n) { shift(d, n, 8, SH_RL, s->q[0]); }
static void k_psraw(union xmm *d, const union xmm *s, int n) { shift(d, n, 2, SH_RA, s->q[0]); }
static void k_psrad(union xmm *d, const union xmm *s, int n) { shift(d, n, 4, SH_RA, s->q[0]); }
static void k_psllw(union xmm *d, const union xmm *s, int n) { shift(d, n, 2, SH_LL, s->q[0]); }
static void k_pslld(union xmm *d, const union xmm *s, int n) { shift(d, n, 4, SH_LL, s->q[0]); }
static void k_psllq(union xmm *d, const union xmm *s, int n) { shift(d, n, 8, SH_LL, s->q[0]); }

simd_kernel simd_shift_kernel(int map, int opc)
{
	if (map != MAP_0F)
		return NULL;
	switch (opc) {
	case 0xd1: return k_psrlw;
	case 0xd2: return k_psrld;
	case 0xd3: return k_psrlq;
	case 0xe1: return k_psraw;
	case 0xe2: return k_psrad;
	case 0xf1: return k_psllw;
	case 0xf2: return k_pslld;
	case 0xf3: return k_psllq;
	default: return NULL;
	}
}

/* byte shift of the whole 128-bit register (PSRLDQ/PSLLDQ) */
static void byte_shift(union xmm *d, unsigned cnt, bool left)
{
	union xmm r = { .q = { 0, 0 } };
	if (cnt < 16) {
		if (left)
			memcpy(r.b + cnt, d->b, 16 - cnt);
		else
			memcpy(r.b, d->b + cnt, 16 - cnt);
	}
	*d = r;
}

/* 0F 71/72/73 ib (register forms): ModRM.reg selects the operation, the
 * shifted register is ModRM.rm. MMX without prefix, XMM with 66. */
void op_simd_shift_imm(struct cpu *c, const struct insn *in)
{
	static const int es_of[3] = { 2, 4, 8 };
	int es = es_of[in->opc - 0x71];
	int op = in->reg & 7;
	bool xmm = sse_pfx(in) == P_66;
	union xmm v = { .q = { 0, 0 } };
	if (xmm)
		v = *xreg(c, in->rm);
	else {
		mmx_enter(c);
		v.q[0] = mmx_get(c, in->rm);
	}
	if (es == 8 && (op == 3 || op == 7))
		byte_shift(&v, (unsigned)in->imm, op == 7);
	else
		shift(&v, xmm ? 16 : 8, es, op == 2 ? SH_RL : op == 4 ? SH_RA : SH_LL, in->imm);
	if (xmm)
		*xreg(c, in->rm) = v;
	else
		mmx_set(c, in->rm, v.q[0]);
}
