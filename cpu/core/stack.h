/* SPDX-License-Identifier: MIT */
/* Stack pushes and pops through SS with the stack-address size (APM 2.4). */
#ifndef PAC_STACK_H
#define PAC_STACK_H
#include "cpu.h"

static inline uint64_t stack_mask(const struct cpu *c)
{
	return c->stack_bits == 64 ? ~0ull : c->stack_bits == 32 ? 0xffffffffull : 0xffffull;
}
static inline void set_rsp(struct cpu *c, uint64_t v)
{
	uint64_t m = stack_mask(c);
	c->gpr[4] = (c->gpr[4] & ~m) | (v & m);
}
MAYFAULT void push(struct cpu *c, unsigned size, uint64_t v);
MAYFAULT uint64_t pop(struct cpu *c, unsigned size);
/* read the stack at RSP + off without moving RSP */
MAYFAULT uint64_t stack_read(struct cpu *c, uint64_t off, unsigned size);
#endif
