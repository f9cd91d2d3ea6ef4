/* SPDX-License-Identifier: MIT */
/* Arithmetic flag computation (eager). APM vol. 3 "rFLAGS Affected". */
#ifndef PAC_FLAGS_H
#define PAC_FLAGS_H
#include "cpu.h"

static inline uint32_t fl_szp(uint64_t r, int bytes)
{
	uint32_t f = 0;
	r &= size_mask(bytes);
	if (!r)
		f |= FL_ZF;
	if (r >> (bytes * 8 - 1))
		f |= FL_SF;
	if (!__builtin_parity((unsigned)(r & 0xff)))
		f |= FL_PF;
	return f;
}

static inline void set_arith(struct cpu *c, uint32_t f)
{
	c->rflags = (c->rflags & ~(uint64_t)FL_ARITH) | f;
}

/* r = a + b + cin */
static inline uint32_t fl_add(uint64_t a, uint64_t b, uint64_t cin, uint64_t r, int bytes)
{
	uint64_t m = size_mask(bytes), sign = 1ull << (bytes * 8 - 1);
	a &= m; b &= m; r &= m;
	uint32_t f = fl_szp(r, bytes);
	if (r < a || (cin && r == a))
		f |= FL_CF;
	if ((a ^ r) & (b ^ r) & sign)
		f |= FL_OF;
	if ((a ^ b ^ r) & 0x10)
		f |= FL_AF;
	return f;
}

/* r = a - b - cin */
static inline uint32_t fl_sub(uint64_t a, uint64_t b, uint64_t cin, uint64_t r, int bytes)
{
	uint64_t m = size_mask(bytes), sign = 1ull << (bytes * 8 - 1);
	a &= m; b &= m; r &= m;
	uint32_t f = fl_szp(r, bytes);
	if (a < b || (cin && a == b))
		f |= FL_CF;
	if ((a ^ b) & (a ^ r) & sign)
		f |= FL_OF;
	if ((a ^ b ^ r) & 0x10)
		f |= FL_AF;
	return f;
}

/* AND/OR/XOR/TEST: CF=OF=0, AF undefined (AMD clears it; see tests/diff) */
static inline uint32_t fl_logic(uint64_t r, int bytes) { return fl_szp(r, bytes); }

/* condition codes 0..15 (Jcc/SETcc/CMOVcc low nibble) */
static inline bool cond_true(uint64_t fl, int cc)
{
	bool r;
	switch (cc >> 1) {
	case 0: r = fl & FL_OF; break;
	case 1: r = fl & FL_CF; break;
	case 2: r = fl & FL_ZF; break;
	case 3: r = fl & (FL_CF | FL_ZF); break;
	case 4: r = fl & FL_SF; break;
	case 5: r = fl & FL_PF; break;
	case 6: r = !!(fl & FL_SF) != !!(fl & FL_OF); break;
	default: r = (fl & FL_ZF) || (!!(fl & FL_SF) != !!(fl & FL_OF)); break;
	}
	return (cc & 1) ? !r : r;
}

#endif
