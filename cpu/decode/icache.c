/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include "icache.h"
#include "../mmu/mmu.h"

/* true if the len bytes at p still equal b (16-byte fast path when the
 * read stays inside the page) */
static inline bool same_bytes(const uint8_t *p, gla_t lin, const uint8_t *b, unsigned len)
{
	if ((lin & 0xfff) <= 4096 - 16) {
		uint64_t m0, m1, x0, x1, y0, y1;
		memcpy(&x0, p, 8);
		memcpy(&x1, p + 8, 8);
		memcpy(&y0, b, 8);
		memcpy(&y1, b + 8, 8);
		m0 = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
		m1 = len >= 16 ? ~0ull : len <= 8 ? 0 : (1ull << (8 * (len - 8))) - 1;
		return !((x0 ^ y0) & m0) && !((x1 ^ y1) & m1);
	}
	return !memcmp(p, b, len);
}

static inline unsigned slot_of(const uint8_t *hva)
{
	uintptr_t a = (uintptr_t)hva;
	return (unsigned)((a ^ (a >> 12)) & (ICACHE_SIZE - 1));
}

/* host pointer of the code byte at CS:RIP if the TLB maps it executable */
static const uint8_t *code_hva(struct cpu *c, gla_t *lin_out)
{
	gla_t lin = c->mode == MODE_LONG ? c->rip : (uint32_t)(c->seg[SEG_CS].base + c->rip);
	struct tlb_entry *e = &c->tlb[(lin >> 12) & (TLB_SIZE - 1)];
	unsigned acc = ACC_X | (c->cpl == 3 ? ACC_USER : 0);
	*lin_out = lin;
	if (e->tag != (lin >> 12) + 1 || e->asid != c->asid || !((e->perm >> acc) & 1) || !e->hva)
		return NULL;
	return e->hva + (lin & 0xfff);
}

MAYFAULT const struct insn *icache_fetch(struct cpu *c, struct insn *scratch)
{
	struct icache *ic = c->icache;
	gla_t lin;
	const uint8_t *p = ic ? code_hva(c, &lin) : NULL;
	if (p) {
		struct icache_entry *e = &ic->e[slot_of(p)];
		if (e->hva == p && e->code_bits == c->code_bits &&
		    (lin & 0xfff) + e->in.len <= 4096 && same_bytes(p, lin, e->in.bytes, e->in.len) &&
		    (c->mode == MODE_LONG || c->rip + e->in.len - 1 <= c->seg[SEG_CS].limit))
			return &e->in;
	}
	decode_insn(c, scratch);
	if (!ic || !scratch->row)
		return scratch;
	p = code_hva(c, &lin);
	if (p && (lin & 0xfff) + scratch->len <= 4096) {
		struct icache_entry *e = &ic->e[slot_of(p)];
		e->hva = p;
		e->code_bits = (uint8_t)c->code_bits;
		e->in = *scratch;
		return &e->in;
	}
	return scratch;
}

void icache_flush(struct cpu *c)
{
	if (c->icache)
		memset(c->icache, 0, sizeof *c->icache);
}
