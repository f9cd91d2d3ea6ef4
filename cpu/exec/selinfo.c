/* SPDX-License-Identifier: MIT */
/* Selector queries that report through ZF: LAR, LSL, VERR, VERW, and ARPL
 * (APM vol. 3). They never fault on the selector itself. */
#include "handlers.h"
#include "desc.h"
#include "../core/fault.h"

static void set_zf(struct cpu *c, bool z)
{
	c->rflags = z ? c->rflags | FL_ZF : c->rflags & ~(uint64_t)FL_ZF;
}

/* System types LAR (lar = true) or LSL may report (APM vol. 3 LAR/LSL). */
static bool sys_type_ok(const struct cpu *c, unsigned type, bool lar)
{
	if (c->efer & EFER_LMA)
		return type == DT_LDT || type == DT_TSS || type == DT_TSS_BUSY || (lar && type == DT_CALL);
	switch (type) {
	case DT_TSS16: case DT_LDT: case DT_TSS16_BUSY: case DT_TSS: case DT_TSS_BUSY:
		return true;
	case DT_CALL16: case DT_TASK: case DT_CALL:
		return lar;
	default:
		return false;
	}
}

/* Descriptor visible at the current CPL and the selector's RPL. */
static MAYFAULT bool visible(struct cpu *c, uint16_t sel, struct desc *d, bool lar)
{
	if (SEL_NULL(sel) || !desc_read(c, sel, d))
		return false;
	if (d->s ? false : !sys_type_ok(c, d->type, lar))
		return false;
	if (desc_conforming(d))
		return true;
	return d->dpl >= c->cpl && d->dpl >= SEL_RPL(sel);
}

void op_lar(struct cpu *c, const struct insn *in)
{
	struct desc d;
	bool ok = visible(c, (uint16_t)rm_read(c, in, 2), &d, true);
	set_zf(c, ok);
	/* APPROX: limit bits 19:16 read as 0 */
	if (ok)
		greg_write(c, in, in->opsize, d.hi & (in->opsize == 2 ? 0xff00u : 0x00f0ff00u));
}

void op_lsl(struct cpu *c, const struct insn *in)
{
	struct desc d;
	bool ok = visible(c, (uint16_t)rm_read(c, in, 2), &d, false);
	set_zf(c, ok);
	if (ok)
		greg_write(c, in, in->opsize, d.limit);
}

static MAYFAULT void verify(struct cpu *c, const struct insn *in, bool write)
{
	struct desc d;
	uint16_t sel = (uint16_t)rm_read(c, in, 2);
	bool ok = visible(c, sel, &d, false) && d.s;
	if (ok)
		ok = write ? desc_writable_data(&d) : desc_readable(&d);
	set_zf(c, ok);
}

void op_verr(struct cpu *c, const struct insn *in) { verify(c, in, false); }
void op_verw(struct cpu *c, const struct insn *in) { verify(c, in, true); }

void op_arpl(struct cpu *c, const struct insn *in)
{
	uint16_t dst = (uint16_t)rm_read(c, in, 2);
	uint16_t src = (uint16_t)greg_read(c, in, 2);
	if ((dst & 3) < (src & 3)) {
		rm_write(c, in, 2, (uint16_t)((dst & ~3u) | (src & 3)));
		set_zf(c, true);
	} else {
		set_zf(c, false);
	}
}
