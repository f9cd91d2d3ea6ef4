/* SPDX-License-Identifier: MIT */
/* Memory types of translations (PAT index from PWT/PCD/PAT, Table 7-11 with
 * the MTRRs, CR0.CD, paging off) and the TLB invalidation rules of
 * mmu_cr_written() (APM 5.5.2, 7.8; docs/memtype.md). */
#include "walk_helpers.h"

#define PML4 0x10000ull
#define PDPT 0x11000ull
#define PD 0x12000ull
#define PT 0x13000ull
#define CR0_STD 0x80010011ull
#define EFER_LM 0xd00ull
/* PAT fields PA0..PA7 = WB WT UC- UC WC WP UC- UC */
#define TEST_PAT 0x0007050100070406ull

static void build(void)
{
	clear_tables(PML4, 0x4000);
	w64(PML4, PDPT | P | RW | US);
	w64(PDPT, PD | P | RW | US);
	w64(PD, PT | P | RW | US);
	w64(PD + 8, 0x400000 | P | RW | US | PS); /* 2M page at gla 0x200000 */
	for (unsigned i = 0; i < 512; i++)
		w64(PT + 8 * i, ((uint64_t)i << 12) | P | RW | US);
}

static uint8_t mt(uint64_t gla)
{
	struct xlate x;
	uint32_t err;
	return tr(gla, ACC_R, &x, &err) ? x.memtype : 0xee;
}

static void t_pat_index(void)
{
	/* with MTRR WB: PAT type x WB per Table 7-11 */
	static const uint8_t eff[8] = { PAC_MT_WB, PAC_MT_WT, PAC_MT_CD, PAC_MT_CD,
					PAC_MT_WC, PAC_MT_WP, PAC_MT_CD, PAC_MT_CD };
	static const uint8_t raw[8] = { PAC_MT_WB, PAC_MT_WT, PAC_MT_UCM, PAC_MT_UC,
					PAC_MT_WC, PAC_MT_WP, PAC_MT_UCM, PAC_MT_UC };
	struct xlate x;
	uint32_t err;
	build();
	c->msr.hpat = TEST_PAT;
	set_paging(CR0_STD, PML4, 0x20, EFER_LM, 0, 2);
	for (unsigned i = 0; i < 8; i++) {
		uint64_t bits = ((i & 1) ? PWT : 0) | ((i & 2) ? PCD : 0) | ((i & 4) ? 0x80 : 0);
		w64(PT + 8 * 0x10, 0x10000 | P | RW | bits);
		CHECK(tr(0x10000, ACC_R, &x, &err), "4K translate");
		CHECK_EQ(x.guest_type, raw[i], "4K PAT entry");
		CHECK_EQ(x.mtrr_type, PAC_MT_WB, "MTRR WB");
		CHECK_EQ(x.memtype, eff[i], "4K effective type");
		bits = ((i & 1) ? PWT : 0) | ((i & 2) ? PCD : 0) | ((i & 4) ? PATL : 0);
		w64(PD + 8, 0x400000 | P | RW | US | PS | bits);
		CHECK_EQ(mt(0x200000), eff[i], "2M page: PAT bit 12");
	}
	/* upper-level PWT/PCD do not change the leaf type */
	w64(PT + 8 * 0x10, 0x10000 | P | RW);
	w64(PD, PT | P | RW | US | PWT | PCD);
	CHECK_EQ(mt(0x10000), PAC_MT_WB, "non-leaf PWT/PCD ignored for the page");
	c->msr.hpat = 0x0007040600070406ull;
}

