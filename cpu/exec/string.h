/* SPDX-License-Identifier: MIT */
/* Shared by string.c and string_fast.c. */
#ifndef PAC_EXEC_STRING_H
#define PAC_EXEC_STRING_H
#include "../decode/insn.h"

struct strop {
	int sz, asz;
	uint64_t amask;
	uint64_t delta; /* +sz or -sz (two's complement) */
};

/* Fast path of REP MOVS/STOS over RAM: performs up to maxn iterations that
 * stay inside one page of each operand and cannot fault, and returns how
 * many it did (0: not applicable, the caller takes the per-iteration path).
 * Registers are left to the caller. */
MAYFAULT uint64_t str_fast(struct cpu *c, const struct insn *in, const struct strop *s, bool movs,
			   uint64_t maxn);
#endif
