/* SPDX-License-Identifier: MIT */
/* Packed-integer arithmetic, compare, logic, min/max, average, multiply
 * (MMX, SSE, SSE2, SSSE3 sign/abs/mulhrs/maddubs, SSE4.1, SSE4.2 PCMPGTQ). */
#include <stdlib.h>
#include "simd.h"

#define S8(x) ((int8_t)(x))
#define S16(x) ((int16_t)(x))
#define S32(x) ((int32_t)(x))
#define S64(x) ((int64_t)(x))

SIMD_EW(k_paddb, uint8_t, b, a + b)
SIMD_EW(k_paddw, uint16_t, w, a + b)
SIMD_EW(k_paddd, uint32_t, d, a + b)
SIMD_EW(k_paddq, uint64_t, q, a + b)
SIMD_EW(k_psubb, uint8_t, b, a - b)
SIMD_EW(k_psubw, uint16_t, w, a - b)
SIMD_EW(k_psubd, uint32_t, d, a - b)
SIMD_EW(k_psubq, uint64_t, q, a - b)
SIMD_EW(k_paddsb, uint8_t, b, sat8s(S8(a) + S8(b)))
SIMD_EW(k_paddsw, uint16_t, w, sat16s(S16(a) + S16(b)))
SIMD_EW(k_paddusb, uint8_t, b, sat8u(a + b))
SIMD_EW(k_paddusw, uint16_t, w, sat16u(a + b))
SIMD_EW(k_psubsb, uint8_t, b, sat8s(S8(a) - S8(b)))
SIMD_EW(k_psubsw, uint16_t, w, sat16s(S16(a) - S16(b)))
SIMD_EW(k_psubusb, uint8_t, b, sat8u((int)a - (int)b))
SIMD_EW(k_psubusw, uint16_t, w, sat16u((int)a - (int)b))
SIMD_EW(k_pmullw, uint16_t, w, (uint32_t)(S16(a) * S16(b)))
SIMD_EW(k_pmulhw, uint16_t, w, (uint32_t)(S16(a) * S16(b)) >> 16)
SIMD_EW(k_pmulhuw, uint16_t, w, ((uint32_t)a * b) >> 16)
SIMD_EW(k_pmulld, uint32_t, d, (uint64_t)a * b)
SIMD_EW(k_pmulhrsw, uint16_t, w, (uint32_t)((((S16(a) * S16(b)) >> 14) + 1) >> 1))
SIMD_EW(k_pavgb, uint8_t, b, (a + b + 1) >> 1)
SIMD_EW(k_pavgw, uint16_t, w, (a + b + 1) >> 1)
SIMD_EW(k_pminub, uint8_t, b, a < b ? a : b)
SIMD_EW(k_pmaxub, uint8_t, b, a > b ? a : b)
SIMD_EW(k_pminuw, uint16_t, w, a < b ? a : b)
SIMD_EW(k_pmaxuw, uint16_t, w, a > b ? a : b)
SIMD_EW(k_pminud, uint32_t, d, a < b ? a : b)
SIMD_EW(k_pmaxud, uint32_t, d, a > b ? a : b)
SIMD_EW(k_pminsb, uint8_t, b, S8(a) < S8(b) ? a : b)
SIMD_EW(k_pmaxsb, uint8_t, b, S8(a) > S8(b) ? a : b)
SIMD_EW(k_pminsw, uint16_t, w, S16(a) < S16(b) ? a : b)
SIMD_EW(k_pmaxsw, uint16_t, w, S16(a) > S16(b) ? a : b)
SIMD_EW(k_pminsd, uint32_t, d, S32(a) < S32(b) ? a : b)
SIMD_EW(k_pmaxsd, uint32_t, d, S32(a) > S32(b) ? a : b)
SIMD_EW(k_pcmpeqb, uint8_t, b, a == b ? 0xff : 0)
SIMD_EW(k_pcmpeqw, uint16_t, w, a == b ? 0xffff : 0)
SIMD_EW(k_pcmpeqd, uint32_t, d, a == b ? ~0u : 0)
SIMD_EW(k_pcmpeqq, uint64_t, q, a == b ? ~0ull : 0)
SIMD_EW(k_pcmpgtb, uint8_t, b, S8(a) > S8(b) ? 0xff : 0)
SIMD_EW(k_pcmpgtw, uint16_t, w, S16(a) > S16(b) ? 0xffff : 0)
SIMD_EW(k_pcmpgtd, uint32_t, d, S32(a) > S32(b) ? ~0u : 0)
SIMD_EW(k_pcmpgtq, uint64_t, q, S64(a) > S64(b) ? ~0ull : 0)
SIMD_EW(k_pand, uint64_t, q, a & b)
SIMD_EW(k_pandn, uint64_t, q, ~a & b)
SIMD_EW(k_por, uint64_t, q, a | b)
SIMD_EW(k_pxor, uint64_t, q, a ^ b)
SIMD_EW(k_psignb, uint8_t, b, S8(b) < 0 ? -a : b ? a : 0)
SIMD_EW(k_psignw, uint16_t, w, S16(b) < 0 ? -a : b ? a : 0)
SIMD_EW(k_psignd, uint32_t, d, S32(b) < 0 ? -a : b ? a : 0)
SIMD_EW(k_pabsb, uint8_t, b, S8(b) < 0 ? -b : b)
SIMD_EW(k_pabsw, uint16_t, w, S16(b) < 0 ? -b : b)
SIMD_EW(k_pabsd, uint32_t, d, S32(b) < 0 ? -b : b)

