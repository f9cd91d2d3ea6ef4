/* SPDX-License-Identifier: MIT */
/* Shared helpers for the page-walk unit tests: build page tables in machine
 * RAM, set paging registers, translate with mmu_translate(). */
#ifndef PAC_WALK_HELPERS_H
#define PAC_WALK_HELPERS_H
#include "test.h"
#include "machine_helpers.h"
#include "../../cpu/mmu/mmu.h"

#define P 0x1ull
#define RW 0x2ull
#define US 0x4ull
#define PWT 0x8ull
#define PCD 0x10ull
#define A 0x20ull
#define D 0x40ull
#define PS 0x80ull
#define G 0x100ull
#define PATL (1ull << 12)
#define NX (1ull << 63)

static pac_machine *m;
static struct cpu *c;

static inline void w64(uint64_t a, uint64_t v) { pac_phys_write(m, a, &v, 8); }
static inline void w32(uint64_t a, uint32_t v) { pac_phys_write(m, a, &v, 4); }
static inline uint64_t r64(uint64_t a)
{
	uint64_t v = 0;
	pac_phys_read(m, a, &v, 8);
	return v;
}

static inline void new_machine(const char *model)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1, .cpu_model = model };
	int err;
	m = pac_create(&cfg, &err);
	if (!m || pac_map_ram(m, 0, TM_RAM, NULL) != PAC_OK) {
		fprintf(stderr, "new_machine: %s\n", pac_strerror(err));
		exit(2);
	}
	c = m->cpus[0];
	/* MTRRs enabled (fixed ranges off), default WB: the PAT side decides (Table 7-11 WB column) */
	c->msr.mtrr_def_type = 0x806;
}

static inline void clear_tables(uint64_t from, uint64_t len)
{
	static uint8_t zero[4096];
	for (uint64_t a = from; a < from + len; a += 4096)
		pac_phys_write(m, a, zero, 4096);
}

/* Load CR0 (PE|PG|WP by default), CR3, CR4, EFER, CPL and RFLAGS. */
static inline void set_paging(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer, unsigned cpl,
		       uint64_t rflags)
{
	struct pac_regs r;
	pac_get_regs(m, 0, &r);
	r.cr0 = cr0;
	r.cr3 = cr3;
	r.cr4 = cr4;
	r.efer = efer;
	r.cpl = cpl;
	r.rflags = rflags;
	pac_set_regs(m, 0, &r);
}

/* translate: returns 1 and fills *x, or 0 and the #PF error code in *err
 * (0xdead for a non-#PF fault kind). */
static inline int tr(uint64_t gla, unsigned acc, struct xlate *x, uint32_t *err)
{
	struct xfault f;
	struct xlate tmp;
	if (!x)
		x = &tmp;
	*err = 0;
	if (mmu_translate(c, gla, acc, x, &f))
		return 1;
	*err = f.kind == XF_PF && f.gla == gla ? f.err : 0xdead;
	return 0;
}

/* error code of a faulting translation, or 0xffffffff if it succeeded */
static inline uint32_t pf(uint64_t gla, unsigned acc)
{
	uint32_t err;
	return tr(gla, acc, NULL, &err) ? 0xffffffffu : err;
}
#endif
