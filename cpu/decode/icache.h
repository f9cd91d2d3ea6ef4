/* SPDX-License-Identifier: MIT */
/* Self-validating decoded-instruction cache (DESIGN "One instruction").
 * Entries are keyed by the host address of the instruction's first byte
 * and the code size; a hit is only used if the bytes in memory still equal
 * the bytes that were decoded, so self-modifying code needs no tracking. */
#ifndef PAC_ICACHE_H
#define PAC_ICACHE_H
#include "insn.h"

#define ICACHE_SIZE 4096
struct icache_entry {
	const uint8_t *hva;
	uint8_t code_bits;
	struct insn in;
};
struct icache {
	struct icache_entry e[ICACHE_SIZE];
};

/* Returns the decoded instruction at CS:RIP: from the cache when valid,
 * otherwise decoded into *scratch (and cached when it lies in one RAM page).
 * May fault exactly as instruction fetch does. */
MAYFAULT const struct insn *icache_fetch(struct cpu *c, struct insn *scratch);
void icache_flush(struct cpu *c);
#endif
