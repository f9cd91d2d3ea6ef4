/* SPDX-License-Identifier: MIT */
/* The memory-access layer: segmentation checks, the TLB fast path and the
 * slow path through mmu_translate(). Turns translation fault records into
 * exceptions (DESIGN rule 5/7). */
#include "mmu.h"
#include "../core/fault.h"
#include "../apic/lapic.h"
#include "../core/debug.h"

/* Alignment check (APM 8.2.18): CR0.AM, RFLAGS.AC, CPL 3 and a data
 * access of 2, 4 or 8 bytes not aligned to its size. Fetches and
 * supervisor-implicit accesses (descriptor tables, TSS) are exempt. The
 * frame pushes of an event delivered to a CPL 3 handler are CPL 3 stack
 * writes and are checked, as on hardware (CVE-2015-5307: #AC is benign for
 * #DF, so a misaligned CPL 3 stack nests #AC without end; deliver_event
 * bounds that with a shutdown, docs/deviations.md).
 * APPROX: multi-part accesses (far pointers, x87/SSE buffers) are checked
 * per part, by the size of each part. */
static MAYFAULT void alignment_check(struct cpu *c, unsigned acc)
{
	if ((acc & ACC_USER) && !(acc & (ACC_X | ACC_IMPLICIT | ACC_NOFAULT)) && c->cpl == 3 &&
	    (c->cr0 & CR0_AM) && (c->rflags & FL_AC))
		raise_exc_err(c, EXC_AC, 0);
}

/* The access-layer hooks: #AC, then the data breakpoints armed for this
 * instruction (cpu/core/debug.c). Both cost one test when off. */
static inline MAYFAULT void access_hooks(struct cpu *c, gla_t gla, unsigned size, unsigned acc)
{
	if ((size & (size - 1)) == 0 && (gla & (size - 1)))
		alignment_check(c, acc);
	if (c->dbg_data && !(acc & (ACC_X | ACC_NOFAULT)))
		dbg_data_access(c, gla, size, acc);
}

/* APM 4.5.3/4.8: limit and type checks of a data or stack access. */
static MAYFAULT void seg_check(struct cpu *c, int seg, const struct seg *s, uint64_t off,
			       unsigned len, unsigned acc)
{
	uint16_t a = s->attr;
	if (c->mode != MODE_REAL && c->mode != MODE_V86) {
		if (!(a & SA_P))
			raise_seg_fault(c, seg, 0);
		unsigned type = a & SA_TYPE;
		if (acc & ACC_W) {
			/* code segments and read-only data are not writable */
			if ((type & 8) || !(type & 2))
				raise_seg_fault(c, seg, 0);
		} else if ((acc & ACC_X) == 0 && (type & 8) && !(type & 2)) {
			raise_seg_fault(c, seg, 0); /* execute-only code */
		}
		if (!(type & 8) && (type & 4)) { /* expand-down data */
			uint64_t top = (a & SA_DB) ? 0xffffffffull : 0xffffull;
			if (off <= s->limit || off + len - 1 > top)
				raise_seg_fault(c, seg, 0);
			return;
		}
	}
	if (off + len - 1 > s->limit || off + len - 1 < off)
		raise_seg_fault(c, seg, 0);
}

MAYFAULT gla_t seg_linear(struct cpu *c, int seg, uint64_t off, unsigned len, unsigned acc)
{
	const struct seg *s = &c->seg[seg];
	if (c->mode == MODE_LONG) {
		gla_t gla = off + ((seg == SEG_FS || seg == SEG_GS) ? s->base : 0);
		int vb = cpu_va_bits(c);
		if (!is_canonical(gla, vb) || !is_canonical(gla + len - 1, vb))
			raise_seg_fault(c, seg, 0);
		return gla;
	}
	seg_check(c, seg, s, off, len, acc);
	return (uint32_t)(s->base + off);
}

