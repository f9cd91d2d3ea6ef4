/* SPDX-License-Identifier: MIT */
/* Internal interface of the page-table walker (walk*.c, pdpte.c). The walk
 * gathers every entry it uses, checks presence and reserved bits level by
 * level, then the combined permissions; A/D bits are written only when the
 * whole translation succeeds (APM 5.4.2 allows A to be set on any use; the
 * model sets none on a faulting access, so a failed walk leaves memory as it
 * was). */
#ifndef PAC_MMU_WALK_H
#define PAC_MMU_WALK_H
#include "mmu.h"

/* paging-structure entry bits (APM 5.3, 5.4) */
#define PTE_P   (1ull << 0)
#define PTE_RW  (1ull << 1)
#define PTE_US  (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_PAT4K (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_PATLG (1ull << 12)
#define PTE_NX  (1ull << 63)

/* pat_index value meaning "no PAT lookup" (paging disabled, MT-05) */
#define MMU_PAT_NONE 8u

#define WALK_MAX_LEVELS 5

struct walk {
	struct cpu *c;
	gla_t gla;
	unsigned acc;
	int maxphy;           /* MAXPHYADDR */
	uint64_t addr_mask;   /* physical-address bits maxphy-1:12 */
	bool nxe;             /* NX enabled: EFER.NXE in PAE/long paging */
	/* combined over the levels (APM 5.6.1) */
	bool us, rw, nx;
	/* entries used, top level first, for the A/D update */
	spa_t ent_addr[WALK_MAX_LEVELS];
	uint8_t ent_size[WALK_MAX_LEVELS];
	unsigned n;
	/* leaf */
	uint64_t leaf;
	spa_t page_base;
	unsigned page_shift;
	unsigned pat_idx;
	unsigned refs;        /* paging-structure reads */
};

static inline uint64_t bits_from(int lo, int hi) /* bits hi..lo inclusive */
{
	return (hi >= 63 ? ~0ull : ((1ull << (hi + 1)) - 1)) & ~((1ull << lo) - 1);
}

/* PAT index 0..3 selected by PWT/PCD of an entry or CR3 (APM 7.8.2) */
static inline unsigned pwt_pcd_index(uint64_t e)
{
	return (unsigned)((e >> 3) & 3);
}

/* Read one paging-structure entry (4 or 8 bytes) at spa; `table_idx` is the
 * PAT index given by the entry (or CR3) that points to the table (MT-04). */
uint64_t walk_read(struct walk *w, spa_t spa, unsigned size, unsigned table_idx);
/* Record a fault of the current walk: fills f, returns false. */
bool walk_fault(struct walk *w, struct xfault *f, uint32_t err);
/* Note entry e, read at spa, as used by the walk (permissions, A/D). */
void walk_use(struct walk *w, spa_t spa, unsigned size, uint64_t e);

bool mmu_walk(struct cpu *c, gla_t gla, unsigned acc, struct xlate *x, struct xfault *f);
bool walk_legacy32(struct walk *w, struct xfault *f);
bool walk_pae(struct walk *w, struct xfault *f);
bool walk_long(struct walk *w, struct xfault *f);
/* levels `level`..1 of 64-bit entries starting at table spa */
bool walk_levels64(struct walk *w, spa_t table, unsigned table_idx, int level, struct xfault *f);

/* permissions (walk_perm.c) */
uint32_t walk_check(const struct walk *w, unsigned acc); /* 0 = allowed, else #PF code */
uint8_t walk_perm_bits(const struct walk *w, bool dirty);
uint32_t walk_err_bits(const struct walk *w, unsigned acc);
#endif
