/* SPDX-License-Identifier: MIT */
/* Address translation (DESIGN rule 5) and the memory-access layer.
 * mmu_translate() is pure apart from setting A/D bits: it returns a
 * translation or a fault record and never raises. access.c turns fault
 * records into exceptions. */
#ifndef PAC_MMU_H
#define PAC_MMU_H
#include "../core/cpu.h"

struct xlate {
	gpa_t gpa;          /* guest-physical address of the byte */
	spa_t spa;          /* system-physical address of the byte */
	uint8_t *hva;       /* host pointer of the byte (RAM/ROM) or NULL (MMIO/none) */
	uint8_t perm;       /* TLB permission bits: bit (acc & 7) allowed */
	uint8_t page_shift; /* 12, 21, 22, 30 */
	uint8_t global;
	uint8_t memtype;    /* effective (enum pac_memtype) */
	uint8_t guest_type; /* type from the guest PAT side */
	uint8_t host_type;  /* type from the host side (== guest_type without NP) */
	uint8_t mtrr_type;
	unsigned walk_refs; /* page-table references made */
};

enum xfault_kind { XF_NONE, XF_PF, XF_GP, XF_NPF };
struct xfault {
	enum xfault_kind kind;
	uint32_t err;       /* #PF error code */
	gla_t gla;
	uint64_t exitinfo1, exitinfo2; /* #NPF (issue 5) */
};

/* Translate one linear address for access kind `acc` (ACC_* bits). */
bool mmu_translate(struct cpu *c, gla_t gla, unsigned acc, struct xlate *x, struct xfault *f);

/* memtype of a physical address when paging is off (pat_index 8: no PAT,
 * MT-05) or for table reads (pat_index 0..3 from PWT/PCD, MT-04) */
uint8_t mmu_phys_memtype(struct cpu *c, spa_t spa, unsigned pat_index);

/* TLB (tlb.c) */
struct tlb_entry *tlb_lookup(struct cpu *c, gla_t gla);
void tlb_fill(struct cpu *c, gla_t gla, const struct xlate *x);
void tlb_flush_all(struct cpu *c);         /* including global */
void tlb_flush_nonglobal(struct cpu *c);   /* MOV CR3 without PCID */
void tlb_flush_page(struct cpu *c, gla_t gla); /* INVLPG */
void tlb_flush_pcid(struct cpu *c, uint16_t pcid, bool keep_global);

/* Control-register write notifications (TLB flush rules, PDPTE reload,
 * mode change). Called by MOV CRn / LMSW / CLTS / WRMSR EFER after the new
 * value is in place. crn = 0, 3, 4 or 8 (EFER: use 0x80). */
void mmu_cr_written(struct cpu *c, int crn, uint64_t oldv, uint64_t newv);
/* PAT/MTRR changed: cached memory types are stale */
void mmu_memtype_changed(struct cpu *c);

/* paging mode from CR0/CR4/EFER: PAGING_* */
int mmu_paging_mode(const struct cpu *c);
/* Reload the PAE PDPTEs from CR3 (legacy PAE); false if reserved bits set
 * (then c->pdpte is left unchanged). */
bool mmu_load_pdptes(struct cpu *c);
/* Read the four PDPTEs a legacy-PAE CR3 value points to, without loading
 * them: MOV CR3/CR0/CR4 check this before committing (#GP if false). */
bool mmu_read_pdptes(struct cpu *c, uint64_t cr3, uint64_t pdpte[4]);
/* reserved (MBZ) bits of a present legacy-PAE PDPTE */
uint64_t mmu_pdpte_rsvd(const struct cpu *c);

/* ---- access layer (access.c) ---- */
MAYFAULT gla_t seg_linear(struct cpu *c, int seg, uint64_t off, unsigned len, unsigned acc);
MAYFAULT uint64_t lin_read(struct cpu *c, gla_t gla, unsigned size, unsigned acc);
MAYFAULT void lin_write(struct cpu *c, gla_t gla, unsigned size, uint64_t v, unsigned acc);
MAYFAULT void lin_read_buf(struct cpu *c, gla_t gla, void *buf, unsigned len, unsigned acc);
MAYFAULT void lin_write_buf(struct cpu *c, gla_t gla, const void *buf, unsigned len, unsigned acc);
/* Fail now (fault) unless [gla, gla+len) is writable: used before multi-part stores. */
MAYFAULT void lin_probe_write(struct cpu *c, gla_t gla, unsigned len, unsigned acc);

/* segment-relative data accesses at the current CPL (size 1, 2, 4, 8) */
MAYFAULT uint64_t mem_read(struct cpu *c, int seg, uint64_t off, unsigned size);
MAYFAULT void mem_write(struct cpu *c, int seg, uint64_t off, unsigned size, uint64_t v);
MAYFAULT void mem_read_buf(struct cpu *c, int seg, uint64_t off, void *buf, unsigned len);
MAYFAULT void mem_write_buf(struct cpu *c, int seg, uint64_t off, const void *buf, unsigned len);
MAYFAULT void mem_probe_write(struct cpu *c, int seg, uint64_t off, unsigned len);
/* supervisor-implicit linear accesses (descriptor tables, TSS, IDT) */
MAYFAULT uint64_t sys_read(struct cpu *c, gla_t gla, unsigned size);
MAYFAULT void sys_write(struct cpu *c, gla_t gla, unsigned size, uint64_t v);

/* access kind for a data access at the current CPL */
static inline unsigned acc_data(const struct cpu *c, unsigned w)
{
	return w | (c->cpl == 3 ? ACC_USER : 0);
}

#endif
