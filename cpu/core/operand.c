/* SPDX-License-Identifier: MIT */
/* ModRM operand access: effective address, register-or-memory read/write. */
#include "../decode/insn.h"
#include "../mmu/mmu.h"

MAYFAULT uint64_t ea_offset(struct cpu *c, const struct insn *in)
{
	uint64_t a = (uint64_t)in->disp;
	if (in->base == BASE_RIP)
		a += c->next_rip;
	else if (in->base != BASE_NONE)
		a += c->gpr[in->base];
	if (in->index != BASE_NONE)
		a += c->gpr[in->index] << in->scale;
	return a & size_mask(in->addrsize);
}

MAYFAULT uint64_t rm_read(struct cpu *c, const struct insn *in, int bytes)
{
	if (!in->has_mem)
		return reg_read(c, in->rm, bytes, byte_hi(in, in->rm));
	return mem_read(c, in->seg, ea_offset(c, in), (unsigned)bytes);
}

MAYFAULT void rm_write(struct cpu *c, const struct insn *in, int bytes, uint64_t v)
{
	if (!in->has_mem) {
		reg_write(c, in->rm, bytes, byte_hi(in, in->rm), v);
		return;
	}
	mem_write(c, in->seg, ea_offset(c, in), (unsigned)bytes, v);
}
