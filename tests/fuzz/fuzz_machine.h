/* SPDX-License-Identifier: MIT */
/* Building a small machine in a random initial mode from fuzzer bytes:
 * shared by the libFuzzer exec harness and the deterministic smoke test.
 * Register state given through pac_set_regs is kept to states a guest can
 * reach (the embedding API trusts its caller); everything the guest reads
 * from memory (GDT, IDT, page tables, code) is arbitrary. */
#ifndef PAC_FUZZ_MACHINE_H
#define PAC_FUZZ_MACHINE_H
#include <stdlib.h>
#include "pacifica/pacifica.h"
#include "fuzz_input.h"

#define FM_RAM (2u << 20)
#define FM_GDT 0x1000u
#define FM_IDT 0x2000u
#define FM_TSS 0x3000u
#define FM_CODE 0x10000u
#define FM_PT 0x100000u /* PML4 / PDPT / PD / PT, 4 KiB each */

enum fm_mode { FM_REAL, FM_PROT32, FM_PROT32_PG, FM_LONG, FM_NMODES };

static inline void fm_seg(struct pac_seg *s, uint16_t sel, uint16_t attr, uint32_t limit)
{
	s->sel = sel;
	s->attr = attr;
	s->base = 0;
	s->limit = limit;
}

static inline void fm_write(pac_machine *m, uint64_t a, const void *p, size_t n)
{
	pac_phys_write(m, a, p, n);
}

static inline void fm_tss(pac_machine *m, bool long_mode)
{
	uint32_t tss[26] = { 0 };
	tss[1] = 0x9800;                   /* ESP0 (32-bit) / RSP0 low (64-bit) */
	tss[2] = long_mode ? 0 : 0x10;     /* SS0 */
	tss[9] = long_mode ? 0x9c00 : 0;   /* IST1 low (64-bit) */
	fm_write(m, FM_TSS, tss, sizeof tss);
}

/* descriptor tables: `n` random 8-byte entries, entries 1/2 flat code/data
 * unless the input says otherwise, so some runs get past the first far jump */
static inline void fm_tables(pac_machine *m, struct fz *f, bool long_mode)
{
	uint64_t gdt[16];
	for (int i = 0; i < 16; i++)
		gdt[i] = fz_u64(f);
	if (!(gdt[0] & 1)) {
		gdt[1] = long_mode ? 0x00af9b000000ffffull : 0x00cf9b000000ffffull;
		gdt[2] = 0x00cf93000000ffffull;
		gdt[3] = 0x67 | ((uint64_t)FM_TSS << 16) | (0x8bull << 40); /* busy TSS */
		gdt[4] = long_mode ? 0 : gdt[4];
	}
	fm_write(m, FM_GDT, gdt, sizeof gdt);
	unsigned nidt = long_mode ? 64 : 32;
	uint64_t gate[2] = { 0, 0 };
	for (unsigned v = 0; v < nidt; v++) {
		uint64_t raw = fz_u64(f);
		/* half the time an interrupt gate to FM_CODE + 16 v on selector 8 */
		if (raw & 1)
			gate[0] = raw;
		else
			gate[0] = ((FM_CODE + 16 * v) & 0xffff) | (8ull << 16) | (0x8eull << 40) |
				  ((uint64_t)((FM_CODE + 16 * v) >> 16) << 48);
		gate[1] = 0;
		if (long_mode)
			fm_write(m, FM_IDT + 16 * v, gate, 16);
		else
			fm_write(m, FM_IDT + 8 * v, gate, 8);
	}
}

/* identity-map the RAM, then let the input rewrite some entries */
static inline void fm_page_tables(pac_machine *m, struct fz *f, bool long_mode, bool pae)
{
	if (long_mode || pae) {
		uint64_t e = FM_PT + 0x1000 + 7;
		fm_write(m, FM_PT, &e, 8);               /* PML4[0] (PDPT[0] in PAE) */
		e = FM_PT + 0x2000 + (long_mode ? 7 : 1);
		fm_write(m, FM_PT + 0x1000, &e, 8);      /* PDPT[0] -> PD */
		if (!long_mode)
			fm_write(m, FM_PT, &e, 8);
		e = 0x87;
		fm_write(m, FM_PT + 0x2000, &e, 8);      /* PD[0]: 2 MiB page at 0 */
	} else {
		uint32_t e = 0x87;
		fm_write(m, FM_PT, &e, 4);               /* PDE[0]: 4 MiB page at 0 */
	}
	unsigned n = fz_u8(f) % 16;
	for (unsigned i = 0; i < n; i++) {
		uint16_t slot = fz_u16(f);
		uint64_t v = fz_u64(f);
		if (!(slot & 0x8000))
			v = (v & ~0x000ffffffffff000ull) | (v & (FM_RAM - 1) & ~0xfffull);
		fm_write(m, FM_PT + (slot & 0x7ff) * 8u, &v, 8);
	}
}

