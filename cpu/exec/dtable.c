/* SPDX-License-Identifier: MIT */
/* LGDT, LIDT, SGDT, SIDT (APM vol. 3 "LGDT", "SGDT"): the pseudo-descriptor
 * is a 16-bit limit followed by the base, 4 bytes (legacy and
 * compatibility modes) or 8 bytes (64-bit mode). */
#include "handlers.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* 0F 01 /0../3: reg 0/1 = store GDTR/IDTR, 2/3 = load GDTR/IDTR */
static struct dtr *dt_of(struct cpu *c, const struct insn *in)
{
	return (in->modrm >> 3 & 1) ? &c->idtr : &c->gdtr;
}

/* LGDT/LIDT (CPL 0 checked by the row). 64-bit mode: 8-byte base, which
 * must be canonical; otherwise 32-bit base, of which a 16-bit operand size
 * keeps only bits 23:0. */
void op_lgdt_lidt(struct cpu *c, const struct insn *in)
{
	uint64_t off = ea_offset(c, in);
	uint64_t mask = size_mask(in->addrsize);
	uint16_t limit = (uint16_t)mem_read(c, in->seg, off, 2);
	uint64_t base;
	if (in->mode64) {
		base = mem_read(c, in->seg, (off + 2) & mask, 8);
		if (!is_canonical(base, cpu_va_bits(c)))
			raise_gp0(c);
	} else {
		base = mem_read(c, in->seg, (off + 2) & mask, 4);
		if (in->opsize == 2)
			base &= 0xffffff;
	}
	struct dtr *d = dt_of(c, in);
	d->base = base;
	d->limit = limit;
}

/* SGDT/SIDT: operand-size prefixes are ignored, the full 32-bit base is
 * stored outside 64-bit mode. CR4.UMIP makes them #GP(0) above CPL 0. */
void op_sgdt_sidt(struct cpu *c, const struct insn *in)
{
	if ((c->cr4 & CR4_UMIP) && c->cpl > 0)
		raise_gp0(c);
	const struct dtr *d = dt_of(c, in);
	uint8_t buf[10];
	unsigned len = in->mode64 ? 10 : 6;
	buf[0] = (uint8_t)d->limit;
	buf[1] = (uint8_t)(d->limit >> 8);
	for (unsigned i = 2; i < len; i++)
		buf[i] = (uint8_t)(d->base >> (8 * (i - 2)));
	mem_write_buf(c, in->seg, ea_offset(c, in), buf, len);
}
