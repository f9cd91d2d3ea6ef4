/* SPDX-License-Identifier: MIT */
/* LDTR and TR: LLDT, LTR, SLDT, STR (0F 00 /0-/3) (APM vol. 3; vol. 2,
 * 4.6.2, 12.2.4). Long mode uses 16-byte system descriptors. */
#include "handlers.h"
#include "desc.h"
#include "../core/fault.h"

/* UMIP: SLDT/STR/SGDT/SIDT/SMSW at CPL > 0 raise #GP(0) (APM 3.1.x). */
static MAYFAULT void umip_check(struct cpu *c)
{
	if ((c->cr4 & CR4_UMIP) && c->cpl > 0)
		raise_gp0(c);
}

static MAYFAULT void store_sel(struct cpu *c, const struct insn *in, uint16_t sel)
{
	umip_check(c);
	rm_write(c, in, in->has_mem ? 2 : in->opsize, sel);
}

void op_sldt(struct cpu *c, const struct insn *in) { store_sel(c, in, c->ldtr.sel); }
void op_str(struct cpu *c, const struct insn *in) { store_sel(c, in, c->tr.sel); }

/* Reads a GDT system descriptor for LLDT/LTR: #GP(sel) if in the LDT,
 * outside the GDT, of the wrong type or (long mode) non-canonical. */
static MAYFAULT void read_sys_desc(struct cpu *c, uint16_t sel, struct desc *d)
{
	bool lm = (c->efer & EFER_LMA) != 0;
	uint32_t err = SEL_ERR(sel);
	if (sel & SEL_TI)
		raise_exc_err(c, EXC_GP, err);
	bool in_table = lm ? desc_read16(c, sel, d) : desc_read(c, sel, d);
	if (!in_table || d->s || (lm && !desc_upper_ok(d)))
		raise_exc_err(c, EXC_GP, err);
	if (lm && !is_canonical(d->base, cpu_va_bits(c)))
		raise_exc_err(c, EXC_GP, err);
}

void op_lldt(struct cpu *c, const struct insn *in)
{
	uint16_t sel = (uint16_t)rm_read(c, in, 2);
	if (SEL_NULL(sel)) {
		c->ldtr.sel = sel;
		c->ldtr.attr = 0; /* unusable: later LDT references fault */
		return;
	}
	struct desc d;
	read_sys_desc(c, sel, &d);
	if (d.type != DT_LDT)
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!d.p)
		raise_exc_err(c, EXC_NP, SEL_ERR(sel));
	desc_to_seg(&c->ldtr, sel, &d);
}

void op_ltr(struct cpu *c, const struct insn *in)
{
	uint16_t sel = (uint16_t)rm_read(c, in, 2);
	if (SEL_NULL(sel))
		raise_gp0(c);
	struct desc d;
	read_sys_desc(c, sel, &d);
	bool lm = (c->efer & EFER_LMA) != 0;
	if (d.type != DT_TSS && (lm || d.type != DT_TSS16))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!d.p)
		raise_exc_err(c, EXC_NP, SEL_ERR(sel));
	desc_set_busy(c, &d, true);
	desc_to_seg(&c->tr, sel, &d);
}