static inline void fm_regs(struct pac_regs *r, struct fz *f, enum fm_mode mode)
{
	for (int i = 0; i < 16; i++)
		r->gpr[i] = fz_u8(f) & 1 ? fz_u64(f) : 0x8000u + 0x100u * (unsigned)i;
	uint64_t fl = fz_u32(f);
	r->rflags = 2 | (fl & 0x2c0fd5); /* arithmetic flags, TF, IF, DF, OF, AC, ID */
	r->gdtr.base = FM_GDT;
	r->gdtr.limit = 0x7f;
	r->idtr.base = FM_IDT;
	r->idtr.limit = fz_u8(f) & 1 ? fz_u16(f) : (mode == FM_LONG ? 0x3ff : 0xff);
	r->gpr[PAC_RSP] = 0x9000 + (fz_u8(f) & 0xff);
	if (mode == FM_REAL) {
		for (int i = 0; i < 6; i++)
			fm_seg(&r->seg[i], 0, i == PAC_CS ? 0x9b : 0x93, 0xffff);
		r->seg[PAC_CS].sel = FM_CODE >> 4;
		r->seg[PAC_CS].base = FM_CODE;
		r->rip = 0;
		r->idtr.base = 0;
		r->idtr.limit = 0x3ff;
		return;
	}
	uint8_t cb = fz_u8(f);
	unsigned cpl = cb & 0xc ? 0 : cb & 3; /* CPL 0 three times in four */
	unsigned dpl = cpl << 5;
	uint16_t cs_attr = mode == FM_LONG ? 0xa9b : 0xc9b;
	fm_seg(&r->seg[PAC_CS], (uint16_t)(0x08 | cpl), (uint16_t)(cs_attr | dpl), 0xffffffffu);
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			fm_seg(&r->seg[i], (uint16_t)(0x10 | cpl), (uint16_t)(0xc93 | dpl), 0xffffffffu);
	r->cpl = cpl;
	/* TR: the busy TSS of fm_tss, so interrupts from CPL > 0 can switch stacks */
	r->tr.sel = 0x18;
	r->tr.attr = 0x8b;
	r->tr.base = FM_TSS;
	r->tr.limit = 0x67;
	r->rip = FM_CODE;
	r->cr0 = 0x11 | (fz_u8(f) & 1 ? 0x10000 : 0) | (fz_u8(f) & 1 ? 0x40000 : 0);
	if (mode == FM_PROT32)
		return;
	r->cr0 |= 0x80000000u;
	r->cr3 = FM_PT | (fz_u8(f) & 0x18);
	uint64_t cr4 = fz_u32(f) & 0x5006f0; /* PSE PAE PGE PCE OSFXSR OSXMMEXCPT SMEP FSGSBASE */
	if (mode == FM_LONG) {
		r->cr4 = cr4 | 0x20;
		r->efer = 0x500 | (fz_u8(f) & 0x801); /* LME LMA, maybe NXE and SCE */
	} else {
		r->cr4 = (cr4 & ~0x20ull) | 0x10 | (fz_u8(f) & 1 ? 0x20 : 0);
		r->efer = fz_u8(f) & 0x800;
	}
}

/* A machine whose CPU 0 starts in the mode the first byte chooses; the
 * rest of the input is tables, registers and code. NULL if out of memory. */
static inline pac_machine *fm_build(const uint8_t *data, size_t size, enum fm_mode *mode_out)
{
	struct fz f = { data, size };
	uint8_t sel = fz_u8(&f);
	enum fm_mode mode = (enum fm_mode)(sel % FM_NMODES);
	const char *const *models = pac_cpu_models();
	unsigned nmodels = 0;
	while (models[nmodels])
		nmodels++;
	struct pac_config cfg = { .ncpus = 1, .seed = 7, .cpu_model = models[(sel >> 2) % nmodels] };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m)
		return NULL;
	if (pac_map_ram(m, 0, FM_RAM, NULL) != PAC_OK) {
		pac_destroy(m);
		return NULL;
	}
	struct pac_regs r;
	pac_get_regs(m, 0, &r);
	if (mode != FM_REAL) {
		fm_tables(m, &f, mode == FM_LONG);
		fm_tss(m, mode == FM_LONG);
	}
	fm_regs(&r, &f, mode);
	if (mode == FM_PROT32_PG || mode == FM_LONG)
		fm_page_tables(m, &f, mode == FM_LONG, (r.cr4 & 0x20) != 0);
	fm_write(m, FM_CODE, f.p, f.n > 0x10000 ? 0x10000 : f.n);
	pac_set_regs(m, 0, &r);
	*mode_out = mode;
	return m;
}
#endif
