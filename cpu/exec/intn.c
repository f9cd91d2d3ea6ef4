/* SPDX-License-Identifier: MIT */
/* INT n (CD), INT3 (CC), INTO (CE), INT1/ICEBP (F1): recorded as traps and
 * delivered by exception.c; v86 INT n is IOPL-sensitive unless the VME
 * redirection bitmap sends it to the v86 IVT (APM vol. 3 "INT n";
 * vol. 2, 15.x "Virtual-8086 mode extensions"). */
#include "handlers.h"
#include "seg.h"
#include "../core/fault.h"
#include "../core/stack.h"
#include "../mmu/mmu.h"

/* Bit `vec` of the interrupt redirection bitmap (32 bytes below the I/O
 * bitmap base in the 32-bit TSS). 1 = use the protected-mode IDT. */
static MAYFAULT bool redirect_bit(struct cpu *c, int vec)
{
	unsigned type = c->tr.attr & SA_TYPE;
	if ((type != 9 && type != 11) || c->tr.limit < 0x67)
		raise_gp0(c);
	uint32_t iomap = (uint32_t)sys_read(c, c->tr.base + 0x66, 2);
	uint32_t byte = iomap - 32 + (uint32_t)vec / 8;
	if (iomap < 32 || byte > c->tr.limit)
		raise_gp0(c);
	return (sys_read(c, (uint32_t)(c->tr.base + byte), 1) >> (vec & 7)) & 1;
}

/* VME redirection: a real-mode style interrupt through the v86 IVT at 0. */
static MAYFAULT void v86_redirect(struct cpu *c, int vec)
{
	int iopl = (int)((c->rflags & FL_IOPL) >> 12);
	uint32_t ent = (uint32_t)lin_read(c, (gla_t)vec * 4, 4, ACC_R | ACC_USER);
	uint64_t fl = c->rflags & 0xffff;
	if (iopl < 3) /* the image shows VIF as IF and IOPL = 3 */
		fl = (fl & ~(uint64_t)FL_IF) | ((c->rflags & FL_VIF) ? FL_IF : 0) | FL_IOPL;
	push(c, 2, fl);
	push(c, 2, c->seg[SEG_CS].sel);
	push(c, 2, c->next_rip);
	c->rflags &= ~(uint64_t)(FL_TF | (iopl < 3 ? FL_VIF : FL_IF));
	seg_load_real(c, SEG_CS, (uint16_t)(ent >> 16));
	c->rip = ent & 0xffff;
}

void op_int(struct cpu *c, const struct insn *in)
{
	int vec = (int)(in->imm & 0xff);
	if (c->mode == MODE_V86) {
		if ((c->cr4 & CR4_VME) && !redirect_bit(c, vec)) {
			v86_redirect(c, vec);
			return;
		}
		if ((c->rflags & FL_IOPL) != FL_IOPL)
			raise_gp0(c);
	}
	raise_softint(c, vec, EV_SOFTINT);
}

void op_int3(struct cpu *c, const struct insn *in)
{
	(void)in;
	raise_softint(c, EXC_BP, EV_SWEXC);
}

void op_into(struct cpu *c, const struct insn *in)
{
	(void)in;
	if (c->rflags & FL_OF)
		raise_softint(c, EXC_OF, EV_SWEXC);
}

void op_int1(struct cpu *c, const struct insn *in)
{
	(void)in;
	raise_softint(c, EXC_DB, EV_ICEBP);
}
