/* SPDX-License-Identifier: MIT */
/* FNSTENV, FLDENV, FNSAVE, FRSTOR (APM vol. 1, 6.4.6, Figures 6-9..6-12):
 * 14-byte (16-bit operand size) or 28-byte (32/64-bit) environment, in the
 * real-mode layout (20/32-bit linear FIP/FDP, FOP) in real and virtual-8086
 * mode, in the protected-mode layout (offset + selector) otherwise;
 * FNSAVE/FRSTOR add ST(0)..ST(7) as 8 x 10 bytes. */
#include "handlers.h"
#include "x87.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

enum { ENV16 = 14, ENV32 = 28, SAVE_MAX = ENV32 + 80 };

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static uint32_t get16(const uint8_t *p) { return (uint32_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }

static bool real_layout(const struct cpu *c)
{
	return c->mode == MODE_REAL || c->mode == MODE_V86;
}

/* Builds the environment; returns its size. Reserved upper halves are
 * written as FFFFh, as hardware does. The tag word is computed from the
 * contents of the non-empty registers (also right after MMX instructions,
 * which only mark registers non-empty). */
static unsigned env_store(const struct cpu *c, const struct insn *in, uint8_t *b)
{
	const struct fpu *f = &c->fpu;
	bool real = real_layout(c);
	uint16_t ftw = x87_tags_from_empty(f, (uint8_t)~x87_abridged_tags(f));
	uint32_t ip = (uint32_t)f->fip, dp = (uint32_t)f->fdp;
	if (real) {
		ip += (uint32_t)f->fcs << 4;
		dp += (uint32_t)f->fds << 4;
	}
	if (in->opsize == 2) {
		put16(b, f->fcw);
		put16(b + 2, f->fsw);
		put16(b + 4, ftw);
		put16(b + 6, ip);
		put16(b + 8, real ? ((ip >> 16 & 0xf) << 12 | (f->fop & 0x7ffu)) : f->fcs);
		put16(b + 10, dp);
		put16(b + 12, real ? (dp >> 16 & 0xf) << 12 : f->fds);
		return ENV16;
	}
	put32(b, 0xffff0000u | f->fcw);
	put32(b + 4, 0xffff0000u | f->fsw);
	put32(b + 8, 0xffff0000u | ftw);
	if (real) {
		put32(b + 12, 0xffff0000u | (ip & 0xffff));
		put32(b + 16, (ip >> 16) << 12 | (f->fop & 0x7ffu));
		put32(b + 20, 0xffff0000u | (dp & 0xffff));
		put32(b + 24, (dp >> 16) << 12);
	} else {
		put32(b + 12, ip);
		put32(b + 16, (uint32_t)(f->fop & 0x7ffu) << 16 | f->fcs);
		put32(b + 20, dp);
		put32(b + 24, 0xffff0000u | f->fds);
	}
	return ENV32;
}

/* Decodes an environment into f (registers untouched); returns its size. */
static unsigned env_load(const struct cpu *c, const struct insn *in, const uint8_t *b,
			 struct fpu *f, uint16_t *tw)
{
	bool real = real_layout(c);
	bool o16 = in->opsize == 2;
	unsigned w = o16 ? 2 : 4;
	f->fcw = (uint16_t)((get16(b) & FCW_MASK) | FCW_ONE);
	f->fsw = (uint16_t)get16(b + w);
	*tw = (uint16_t)get16(b + 2 * w);
	const uint8_t *p = b + 3 * w;
	uint32_t ip_lo = get16(p), x = o16 ? get16(p + w) : get32(p + w);
	uint32_t dp_lo = o16 ? get16(p + 2 * w) : get32(p + 2 * w);
	uint32_t y = o16 ? get16(p + 3 * w) : get32(p + 3 * w);
	if (real) {
		uint32_t hi_mask = o16 ? 0xf : 0xffff;
		f->fip = ip_lo | ((x >> 12) & hi_mask) << 16;
		f->fop = (uint16_t)(x & 0x7ff);
		f->fdp = (dp_lo & 0xffff) | ((y >> 12) & hi_mask) << 16;
		f->fcs = f->fds = 0;
	} else {
		f->fip = o16 ? ip_lo : get32(p);
		f->fcs = (uint16_t)x;
		f->fop = o16 ? f->fop : (uint16_t)((x >> 16) & 0x7ff);
		f->fdp = dp_lo;
		f->fds = (uint16_t)y;
	}
	return o16 ? ENV16 : ENV32;
}

/* Non-empty tags are recomputed from the register contents. */
static void finish_load(struct fpu *f, uint16_t tw)
{
	uint8_t empty = 0;
	for (int i = 0; i < 8; i++)
		if (((tw >> (2 * i)) & 3) == TAG_EMPTY)
			empty |= (uint8_t)(1u << i);
	f->ftw = x87_tags_from_empty(f, empty);
	x87_update_es(f);
}

void op_x87_fnstenv(struct cpu *c, const struct insn *in)
{
	uint8_t b[ENV32];
	unsigned n = env_store(c, in, b);
	mem_write_buf(c, in->seg, ea_offset(c, in), b, n);
	c->fpu.fcw |= FSW_EXC; /* then all exceptions are masked */
	x87_update_es(&c->fpu);
}

void op_x87_fldenv(struct cpu *c, const struct insn *in)
{
	uint8_t b[ENV32];
	x87_check_pending(c);
	mem_read_buf(c, in->seg, ea_offset(c, in), b, in->opsize == 2 ? ENV16 : ENV32);
	struct fpu nf = c->fpu;
	uint16_t tw;
	env_load(c, in, b, &nf, &tw);
	finish_load(&nf, tw);
	c->fpu = nf;
}

void op_x87_fnsave(struct cpu *c, const struct insn *in)
{
	uint8_t b[SAVE_MAX];
	const struct fpu *f = &c->fpu;
	unsigned n = env_store(c, in, b);
	for (int i = 0; i < 8; i++) {
		const struct fpreg *r = &f->st[x87_phys(f, i)];
		uint8_t *p = b + n + 10 * i;
		put32(p, (uint32_t)r->mant);
		put32(p + 4, (uint32_t)(r->mant >> 32));
		put16(p + 8, r->sexp);
	}
	mem_write_buf(c, in->seg, ea_offset(c, in), b, n + 80);
	x87_init(&c->fpu);
}

void op_x87_frstor(struct cpu *c, const struct insn *in)
{
	uint8_t b[SAVE_MAX];
	x87_check_pending(c);
	unsigned n = in->opsize == 2 ? ENV16 : ENV32;
	mem_read_buf(c, in->seg, ea_offset(c, in), b, n + 80);
	struct fpu nf = c->fpu;
	uint16_t tw;
	env_load(c, in, b, &nf, &tw);
	for (int i = 0; i < 8; i++) {
		struct fpreg *r = &nf.st[x87_phys(&nf, i)];
		const uint8_t *p = b + n + 10 * i;
		r->mant = get32(p) | (uint64_t)get32(p + 4) << 32;
		r->sexp = (uint16_t)get16(p + 8);
	}
	finish_load(&nf, tw);
	c->fpu = nf;
}