/* PMULUDQ: low dwords of each quadword, unsigned 64-bit product */
static void k_pmuludq(union xmm *d, const union xmm *s, int n)
{
	for (int i = 0; i < n / 8; i++)
		d->q[i] = (uint64_t)d->d[2 * i] * s->d[2 * i];
}

/* PMULDQ (SSE4.1): signed */
static void k_pmuldq(union xmm *d, const union xmm *s, int n)
{
	for (int i = 0; i < n / 8; i++)
		d->q[i] = (uint64_t)((int64_t)S32(d->d[2 * i]) * S32(s->d[2 * i]));
}

/* PMADDWD: pairs of signed words multiplied and summed into dwords
 * (the 80008000h overflow case wraps, as hardware) */
static void k_pmaddwd(union xmm *d, const union xmm *s, int n)
{
	for (int i = 0; i < n / 4; i++) {
		int64_t v = (int64_t)S16(d->w[2 * i]) * S16(s->w[2 * i]) +
			    (int64_t)S16(d->w[2 * i + 1]) * S16(s->w[2 * i + 1]);
		d->d[i] = (uint32_t)v;
	}
}

/* PMADDUBSW (SSSE3): unsigned bytes of d times signed bytes of s */
static void k_pmaddubsw(union xmm *d, const union xmm *s, int n)
{
	for (int i = 0; i < n / 2; i++) {
		int32_t v = d->b[2 * i] * S8(s->b[2 * i]) + d->b[2 * i + 1] * S8(s->b[2 * i + 1]);
		d->w[i] = (uint16_t)sat16s(v);
	}
}

/* PSADBW: sum of absolute byte differences per quadword */
static void k_psadbw(union xmm *d, const union xmm *s, int n)
{
	for (int i = 0; i < n / 8; i++) {
		unsigned sum = 0;
		for (int j = 0; j < 8; j++)
			sum += (unsigned)abs(d->b[8 * i + j] - s->b[8 * i + j]);
		d->q[i] = sum;
	}
}

/* PHMINPOSUW (SSE4.1): minimum unsigned word and its index */
static void k_phminposuw(union xmm *d, const union xmm *s, int n)
{
	(void)n;
	unsigned idx = 0;
	for (unsigned i = 1; i < 8; i++)
		if (s->w[i] < s->w[idx])
			idx = i;
	uint16_t m = s->w[idx];
	memset(d, 0, sizeof *d);
	d->w[0] = m;
	d->w[1] = (uint16_t)idx;
}