static MAYFAULT void translate_or_raise(struct cpu *c, gla_t gla, unsigned acc, struct xlate *x)
{
	struct xfault f;
	c->stats.tlb_misses++;
	if (!mmu_translate(c, gla, acc, x, &f)) {
		if (f.kind == XF_PF)
			raise_pf(c, gla, f.err);
		if (f.kind == XF_GP)
			raise_gp0(c);
		raise_internal(c, "unhandled translation fault kind");
	}
	c->stats.walk_refs += x->walk_refs;
}

static inline uint8_t *fast_hva(struct cpu *c, gla_t gla, unsigned size, unsigned acc)
{
	struct tlb_entry *e = &c->tlb[(gla >> 12) & (TLB_SIZE - 1)];
	if (e->tag == (gla >> 12) + 1 && e->asid == c->asid && ((e->perm >> (acc & 7)) & 1) &&
	    e->hva && (gla & 0xfff) + size <= 4096)
		return e->hva + (gla & 0xfff);
	return NULL;
}

static inline uint64_t load_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	memcpy(&v, p, size); /* little-endian host (x86-64) */
	return v;
}
static inline void store_le(uint8_t *p, unsigned size, uint64_t v) { memcpy(p, &v, size); }

/* The CPU's own xAPIC page wins over the physical map while the APIC is
 * enabled in xAPIC mode (SDM vol. 3 10.4.1): such accesses never get a
 * host pointer in the TLB, so they always come through the slow path. */
static inline bool apic_page_hook(struct cpu *c, struct xlate *x)
{
	if (!lapic_mmio_claims(c, x->spa))
		return false;
	x->hva = NULL;
	return true;
}

/* One byte-granular slow access within a page after translation. */
static MAYFAULT uint64_t slow_read_page(struct cpu *c, gla_t gla, unsigned size, unsigned acc)
{
	struct xlate x;
	translate_or_raise(c, gla, acc, &x);
	bool apic = apic_page_hook(c, &x);
	if (!(acc & ACC_NOFAULT))
		tlb_fill(c, gla, &x);
	if (apic)
		return lapic_mmio_read(c, x.spa, size);
	if (x.hva)
		return load_le(x.hva, size);
	return phys_read(c->m, x.spa, (int)size, x.memtype);
}

MAYFAULT uint64_t lin_read(struct cpu *c, gla_t gla, unsigned size, unsigned acc)
{
	access_hooks(c, gla, size, acc);
	uint8_t *p = fast_hva(c, gla, size, acc);
	if (p)
		return load_le(p, size);
	unsigned first = 4096 - (unsigned)(gla & 0xfff);
	if (first >= size)
		return slow_read_page(c, gla, size, acc);
	/* page-crossing: translate both halves before combining */
	uint64_t lo = 0, hi = 0;
	for (unsigned i = 0; i < first; i++)
		lo |= slow_read_page(c, gla + i, 1, acc) << (8 * i);
	for (unsigned i = first; i < size; i++)
		hi |= slow_read_page(c, gla + i, 1, acc) << (8 * (i - first));
	return lo | (hi << (8 * first));
}

MAYFAULT void lin_probe_write(struct cpu *c, gla_t gla, unsigned len, unsigned acc)
{
	struct xlate x;
	gla_t end = gla + len - 1;
	for (gla_t pg = gla & ~0xfffull;; pg += 4096) {
		gla_t a = pg < gla ? gla : pg;
		if (!fast_hva(c, a, 1, acc | ACC_W)) {
			translate_or_raise(c, a, acc | ACC_W, &x);
			tlb_fill(c, a, &x);
		}
		if ((pg | 0xfff) >= end)
			break;
	}
}

static MAYFAULT void slow_write_page(struct cpu *c, gla_t gla, unsigned size, uint64_t v, unsigned acc)
{
	struct xlate x;
	translate_or_raise(c, gla, acc | ACC_W, &x);
	bool apic = apic_page_hook(c, &x);
	tlb_fill(c, gla, &x);
	if (apic) {
		lapic_mmio_write(c, x.spa, size, v);
		return;
	}
	struct region *r = phys_region(c->m, x.spa);
	if (x.hva && r && !r->rom)
		store_le(x.hva, size, v);
	else
		phys_write(c->m, x.spa, (int)size, v, x.memtype);
}

