/* SPDX-License-Identifier: MIT */
/* System-physical address space: RAM, ROM and MMIO regions. Unassigned
 * addresses read all ones and ignore writes. */
#include "../core/cpu.h"

struct region *phys_region(struct pac_machine *m, spa_t spa)
{
	for (unsigned i = 0; i < m->nregions; i++) {
		struct region *r = &m->regions[i];
		if (spa - r->base < r->size)
			return r;
	}
	return NULL;
}

uint8_t *phys_hva(struct pac_machine *m, spa_t spa)
{
	struct region *r = phys_region(m, spa);
	return r && r->hva ? r->hva + (spa - r->base) : NULL;
}

uint64_t phys_read(struct pac_machine *m, spa_t spa, int size, unsigned memtype)
{
	struct region *r = phys_region(m, spa);
	if (!r)
		return size_mask(size);
	if (r->hva) {
		uint64_t v = 0;
		uint64_t avail = r->size - (spa - r->base);
		memcpy(&v, r->hva + (spa - r->base), (uint64_t)size < avail ? (size_t)size : avail);
		return v;
	}
	return r->ops->read ? r->ops->read(r->ctx, spa - r->base, (unsigned)size, memtype) & size_mask(size)
			    : size_mask(size);
}

void phys_write(struct pac_machine *m, spa_t spa, int size, uint64_t v, unsigned memtype)
{
	struct region *r = phys_region(m, spa);
	if (!r || r->rom)
		return;
	if (r->hva) {
		uint64_t avail = r->size - (spa - r->base);
		memcpy(r->hva + (spa - r->base), &v, (uint64_t)size < avail ? (size_t)size : avail);
		return;
	}
	if (r->ops->write)
		r->ops->write(r->ctx, spa - r->base, (unsigned)size, v & size_mask(size), memtype);
}
