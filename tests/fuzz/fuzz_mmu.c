/* SPDX-License-Identifier: MIT */
/* libFuzzer harness (c): mmu_translate on random page-table trees and
 * random CR0/CR3/CR4/EFER/CPL. Table memory is 1 MiB of RAM filled from
 * the input (entry addresses mostly folded into RAM so walks go deep);
 * each translation must terminate and return a translation inside RAM,
 * an MMIO/unbacked result, or a fault record. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "pacifica/pacifica.h"
#include "core/cpu.h"
#include "mmu/mmu.h"

#define RAM_BYTES (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pac_machine *m;
static uint8_t *ram;

static void setup(void)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1 };
	int err;
	ram = calloc(1, RAM_BYTES);
	m = pac_create(&cfg, &err);
	if (!m || !ram || pac_map_ram(m, 0, RAM_BYTES, ram) != PAC_OK)
		abort();
}

static void fill_tables(struct fz *f)
{
	memset(ram, 0, RAM_BYTES);
	unsigned n = fz_u8(f);
	for (unsigned i = 0; i < n && f->n; i++) {
		uint32_t slot = fz_u16(f) | (uint32_t)(fz_u8(f) & 1) << 16; /* 8-byte slot */
		uint64_t v = fz_u64(f);
		if (!(v & (1ull << 62)))
			v = (v & ~0x000ffffffffff000ull) | (v & (RAM_BYTES - 1) & ~0xfffull);
		memcpy(ram + (size_t)slot * 8 % RAM_BYTES, &v, 8);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!m)
		setup();
	struct fz f = { data, size };
	struct pac_regs r;
	pac_get_regs(m, 0, &r);
	r.cr0 = 0x80000011u | (fz_u8(&f) & 1 ? 0x10000 : 0);
	r.cr3 = fz_u64(&f) & (RAM_BYTES - 1 + 0xfff0000000000000ull);
	r.cr4 = fz_u32(&f) & 0x3727ff; /* PSE PAE PGE PCIDE SMEP SMAP LA57 PKE ... */
	r.efer = fz_u16(&f) & 0xd01;
	if ((r.efer & 0x100) && (r.cr4 & 0x20))
		r.efer |= 0x400; /* LMA follows LME with paging and PAE */
	else
		r.efer &= ~0x500ull;
	r.cpl = fz_u8(&f) & 3;
	r.rflags = 2 | (fz_u8(&f) & 1 ? 0x40000 : 0);
	pac_set_regs(m, 0, &r);
	struct cpu *c = m->cpus[0];
	if (fz_u8(&f) & 1) { /* a valid PAT: each entry UC WC WT WP WB UC- */
		static const uint8_t types[8] = { 0, 1, 4, 5, 6, 7, 6, 0 };
		uint64_t pat = 0;
		for (int i = 0; i < 8; i++)
			pat |= (uint64_t)types[fz_u8(&f) & 7] << (8 * i);
		c->msr.hpat = pat;
	}
	c->msr.mtrr_def_type = 0x806;
	unsigned ngla = fz_u8(&f) % 8 + 1;
	uint64_t gla[8];
	unsigned acc[8];
	for (unsigned i = 0; i < ngla; i++) {
		gla[i] = fz_u64(&f);
		uint8_t a = fz_u8(&f);
		acc[i] = (a & 3) % 3 | (a & (ACC_USER | ACC_IMPLICIT | ACC_NOFAULT));
	}
	fill_tables(&f);
	for (unsigned i = 0; i < ngla; i++) {
		struct xlate x;
		struct xfault xf;
		memset(&x, 0, sizeof x);
		if (mmu_translate(c, gla[i], acc[i], &x, &xf)) {
			if (x.hva && (x.hva < ram || x.hva >= ram + RAM_BYTES))
				abort(); /* host pointer outside the RAM block */
			if (x.hva && x.hva != ram + x.spa)
				abort(); /* host pointer disagrees with the physical address */
		}
	}
	return 0;
}
