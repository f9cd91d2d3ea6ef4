/* SPDX-License-Identifier: MIT */
/* Flag instructions, CLI/STI, HLT, PAUSE, NOPs, #UD opcodes, IN/OUT. */
#include "handlers.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"
#include "iopl.h"

void op_ud(struct cpu *c, const struct insn *in)
{
	(void)in;
	raise_ud(c);
}

void op_nop(struct cpu *c, const struct insn *in) { (void)c; (void)in; }
void op_pause(struct cpu *c, const struct insn *in) { (void)in; c->cycles += 10; }

void op_flagop(struct cpu *c, const struct insn *in)
{
	switch (in->opc) {
	case 0xf5: c->rflags ^= FL_CF; break;
	case 0xf8: c->rflags &= ~(uint64_t)FL_CF; break;
	case 0xf9: c->rflags |= FL_CF; break;
	case 0xfc: c->rflags &= ~(uint64_t)FL_DF; break;
	case 0xfd: c->rflags |= FL_DF; break;
	}
}

static int iopl(const struct cpu *c) { return (int)((c->rflags & FL_IOPL) >> 12); }

/* CLI/STI (APM vol. 3, Table "CLI/STI"): IF if CPL <= IOPL; VIF with
 * PVI (CPL 3) or VME (v86, IOPL < 3); otherwise #GP(0). */
void op_cli(struct cpu *c, const struct insn *in)
{
	(void)in;
	if (c->mode == MODE_REAL || c->cpl <= iopl(c)) {
		c->rflags &= ~(uint64_t)FL_IF;
	} else if ((c->mode == MODE_V86 && (c->cr4 & CR4_VME)) ||
		   (c->mode != MODE_V86 && c->cpl == 3 && (c->cr4 & CR4_PVI))) {
		c->rflags &= ~(uint64_t)FL_VIF;
	} else {
		raise_gp0(c);
	}
}

void op_sti(struct cpu *c, const struct insn *in)
{
	(void)in;
	if (c->mode == MODE_REAL || c->cpl <= iopl(c)) {
		if (!(c->rflags & FL_IF))
			c->inhibit_irq_until = c->icount + 2; /* one-instruction shadow */
		c->rflags |= FL_IF;
	} else if ((c->mode == MODE_V86 && (c->cr4 & CR4_VME)) ||
		   (c->mode != MODE_V86 && c->cpl == 3 && (c->cr4 & CR4_PVI))) {
		if (c->rflags & FL_VIP)
			raise_gp0(c);
		c->rflags |= FL_VIF;
	} else {
		raise_gp0(c);
	}
}

void op_hlt(struct cpu *c, const struct insn *in)
{
	(void)in;
	c->halted = true;
}

static uint16_t io_port(struct cpu *c, const struct insn *in)
{
	return (in->opc & 8) ? (uint16_t)c->gpr[2] : (uint16_t)in->imm;
}

void op_in(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize > 4 ? 4 : in->opsize;
	uint16_t port = io_port(c, in);
	io_check(c, port, sz);
	reg_write(c, 0, sz, false, port_in(c->m, port, sz));
}

void op_out(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize > 4 ? 4 : in->opsize;
	uint16_t port = io_port(c, in);
	io_check(c, port, sz);
	port_out(c->m, port, sz, (uint32_t)reg_read(c, 0, sz, false));
}
