/* SPDX-License-Identifier: MIT */
/* Descriptor-table reads and descriptor decoding (APM vol. 2, 4.7-4.8, 4.8.3
 * for the 16-byte long-mode system descriptors). */
#include "desc.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

static gla_t table_addr(const struct cpu *c, uint64_t base, uint32_t off)
{
	gla_t a = base + off;
	return (c->efer & EFER_LMA) ? a : (uint32_t)a;
}

/* Linear address of the entry for sel, or false if outside the table. */
static bool entry_addr(const struct cpu *c, uint16_t sel, unsigned size, gla_t *addr)
{
	uint64_t base = c->gdtr.base;
	uint32_t limit = c->gdtr.limit;
	if (sel & SEL_TI) {
		if (SEL_NULL(c->ldtr.sel))
			return false; /* null LDTR: every LDT reference is out of range */
		base = c->ldtr.base;
		limit = c->ldtr.limit;
	}
	uint32_t off = sel & 0xfff8u;
	if ((uint64_t)off + size - 1 > limit)
		return false;
	*addr = table_addr(c, base, off);
	return true;
}

void desc_decode(struct desc *d, bool wide)
{
	uint32_t lo = d->lo, hi = d->hi;
	d->base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000u);
	d->limit = (lo & 0xffff) | (hi & 0xf0000u);
	if (hi & (1u << 23))
		d->limit = (d->limit << 12) | 0xfff;
	d->attr = (uint16_t)(((hi >> 8) & 0xff) | ((hi >> 12) & 0xf00));
	d->type = (uint8_t)((hi >> 8) & 15);
	d->s = (hi >> 12) & 1;
	d->dpl = (uint8_t)((hi >> 13) & 3);
	d->p = (hi >> 15) & 1;
	d->wide = wide;
	if (wide)
		d->base |= (uint64_t)d->hi2 << 32;
}

MAYFAULT bool desc_read(struct cpu *c, uint16_t sel, struct desc *d)
{
	memset(d, 0, sizeof *d);
	if (!entry_addr(c, sel, 8, &d->addr))
		return false;
	uint64_t raw = sys_read(c, d->addr, 8);
	d->lo = (uint32_t)raw;
	d->hi = (uint32_t)(raw >> 32);
	desc_decode(d, false);
	return true;
}

MAYFAULT bool desc_read16(struct cpu *c, uint16_t sel, struct desc *d)
{
	memset(d, 0, sizeof *d);
	if (!entry_addr(c, sel, 16, &d->addr))
		return false;
	uint64_t raw = sys_read(c, d->addr, 8);
	uint64_t up = sys_read(c, d->addr + 8, 8);
	d->lo = (uint32_t)raw;
	d->hi = (uint32_t)(raw >> 32);
	d->hi2 = (uint32_t)up;
	d->hi3 = (uint32_t)(up >> 32);
	desc_decode(d, true);
	return true;
}

/* APM 4.8.3: the type field of the upper half (bits 12:8 of the last dword)
 * must be zero, else the reference faults like an invalid type. */
bool desc_upper_ok(const struct desc *d)
{
	return ((d->hi3 >> 8) & 0x1f) == 0;
}

MAYFAULT void desc_set_accessed(struct cpu *c, struct desc *d)
{
	if (d->type & 1)
		return;
	d->hi |= 1u << 8;
	d->type |= 1;
	d->attr |= 1;
	sys_write(c, d->addr + 5, 1, (d->hi >> 8) & 0xff);
}

MAYFAULT void desc_set_busy(struct cpu *c, struct desc *d, bool busy)
{
	d->hi = busy ? d->hi | (2u << 8) : d->hi & ~(2u << 8);
	desc_decode(d, d->wide);
	sys_write(c, d->addr + 5, 1, (d->hi >> 8) & 0xff);
}

void desc_to_seg(struct seg *s, uint16_t sel, const struct desc *d)
{
	s->sel = sel;
	s->base = d->base;
	s->limit = d->limit;
	s->attr = d->attr;
}

MAYFAULT bool idt_read(struct cpu *c, int vector, struct desc *d)
{
	bool lm = (c->efer & EFER_LMA) != 0;
	unsigned size = lm ? 16 : 8;
	memset(d, 0, sizeof *d);
	if ((uint64_t)vector * size + size - 1 > c->idtr.limit)
		return false;
	d->addr = table_addr(c, c->idtr.base, (uint32_t)vector * size);
	uint64_t raw = sys_read(c, d->addr, 8);
	d->lo = (uint32_t)raw;
	d->hi = (uint32_t)(raw >> 32);
	if (lm) {
		uint64_t up = sys_read(c, d->addr + 8, 8);
		d->hi2 = (uint32_t)up;
		d->hi3 = (uint32_t)(up >> 32);
	}
	desc_decode(d, lm);
	return true;
}