/* horizontal add/sub (SSSE3): pairs of d then pairs of s */
static void hop(union xmm *d, const union xmm *s, int n, int esize, int op)
{
	union xmm r;
	int cnt = n / esize / 2;
	for (int i = 0; i < 2 * cnt; i++) {
		const union xmm *src = i < cnt ? d : s;
		int j = 2 * (i % cnt);
		if (esize == 4) {
			uint32_t a = src->d[j], b = src->d[j + 1];
			r.d[i] = op ? a - b : a + b;
		} else {
			int32_t a = S16(src->w[j]), b = S16(src->w[j + 1]);
			int32_t v = op & 1 ? a - b : a + b;
			r.w[i] = (uint16_t)(op & 2 ? sat16s(v) : v);
		}
	}
	memcpy(d->b, r.b, (size_t)n);
}
static void k_phaddw(union xmm *d, const union xmm *s, int n) { hop(d, s, n, 2, 0); }
static void k_phaddd(union xmm *d, const union xmm *s, int n) { hop(d, s, n, 4, 0); }
static void k_phaddsw(union xmm *d, const union xmm *s, int n) { hop(d, s, n, 2, 2); }
static void k_phsubw(union xmm *d, const union xmm *s, int n) { hop(d, s, n, 2, 1); }
static void k_phsubd(union xmm *d, const union xmm *s, int n) { hop(d, s, n, 4, 1); }
static void k_phsubsw(union xmm *d, const union xmm *s, int n) { hop(d, s, n, 2, 3); }

static simd_kernel map0f(int opc)
{
	switch (opc) {
	case 0x64: return k_pcmpgtb;
	case 0x65: return k_pcmpgtw;
	case 0x66: return k_pcmpgtd;
	case 0x74: return k_pcmpeqb;
	case 0x75: return k_pcmpeqw;
	case 0x76: return k_pcmpeqd;
	case 0xd4: return k_paddq;
	case 0xd5: return k_pmullw;
	case 0xd8: return k_psubusb;
	case 0xd9: return k_psubusw;
	case 0xda: return k_pminub;
	case 0xdb: return k_pand;
	case 0xdc: return k_paddusb;
	case 0xdd: return k_paddusw;
	case 0xde: return k_pmaxub;
	case 0xdf: return k_pandn;
	case 0xe0: return k_pavgb;
	case 0xe3: return k_pavgw;
	case 0xe4: return k_pmulhuw;
	case 0xe5: return k_pmulhw;
	case 0xe8: return k_psubsb;
	case 0xe9: return k_psubsw;
	case 0xea: return k_pminsw;
	case 0xeb: return k_por;
	case 0xec: return k_paddsb;
	case 0xed: return k_paddsw;
	case 0xee: return k_pmaxsw;
	case 0xef: return k_pxor;
	case 0xf4: return k_pmuludq;
	case 0xf5: return k_pmaddwd;
	case 0xf6: return k_psadbw;
	case 0xf8: return k_psubb;
	case 0xf9: return k_psubw;
	case 0xfa: return k_psubd;
	case 0xfb: return k_psubq;
	case 0xfc: return k_paddb;
	case 0xfd: return k_paddw;
	case 0xfe: return k_paddd;
	default: return NULL;
	}
}

static simd_kernel map0f38(int opc)
{
	switch (opc) {
	case 0x01: return k_phaddw;
	case 0x02: return k_phaddd;
	case 0x03: return k_phaddsw;
	case 0x04: return k_pmaddubsw;
	case 0x05: return k_phsubw;
	case 0x06: return k_phsubd;
	case 0x07: return k_phsubsw;
	case 0x08: return k_psignb;
	case 0x09: return k_psignw;
	case 0x0a: return k_psignd;
	case 0x0b: return k_pmulhrsw;
	case 0x1c: return k_pabsb;
	case 0x1d: return k_pabsw;
	case 0x1e: return k_pabsd;
	case 0x28: return k_pmuldq;
	case 0x29: return k_pcmpeqq;
	case 0x37: return k_pcmpgtq;
	case 0x38: return k_pminsb;
	case 0x39: return k_pminsd;
	case 0x3a: return k_pminuw;
	case 0x3b: return k_pminud;
	case 0x3c: return k_pmaxsb;
	case 0x3d: return k_pmaxsd;
	case 0x3e: return k_pmaxuw;
	case 0x3f: return k_pmaxud;
	case 0x40: return k_pmulld;
	case 0x41: return k_phminposuw;
	default: return NULL;
	}
}

simd_kernel simd_arith_kernel(int map, int opc)
{
	return map == MAP_0F ? map0f(opc) : map == MAP_0F38 ? map0f38(opc) : NULL;
}
