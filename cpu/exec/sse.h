/* SPDX-License-Identifier: MIT */
/* Shared helpers of the SSE/MMX families (sse*.c, simd*.c, mmx.c):
 * operand access with the legacy-SSE alignment rule, the MMX view of the
 * x87 register file, MXCSR bits and the floating-point lane layer. */
#ifndef PAC_SSE_H
#define PAC_SSE_H
#include "handlers.h"

/* MXCSR (APM vol. 4 / SDM 10.2.3) */
#define MX_IE 0x0001u
#define MX_DE 0x0002u
#define MX_ZE 0x0004u
#define MX_OE 0x0008u
#define MX_UE 0x0010u
#define MX_PE 0x0020u
#define MX_DAZ 0x0040u
#define MX_IM 0x0080u
#define MX_UM 0x0800u
#define MX_FTZ 0x8000u
#define MX_RC_SHIFT 13
#define MXCSR_MASK 0x0000ffffu /* every defined bit incl. DAZ is writable */

/* the mandatory prefix a row was selected with (F3/F2 take precedence) */
static inline int sse_pfx(const struct insn *in) { return in->row->pfx; }
static inline bool sse_rexw(const struct insn *in) { return (in->rex & 8) != 0; }
static inline union xmm *xreg(struct cpu *c, int i) { return &c->xmm[i & 15]; }

/* ---- operands (sse_access.c) ---- */
/* Effective address of the memory operand; with `align` misalignment of
 * the linear address raises #GP(0) (legacy SSE m128 rule). */
MAYFAULT uint64_t sse_ea(struct cpu *c, const struct insn *in, unsigned align);
/* Source operand: XMM register rm or `bytes` of memory (rest zeroed). */
MAYFAULT void sse_src(struct cpu *c, const struct insn *in, union xmm *v, unsigned bytes, bool aligned);
/* Store `bytes` of v to the memory operand. */
MAYFAULT void sse_store(struct cpu *c, const struct insn *in, const void *v, unsigned bytes, bool aligned);

/* ---- MMX registers live in the x87 mantissas (APM vol. 1 5.1) ---- */
MAYFAULT void mmx_enter(struct cpu *c); /* pending #MF, then TOS = 0, all tags valid */
static inline uint64_t mmx_get(const struct cpu *c, int i) { return c->fpu.st[i & 7].mant; }
static inline void mmx_set(struct cpu *c, int i, uint64_t v)
{
	c->fpu.st[i & 7].mant = v;
	c->fpu.st[i & 7].sexp = 0xffff;
}
/* MMX source: register mm(rm & 7) or `bytes` of memory. */
MAYFAULT uint64_t mmx_src(struct cpu *c, const struct insn *in, unsigned bytes);

/* ---- floating-point lanes (sse_fp.c) ---- */
enum { FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_MIN, FOP_MAX, FOP_SQRT };
struct fpctx {
	uint32_t mxcsr;
	uint32_t pre;  /* pre-computation exceptions: IE, DE, ZE */
	uint32_t post; /* post-computation exceptions: OE, UE, PE */
	uint32_t host; /* host floating-point state saved by fpctx_init */
};
/* Sets up the host arithmetic for one instruction. Read every operand
 * first: nothing between fpctx_init and sse_fp_finish may fault. */
void fpctx_init(struct fpctx *x, const struct cpu *c);
void fpctx_end(struct fpctx *x); /* restores the host, collects its flags */
/* Ends the lane operations (fpctx_end), merges the flags into MXCSR and
 * raises #XM (or #UD without CR4.OSXMMEXCPT) for unmasked ones; the
 * caller writes results after. */
MAYFAULT void sse_fp_finish(struct cpu *c, struct fpctx *x);

uint32_t f32_op(struct fpctx *x, int op, uint32_t a, uint32_t b);
uint64_t f64_op(struct fpctx *x, int op, uint64_t a, uint64_t b);
/* 0 equal, 1 less, 2 greater, 3 unordered; `quiet`: only SNaN signals IE */
int f32_cmp(struct fpctx *x, uint32_t a, uint32_t b, bool quiet);
int f64_cmp(struct fpctx *x, uint64_t a, uint64_t b, bool quiet);
uint32_t f32_round(struct fpctx *x, uint32_t a, unsigned imm);
uint64_t f64_round(struct fpctx *x, uint64_t a, unsigned imm);
uint32_t f32_rcp(uint32_t a);
uint32_t f32_rsqrt(uint32_t a);
uint64_t f64_from_f32(struct fpctx *x, uint32_t a);
uint32_t f32_from_f64(struct fpctx *x, uint64_t a);
uint32_t f32_from_int(struct fpctx *x, int64_t v);
uint64_t f64_from_int(struct fpctx *x, int64_t v);
/* to a signed integer of `bits` (32/64); NaN/out of range: indefinite */
int64_t f32_to_int(struct fpctx *x, uint32_t a, int bits, bool chop);
int64_t f64_to_int(struct fpctx *x, uint64_t a, int bits, bool chop);
#endif
