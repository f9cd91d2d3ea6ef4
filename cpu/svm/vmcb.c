/* SPDX-License-Identifier: MIT */
/* Physical access to VMCBs and the host-save page, and the conversions
 * between struct seg and the VMCB segment format (same attribute format). */
#include "svm.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"

void vmcb_read_page(struct cpu *c, uint64_t pa, struct vmcb *v)
{
	uint8_t *p = (uint8_t *)v;
	for (size_t off = 0; off < sizeof *v; off += 8) {
		uint64_t q = phys_read(c->m, pa + off, 8, PAC_MT_WB);
		memcpy(p + off, &q, 8);
	}
}

void vmcb_write(struct cpu *c, uint64_t pa, size_t off, const void *p, size_t len)
{
	const uint8_t *b = p;
	if (len == 2 || len == 4 || len == 8) {
		uint64_t q = 0;
		memcpy(&q, p, len);
		phys_write(c->m, pa + off, (int)len, q, PAC_MT_WB);
		return;
	}
	for (size_t i = 0; i < len; i++)
		phys_write(c->m, pa + off + i, 1, b[i], PAC_MT_WB);
}

void svm_seg_to_vmcb(struct vmcb_seg *d, const struct seg *s)
{
	d->sel = s->sel;
	d->attr = s->attr;
	d->limit = s->limit;
	d->base = s->base;
}

void svm_seg_from_vmcb(struct seg *d, const struct vmcb_seg *s)
{
	d->sel = s->sel;
	d->attr = s->attr & 0xfff;
	d->limit = s->limit;
	d->base = s->base;
}

bool svm_pa_range_ok(const struct cpu *c, uint64_t pa, uint64_t len)
{
	uint64_t lim = 1ull << cpu_phys_bits(c);
	return pa < lim && len <= lim - pa;
}

uint64_t svm_rax_pa(const struct cpu *c, const struct insn *in)
{
	return c->gpr[0] & size_mask(in->addrsize);
}