static void t_mtrr_cd(void)
{
	build();
	set_paging(CR0_STD, PML4, 0x20, EFER_LM, 0, 2);
	/* variable MTRR 0: 0x0-0x1fffff WC */
	c->msr.mtrr_var_base[0] = 0x0 | PAC_MT_WC;
	c->msr.mtrr_var_mask[0] = (((1ull << 48) - 1) & ~0x1fffffull) | 0x800;
	CHECK_EQ(mt(0x5000), PAC_MT_WC, "PAT WB x MTRR WC");
	w64(PT + 8 * 5, 0x5000 | P | RW | PWT); /* PA1 = WT */
	CHECK_EQ(mt(0x5000), PAC_MT_CD, "PAT WT x MTRR WC -> CD");
	CHECK_EQ(mt(0x200000), PAC_MT_WB, "2M page outside the range");
	c->msr.mtrr_var_mask[0] = 0;
	set_paging(CR0_STD | (1ull << 30), PML4, 0x20, EFER_LM, 0, 2);
	CHECK_EQ(mt(0x6000), PAC_MT_CD, "CR0.CD -> CD (MT-12)");
	/* paging off: MTRR type only, no PAT (MT-05) */
	struct xlate x;
	uint32_t err;
	c->msr.hpat = 0; /* PA0 = UC would matter if PAT were used */
	set_paging(0x11, 0, 0, 0, 0, 2);
	CHECK(tr(0x7000, ACC_R, &x, &err), "paging off");
	CHECK_EQ(x.memtype, PAC_MT_WB, "paging off: MTRR WB, PAT ignored");
	c->msr.mtrr_def_type = 0x800 | PAC_MT_WT;
	CHECK(tr(0x7000, ACC_R, &x, &err), "paging off 2");
	CHECK_EQ(x.memtype, PAC_MT_WT, "paging off: MTRR WT");
	c->msr.mtrr_def_type = 0x006;
	CHECK(tr(0x7000, ACC_R, &x, &err), "paging off 3");
	CHECK_EQ(x.memtype, PAC_MT_UC, "MTRRs disabled: UC");
	c->msr.mtrr_def_type = 0x806;
	c->msr.hpat = 0x0007040600070406ull;
	CHECK_EQ(mmu_phys_memtype(c, 0x1000, 3), PAC_MT_CD, "table read through PA3 (UC) x WB");
	CHECK_EQ(mmu_phys_memtype(c, 0x1000, 0), PAC_MT_WB, "table read through PA0");
	CHECK_EQ(mmu_phys_memtype(c, 0x1000, 8), PAC_MT_WB, "no PAT");
}

/* fill TLB slots for a global and a non-global page of the current PCID */
static void fill(void)
{
	struct xlate x;
	memset(&x, 0, sizeof x);
	x.spa = x.gpa = 0x5000;
	x.perm = 0x77;
	x.page_shift = 12;
	x.global = 0;
	tlb_fill(c, 0x1000, &x);
	x.global = 1;
	tlb_fill(c, 0x2000, &x);
}

static void expect(bool ng, bool g, const char *what)
{
	CHECK((tlb_lookup(c, 0x1000) != NULL) == ng, "%s: non-global %s", what, ng ? "kept" : "flushed");
	CHECK((tlb_lookup(c, 0x2000) != NULL) == g, "%s: global %s", what, g ? "kept" : "flushed");
}

static void cr_change(int crn, uint64_t *reg, uint64_t newv)
{
	uint64_t old = *reg;
	*reg = newv;
	mmu_cr_written(c, crn, old, newv);
}

