/* SPDX-License-Identifier: MIT */
/* Memory types: PAT (APM 7.8), MTRRs (APM 7.7) and their combination
 * (Table 7-11; nested: Tables 15-19 and 15-20). Values are enum pac_memtype. */
#ifndef PAC_MEMTYPE_H
#define PAC_MEMTYPE_H
#include "../core/cpu.h"

/* MT-02: every PAT field in {0,1,4,5,6,7} and bits 7:3 clear */
bool pat_valid(uint64_t pat);
/* type of PAT entry idx (0..7) */
uint8_t pat_type(uint64_t pat, unsigned idx);
/* MTRR type of a system-physical address (MT-06..MT-10) */
uint8_t mtrr_type(const struct cpu *c, spa_t spa);
/* Table 7-11: PAT type x MTRR type -> effective type (may be CD) */
uint8_t memtype_combine(uint8_t pat, uint8_t mtrr);
/* nested paging (APM 15.25.8): Table 15-19 guest PAT x host PAT (may be WC+) */
uint8_t memtype_guest_host(uint8_t guest, uint8_t host);
/* Table 15-20: combined PAT type (incl. WC+) x MTRR type */
uint8_t memtype_nested_mtrr(uint8_t pat, uint8_t mtrr);
/* Table 15-19 then Table 15-20 (without the CR0.CD override, MT-20) */
uint8_t memtype_combine_nested(uint8_t guest, uint8_t host, uint8_t mtrr);
/* MT-08: UC, WC, WT, WP, WB */
bool mtrr_type_valid(unsigned t);

/* PAT and MTRR MSRs (0x277, 0xFE, 0x2FF, 0x250, 0x258, 0x259, 0x268-0x26F,
 * 0x200-0x20F). read/write return false where RDMSR/WRMSR raise #GP;
 * *handled is set false for indexes that are not memtype MSRs. */
bool memtype_msr_read(struct cpu *c, uint32_t idx, uint64_t *val, bool *handled);
bool memtype_msr_write(struct cpu *c, uint32_t idx, uint64_t val, bool *handled);
#endif