MAYFAULT void lin_write(struct cpu *c, gla_t gla, unsigned size, uint64_t v, unsigned acc)
{
	access_hooks(c, gla, size, acc | ACC_W);
	uint8_t *p = fast_hva(c, gla, size, acc | ACC_W);
	if (p) {
		store_le(p, size, v);
		return;
	}
	unsigned first = 4096 - (unsigned)(gla & 0xfff);
	if (first >= size) {
		slow_write_page(c, gla, size, v, acc);
		return;
	}
	lin_probe_write(c, gla, size, acc); /* both pages writable before any byte lands */
	for (unsigned i = 0; i < size; i++)
		slow_write_page(c, gla + i, 1, v >> (8 * i), acc);
}

/* next piece of a buffer access: at most 8 bytes, never across a page */
static inline unsigned buf_chunk(gla_t gla, unsigned len)
{
	unsigned chunk = 4096 - (unsigned)(gla & 0xfff);
	if (chunk > len)
		chunk = len;
	return chunk > 8 ? 8 : chunk;
}

MAYFAULT void lin_read_buf(struct cpu *c, gla_t gla, void *buf, unsigned len, unsigned acc)
{
	uint8_t *b = buf;
	while (len) {
		unsigned chunk = buf_chunk(gla, len);
		uint64_t v = lin_read(c, gla, chunk, acc);
		memcpy(b, &v, chunk);
		b += chunk;
		gla += chunk;
		len -= chunk;
	}
}

MAYFAULT void lin_write_buf(struct cpu *c, gla_t gla, const void *buf, unsigned len, unsigned acc)
{
	const uint8_t *b = buf;
	lin_probe_write(c, gla, len, acc);
	while (len) {
		unsigned chunk = buf_chunk(gla, len);
		uint64_t v = 0;
		memcpy(&v, b, chunk);
		lin_write(c, gla, chunk, v, acc);
		b += chunk;
		gla += chunk;
		len -= chunk;
	}
}

MAYFAULT uint64_t mem_read(struct cpu *c, int seg, uint64_t off, unsigned size)
{
	unsigned acc = acc_data(c, ACC_R);
	return lin_read(c, seg_linear(c, seg, off, size, acc), size, acc);
}

MAYFAULT void mem_write(struct cpu *c, int seg, uint64_t off, unsigned size, uint64_t v)
{
	unsigned acc = acc_data(c, ACC_W);
	lin_write(c, seg_linear(c, seg, off, size, acc), size, v, acc);
}

MAYFAULT void mem_read_buf(struct cpu *c, int seg, uint64_t off, void *buf, unsigned len)
{
	unsigned acc = acc_data(c, ACC_R);
	lin_read_buf(c, seg_linear(c, seg, off, len, acc), buf, len, acc);
}

MAYFAULT void mem_write_buf(struct cpu *c, int seg, uint64_t off, const void *buf, unsigned len)
{
	unsigned acc = acc_data(c, ACC_W);
	lin_write_buf(c, seg_linear(c, seg, off, len, acc), buf, len, acc);
}

MAYFAULT void mem_probe_write(struct cpu *c, int seg, uint64_t off, unsigned len)
{
	unsigned acc = acc_data(c, ACC_W);
	lin_probe_write(c, seg_linear(c, seg, off, len, acc), len, acc);
}

MAYFAULT uint64_t sys_read(struct cpu *c, gla_t gla, unsigned size)
{
	return lin_read(c, gla, size, ACC_R | ACC_IMPLICIT);
}

MAYFAULT void sys_write(struct cpu *c, gla_t gla, unsigned size, uint64_t v)
{
	lin_write(c, gla, size, v, ACC_IMPLICIT);
}
