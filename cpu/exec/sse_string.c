/* SPDX-License-Identifier: MIT */
/* SSE4.2 string compares PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM
 * (66 0F 3A 60-63 ib; SDM vol. 2 4.1 "Imm8 control byte"). String A is
 * the register operand, string B the r/m operand; no alignment needed. */
#include "sse.h"

struct strcmp_in {
	int n;           /* elements: 16 bytes or 8 words */
	bool sgn;        /* signed elements */
	int64_t a[16], b[16];
	int la, lb;      /* valid lengths */
};

static int64_t elem(const union xmm *v, int i, bool words, bool sgn)
{
	if (words)
		return sgn ? (int16_t)v->w[i] : v->w[i];
	return sgn ? (int8_t)v->b[i] : v->b[i];
}

/* explicit length: |reg| saturated to n (RAX/RDX with REX.W) */
static int explicit_len(uint64_t r, bool w64, int n)
{
	int64_t v = w64 ? (int64_t)r : (int32_t)r;
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	return mag > (uint64_t)n ? n : (int)mag;
}

static int implicit_len(const int64_t *e, int n)
{
	for (int i = 0; i < n; i++)
		if (e[i] == 0)
			return i;
	return n;
}

/* IntRes1 over the four aggregation modes with the validity overrides */
static uint32_t aggregate(const struct strcmp_in *s, unsigned mode)
{
	uint32_t r = 0;
	for (int j = 0; j < s->n; j++) {
		bool bv = j < s->lb, hit = false;
		switch (mode) {
		case 0: /* equal any */
			for (int i = 0; i < s->la && bv && !hit; i++)
				hit = s->b[j] == s->a[i];
			break;
		case 1: /* ranges: pairs (A[i], A[i+1]) */
			for (int i = 0; i + 1 < s->la && bv && !hit; i += 2)
				hit = s->b[j] >= s->a[i] && s->b[j] <= s->a[i + 1];
			break;
		case 2: { /* equal each */
			bool av = j < s->la;
			hit = (!av && !bv) || (av && bv && s->a[j] == s->b[j]);
			break;
		}
		default: /* equal ordered: A is a substring of B at j */
			hit = true;
			for (int i = 0; i < s->n - j && hit; i++) {
				if (i >= s->la)
					break;
				hit = j + i < s->lb && s->b[j + i] == s->a[i];
			}
			break;
		}
		r |= (uint32_t)hit << j;
	}
	return r;
}

static uint32_t polarity(uint32_t r, unsigned pol, const struct strcmp_in *s)
{
	uint32_t all = (1u << s->n) - 1, valid_b = (1u << s->lb) - 1;
	switch (pol) {
	case 1: return ~r & all;
	case 3: return (r ^ valid_b) & all;
	default: return r;
	}
}

/* operands, element format and valid lengths of string A (reg) and B (r/m) */
static MAYFAULT void load_strings(struct cpu *c, const struct insn *in, struct strcmp_in *s)
{
	unsigned imm = (unsigned)in->imm;
	bool words = imm & 1;
	s->n = words ? 8 : 16;
	s->sgn = (imm & 2) != 0;
	union xmm vb;
	sse_src(c, in, &vb, 16, false);
	const union xmm *va = xreg(c, in->reg);
	for (int i = 0; i < s->n; i++) {
		s->a[i] = elem(va, i, words, s->sgn);
		s->b[i] = elem(&vb, i, words, s->sgn);
	}
	if (in->opc < 0x62) { /* explicit lengths in rAX / rDX */
		s->la = explicit_len(c->gpr[0], sse_rexw(in), s->n);
		s->lb = explicit_len(c->gpr[2], sse_rexw(in), s->n);
	} else {
		s->la = implicit_len(s->a, s->n);
		s->lb = implicit_len(s->b, s->n);
	}
}

/* mask output to XMM0: the bits (imm[6] = 0) or expanded elements */
static union xmm result_mask(uint32_t r, unsigned imm, int n)
{
	union xmm m = { .q = { 0, 0 } };
	if (!(imm & 0x40)) {
		m.d[0] = r;
		return m;
	}
	for (int i = 0; i < n; i++) {
		if (!((r >> i) & 1))
			continue;
		if (imm & 1)
			m.w[i] = 0xffff;
		else
			m.b[i] = 0xff;
	}
	return m;
}

void op_sse_pcmpstr(struct cpu *c, const struct insn *in)
{
	unsigned imm = (unsigned)in->imm;
	struct strcmp_in s;
	load_strings(c, in, &s);
	uint32_t r = polarity(aggregate(&s, (imm >> 2) & 3), (imm >> 4) & 3, &s);
	if (in->opc & 1) { /* index to ECX: least or most significant set bit */
		uint32_t idx = (uint32_t)s.n;
		if (r)
			idx = (imm & 0x40) ? 31u - (uint32_t)__builtin_clz(r) : (uint32_t)__builtin_ctz(r);
		reg_write(c, 1, 4, false, idx);
	} else {
		*xreg(c, 0) = result_mask(r, imm, s.n);
	}
	/* CF: any match; ZF/SF: B/A shorter than n; OF: IntRes2[0]; AF = PF = 0 */
	uint64_t f = (r ? FL_CF : 0) | (s.lb < s.n ? FL_ZF : 0) | (s.la < s.n ? FL_SF : 0) |
		     ((r & 1) ? FL_OF : 0);
	c->rflags = (c->rflags & ~(uint64_t)FL_ARITH) | f;
}
