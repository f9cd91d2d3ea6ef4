/* SPDX-License-Identifier: MIT */
#include "stack.h"
#include "../mmu/mmu.h"

MAYFAULT void push(struct cpu *c, unsigned size, uint64_t v)
{
	uint64_t sp = (c->gpr[4] - size) & stack_mask(c);
	mem_write(c, SEG_SS, sp, size, v);
	set_rsp(c, sp);
}

MAYFAULT uint64_t pop(struct cpu *c, unsigned size)
{
	uint64_t sp = c->gpr[4] & stack_mask(c);
	uint64_t v = mem_read(c, SEG_SS, sp, size);
	set_rsp(c, sp + size);
	return v;
}

MAYFAULT uint64_t stack_read(struct cpu *c, uint64_t off, unsigned size)
{
	return mem_read(c, SEG_SS, (c->gpr[4] + off) & stack_mask(c), size);
}
