/* SPDX-License-Identifier: MIT */
/* REP MOVS/STOS fast path: runs of iterations inside one RAM page are done
 * directly on host memory. Only runs that cannot fault are taken: the first
 * element goes through seg_linear() (which raises exactly as the first
 * iteration would), the run is clipped to the page, the address-size wrap
 * and the segment limit, and the page must translate to writable RAM (read
 * side: RAM or ROM) for the access. Elements are still moved one at a time
 * in order, so overlapping MOVS behave as the per-iteration path. Anything
 * else (MMIO, expand-down segments, a failing translation) returns 0 and the
 * caller falls back to one iteration at a time, which raises the fault. */
#include "string.h"
#include "../mmu/mmu.h"

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Host pointer of the first element at seg:off and in *k the number of
 * elements (in the direction of s->delta) reachable without leaving the
 * page, wrapping the address size or passing the segment limit. */
static MAYFAULT uint8_t *ram_run(struct cpu *c, int seg, uint64_t off, const struct strop *s,
				 bool write, uint64_t *k)
{
	unsigned sz = (unsigned)s->sz, acc = acc_data(c, write ? ACC_W : ACC_R);
	bool down = s->delta != (uint64_t)s->sz;
	uint64_t n;
	if (off + sz - 1 > s->amask)
		return NULL;
	n = down ? off / sz + 1 : (s->amask - off - (sz - 1)) / sz + 1;
	if (c->mode != MODE_LONG) {
		const struct seg *sg = &c->seg[seg];
		unsigned type = sg->attr & SA_TYPE;
		if ((!(type & 8) && (type & 4)) || off + sz - 1 > sg->limit)
			return NULL; /* expand-down or already outside: slow path */
		if (!down)
			n = min64(n, (sg->limit - off - (sz - 1)) / sz + 1);
	}
	gla_t gla = seg_linear(c, seg, off, sz, acc);
	if ((c->cr0 & CR0_AM) && (c->rflags & FL_AC) && c->cpl == 3 && (gla & (sz - 1)))
		return NULL; /* alignment checking applies: leave it to the access layer */
	unsigned in_page = (unsigned)(gla & 0xfff);
	if (in_page + sz > 4096)
		return NULL; /* first element crosses the page */
	n = min64(n, down ? in_page / sz + 1 : (4096 - in_page) / sz);
	struct xlate x;
	struct xfault f;
	if (!mmu_translate(c, gla & ~0xfffull, acc, &x, &f) || !x.hva)
		return NULL;
	struct region *r = phys_region(c->m, x.spa);
	if (!r || !r->hva || (write && r->rom) || x.spa - r->base + 4096 > r->size)
		return NULL;
	*k = n;
	return x.hva + in_page;
}

/* k elements of sz bytes, one at a time in order (MOVS when src, else STOS
 * of v); inlined per constant size */
static inline __attribute__((always_inline)) void run_elems(uint8_t *dst, const uint8_t *src, uint64_t v,
							    uint64_t k, uint64_t delta, size_t sz)
{
	int64_t step = delta == sz ? (int64_t)sz : -(int64_t)sz;
	for (uint64_t i = 0; i < k; i++) {
		if (src)
			memcpy(&v, src + (int64_t)i * step, sz);
		memcpy(dst + (int64_t)i * step, &v, sz);
	}
}

MAYFAULT uint64_t str_fast(struct cpu *c, const struct insn *in, const struct strop *s, bool movs,
			   uint64_t maxn)
{
	uint64_t ks = maxn, kd;
	const uint8_t *src = NULL;
	if (movs) {
		src = ram_run(c, in->seg, c->gpr[6] & s->amask, s, false, &ks);
		if (!src)
			return 0;
	}
	uint8_t *dst = ram_run(c, SEG_ES, c->gpr[7] & s->amask, s, true, &kd);
	if (!dst)
		return 0;
	uint64_t k = min64(maxn, min64(ks, kd));
	switch (s->sz) {
	case 1: run_elems(dst, src, c->gpr[0], k, s->delta, 1); break;
	case 2: run_elems(dst, src, c->gpr[0], k, s->delta, 2); break;
	case 4: run_elems(dst, src, c->gpr[0], k, s->delta, 4); break;
	default: run_elems(dst, src, c->gpr[0], k, s->delta, 8); break;
	}
	return k;
}