static void t_invalidate(void)
{
	build();
	set_paging(CR0_STD, PML4, 0x20 | 0x80, EFER_LM, 0, 2);
	fill();
	expect(true, true, "filled");
	cr_change(3, &c->cr3, PML4);
	expect(false, true, "MOV CR3");
	fill();
	cr_change(0, &c->cr0, c->cr0 | 8); /* TS */
	expect(true, true, "CR0.TS");
	cr_change(0, &c->cr0, c->cr0 & ~0x10000ull);
	expect(false, false, "CR0.WP");
	fill();
	cr_change(0, &c->cr0, c->cr0 | (1ull << 30));
	expect(false, false, "CR0.CD");
	cr_change(0, &c->cr0, c->cr0 & ~(1ull << 30));
	fill();
	cr_change(4, &c->cr4, c->cr4 | 0x200); /* OSFXSR */
	expect(true, true, "CR4.OSFXSR");
	static const uint64_t cr4bits[] = { 0x80, 0x10, 1ull << 20, 1ull << 21 };
	for (unsigned i = 0; i < 4; i++) {
		fill();
		cr_change(4, &c->cr4, c->cr4 ^ cr4bits[i]);
		expect(false, false, "CR4 paging bit");
		cr_change(4, &c->cr4, c->cr4 ^ cr4bits[i]);
	}
	fill();
	cr_change(0x80, &c->efer, c->efer | 1); /* SCE */
	expect(true, true, "EFER.SCE");
	cr_change(0x80, &c->efer, c->efer & ~EFER_NXE);
	expect(false, false, "EFER.NXE");
	CHECK_EQ(c->paging, PAGING_4L, "mode kept");
	cr_change(0x80, &c->efer, c->efer | EFER_NXE);
	fill();
	cr_change(8, (uint64_t[]){ 0 }, 5);
	expect(true, true, "CR8");
	/* mode_update runs: clearing PG leaves paging */
	cr_change(0, &c->cr0, c->cr0 & ~CR0_PG);
	CHECK_EQ(c->paging, PAGING_NONE, "CR0.PG=0 updates the paging mode");
}

static void t_pcid(void)
{
	build();
	set_paging(CR0_STD, PML4 | 5, 0x20 | 0x80 | CR4_PCIDE, EFER_LM, 0, 2);
	fill();
	CHECK_EQ(c->tlb[1].pcid, 5, "entry tagged with PCID 5");
	cr_change(3, &c->cr3, PML4 | 5);
	expect(false, true, "MOV CR3 same PCID");
	fill();
	uint64_t old = c->cr3;
	c->cr3 = PML4 | 5;
	mmu_cr_written(c, 3, old, (1ull << 63) | PML4 | 5);
	expect(true, true, "MOV CR3 bit 63: no flush");
	c->cr3 = PML4 | 7;
	mmu_cr_written(c, 3, PML4 | 5, (1ull << 63) | PML4 | 7);
	expect(false, true, "PCID switch drops the old PCID's entries");
	fill();
	tlb_flush_pcid(c, 7, true);
	expect(false, true, "INVPCID single context keeps globals");
	fill();
	tlb_flush_pcid(c, 7, false);
	expect(false, false, "flush PCID incl. globals");
	fill();
	tlb_flush_pcid(c, 3, true);
	expect(true, true, "other PCID untouched");
	cr_change(4, &c->cr4, c->cr4 & ~CR4_PCIDE);
	expect(false, false, "CR4.PCIDE");
}

static void t_pae_reload(void)
{
	clear_tables(0x20000, 0x3000);
	w64(0x20000, 0x21000 | P);
	set_paging(CR0_STD, 0x20000, 0x20, 0, 0, 2);
	CHECK_EQ(c->pdpte[0], 0x21000 | P, "PDPTE loaded by set_regs");
	w64(0x20000, 0x22000 | P);
	cr_change(3, &c->cr3, 0x20000);
	CHECK_EQ(c->pdpte[0], 0x22000 | P, "MOV CR3 reloads PDPTEs");
	w64(0x20000, 0x23000 | P);
	cr_change(4, &c->cr4, c->cr4 | 0x80);
	CHECK_EQ(c->pdpte[0], 0x23000 | P, "CR4.PGE change reloads PDPTEs");
	w64(0x20000, 0x24000 | P);
	cr_change(0, &c->cr0, c->cr0 | 8);
	CHECK_EQ(c->pdpte[0], 0x23000 | P, "CR0.TS: no reload");
	uint64_t tmp[4];
	w64(0x20008, 0x25000 | P | RW);
	CHECK(!mmu_read_pdptes(c, 0x20000, tmp), "read_pdptes reports reserved bits");
	CHECK(mmu_read_pdptes(c, 0x21000, tmp), "zero PDPT is valid");
}

int main(void)
{
	new_machine(NULL);
	t_pat_index();
	t_mtrr_cd();
	t_invalidate();
	t_pcid();
	t_pae_reload();
	pac_destroy(m);
	return test_done("test_walk_tlb");
}
