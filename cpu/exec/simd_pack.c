/* SPDX-License-Identifier: MIT */
/* Pack with saturation, unpack/interleave, PSHUFB (MMX, SSE2, SSSE3,
 * SSE4.1 PACKUSDW). */
#include "simd.h"

/* interleave the low (or high) halves of d and s in elements of `es` bytes */
static void unpack(union xmm *d, const union xmm *s, int n, int es, bool high)
{
	union xmm r;
	int half = n / 2, base = high ? half : 0;
	for (int i = 0; i < half / es; i++) {
		memcpy(r.b + 2 * i * es, d->b + base + i * es, (size_t)es);
		memcpy(r.b + (2 * i + 1) * es, s->b + base + i * es, (size_t)es);
	}
	memcpy(d->b, r.b, (size_t)n);
}
static void k_punpcklbw(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 1, false); }
static void k_punpcklwd(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 2, false); }
static void k_punpckldq(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 4, false); }
static void k_punpcklqdq(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 8, false); }
static void k_punpckhbw(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 1, true); }
static void k_punpckhwd(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 2, true); }
static void k_punpckhdq(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 4, true); }
static void k_punpckhqdq(union xmm *d, const union xmm *s, int n) { unpack(d, s, n, 8, true); }

/* narrow words to bytes (or dwords to words) with saturation: d then s */
enum { PK_SSWB, PK_USWB, PK_SSDW, PK_USDW };
static void pack(union xmm *d, const union xmm *s, int n, int kind)
{
	union xmm r;
	bool dw = kind >= PK_SSDW;
	int cnt = dw ? n / 4 : n / 2; /* source elements per operand */
	for (int i = 0; i < 2 * cnt; i++) {
		const union xmm *src = i < cnt ? d : s;
		int j = i % cnt;
		switch (kind) {
		case PK_SSWB: r.b[i] = (uint8_t)sat8s((int16_t)src->w[j]); break;
		case PK_USWB: r.b[i] = sat8u((int16_t)src->w[j]); break;
		case PK_SSDW: r.w[i] = (uint16_t)sat16s((int32_t)src->d[j]); break;
		default: r.w[i] = sat16u((int32_t)src->d[j]); break;
		}
	}
	memcpy(d->b, r.b, (size_t)n);
}
static void k_packsswb(union xmm *d, const union xmm *s, int n) { pack(d, s, n, PK_SSWB); }
static void k_packuswb(union xmm *d, const union xmm *s, int n) { pack(d, s, n, PK_USWB); }
static void k_packssdw(union xmm *d, const union xmm *s, int n) { pack(d, s, n, PK_SSDW); }
static void k_packusdw(union xmm *d, const union xmm *s, int n) { pack(d, s, n, PK_USDW); }

/* PSHUFB: byte i = 0 if s[i] bit 7, else d[s[i] mod n] */
static void k_pshufb(union xmm *d, const union xmm *s, int n)
{
	union xmm r;
	for (int i = 0; i < n; i++)
		r.b[i] = (s->b[i] & 0x80) ? 0 : d->b[s->b[i] & (n - 1)];
	memcpy(d->b, r.b, (size_t)n);
}

simd_kernel simd_pack_kernel(int map, int opc)
{
	if (map == MAP_0F38)
		return opc == 0x00 ? k_pshufb : opc == 0x2b ? k_packusdw : NULL;
	if (map != MAP_0F)
		return NULL;
	switch (opc) {
	case 0x60: return k_punpcklbw;
	case 0x61: return k_punpcklwd;
	case 0x62: return k_punpckldq;
	case 0x63: return k_packsswb;
	case 0x67: return k_packuswb;
	case 0x68: return k_punpckhbw;
	case 0x69: return k_punpckhwd;
	case 0x6a: return k_punpckhdq;
	case 0x6b: return k_packssdw;
	case 0x6c: return k_punpcklqdq;
	case 0x6d: return k_punpckhqdq;
	default: return NULL;
	}
}
