/* SPDX-License-Identifier: MIT */
/* Packed-integer kernels shared by the MMX (n = 8 bytes) and XMM (n = 16)
 * forms: d = d op s over the low n bytes. */
#ifndef PAC_SIMD_H
#define PAC_SIMD_H
#include "sse.h"

typedef void (*simd_kernel)(union xmm *d, const union xmm *s, int n);

/* the kernel of a two-operand packed-integer row (map, opcode), or NULL */
simd_kernel simd_arith_kernel(int map, int opc);   /* simd_int.c */
simd_kernel simd_pack_kernel(int map, int opc);    /* simd_pack.c */
simd_kernel simd_shift_kernel(int map, int opc);   /* simd_shift.c */

static inline int16_t sat16s(int32_t v) { return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }
static inline uint16_t sat16u(int32_t v) { return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v); }
static inline int8_t sat8s(int32_t v) { return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }
static inline uint8_t sat8u(int32_t v) { return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v); }

/* element-wise kernel: T element type, F union member, E expression in a, b */
#define SIMD_EW(name, T, F, E)                                         \
	static void name(union xmm *d, const union xmm *s, int n)       \
	{                                                               \
		for (int i = 0; i < n / (int)sizeof(T); i++) {          \
			T a = d->F[i], b = s->F[i];                     \
			(void)a;                                        \
			d->F[i] = (T)(E);                               \
		}                                                       \
	}
#endif
