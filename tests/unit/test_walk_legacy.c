/* SPDX-License-Identifier: MIT */
/* Legacy-mode walks: 32-bit paging (4 KiB, PSE 4 MiB, PSE-36, bit 21) and
 * PAE paging (in-processor PDPTEs, their reserved bits, 2 MiB pages, NX,
 * bits 62:MAXPHYADDR reserved). APM 5.3.2, 5.3.3. */
#include "walk_helpers.h"

#define CR0_PAGING 0x80010011ull /* PG WP ET PE */
#define PD32 0x30000ull
#define PT32 0x31000ull
#define GLA32 ((5u << 22) | (6u << 12) | 0x9abu)

static void legacy32(uint64_t cr4, uint64_t efer, unsigned cpl)
{
	set_paging(CR0_PAGING, PD32, cr4, efer, cpl, 2);
}

static void t_32bit_4k(void)
{
	struct xlate x;
	uint32_t err;
	clear_tables(PD32, 0x2000);
	w32(PD32 + 5 * 4, PT32 | P | RW | US);
	w32(PT32 + 6 * 4, 0x1ff000 | P | RW | US | G);
	legacy32(0x80, 0, 0);
	CHECK_EQ(c->paging, PAGING_32, "32-bit paging mode");
	CHECK(tr(GLA32, ACC_USER | ACC_W, &x, &err), "4K user write (err %#x)", err);
	CHECK_EQ(x.spa, 0x1ff9ab, "spa");
	CHECK_EQ(x.page_shift, 12, "shift");
	CHECK_EQ(x.walk_refs, 2, "refs");
	CHECK_EQ(x.global, 1, "global");
	CHECK_EQ(r64(PD32 + 5 * 4) & 0xffffffff, PT32 | P | RW | US | A, "PDE A, 4-byte entry");
	CHECK_EQ(r64(PT32 + 6 * 4) & 0xffffffff, 0x1ff000 | P | RW | US | G | A | D, "PTE A D");
	/* bits 31:12 only: no reserved bits in 4K 32-bit entries */
	w32(PT32 + 6 * 4, 0xfffff000u | P | RW | US);
	CHECK(tr(GLA32, ACC_R, &x, &err), "high frame");
	CHECK_EQ(x.spa, 0xfffff9ab, "spa 0xfffff9ab");
	/* PS ignored without CR4.PSE: the PDE still points to a table */
	w32(PD32 + 5 * 4, PT32 | P | RW | US | PS);
	w32(PT32 + 6 * 4, 0x1ff000 | P | RW | US);
	legacy32(0, 0, 0);
	CHECK(tr(GLA32, ACC_R, &x, &err) && x.spa == 0x1ff9ab, "PS ignored with PSE=0");
	CHECK_EQ(pf(GLA32 + 0x1000, ACC_R), 0, "next PTE not present");
	w32(PT32 + 6 * 4, 0x1ff000 | P);
	CHECK_EQ(pf(GLA32, ACC_USER | ACC_R), PFEC_P | PFEC_U, "user read sup page");
	CHECK_EQ(pf(GLA32, ACC_W), PFEC_P | PFEC_W, "sup write RO (WP)");
	/* no NX in 32-bit paging: no I bit even with EFER.NXE */
	legacy32(0, 0x800, 0);
	CHECK_EQ(pf(GLA32, ACC_USER | ACC_X), PFEC_P | PFEC_U, "32-bit: no I without SMEP");
	legacy32(1u << 20, 0, 0);
	CHECK_EQ(pf(GLA32, ACC_USER | ACC_X), PFEC_P | PFEC_U | PFEC_I, "32-bit: I with SMEP");
	w32(PT32 + 6 * 4, 0x1ff000 | P | US);
	CHECK_EQ(pf(GLA32, ACC_X), PFEC_P | PFEC_I, "32-bit SMEP");
}

static void t_32bit_pse(void)
{
	struct xlate x;
	uint32_t err;
	clear_tables(PD32, 0x2000);
	w32(PD32 + 5 * 4, 0x00c00000u | P | RW | PS);
	legacy32(0x10, 0, 0);
	CHECK(tr(GLA32, ACC_W, &x, &err), "4M write");
	CHECK_EQ(x.spa, 0xc00000 + (GLA32 & 0x3fffff), "4M spa");
	CHECK_EQ(x.page_shift, 22, "4M shift");
	CHECK_EQ(x.walk_refs, 1, "4M refs");
	CHECK_EQ(r64(PD32 + 5 * 4) & 0xffffffff, 0x00c00000u | P | RW | PS | A | D, "4M A D");
	w32(PD32 + 5 * 4, 0x00c00000u | (0x12u << 13) | P | RW | PS);
	CHECK(tr(GLA32, ACC_R, &x, &err), "PSE-36");
	CHECK_EQ(x.spa, 0x1200c00000ull + (GLA32 & 0x3fffff), "PSE-36 PA[39:32]");
	w32(PD32 + 5 * 4, 0x00c00000u | (1u << 21) | P | RW | PS);
	CHECK_EQ(pf(GLA32, ACC_R), PFEC_P | PFEC_RSV, "4M PDE bit 21 reserved");
	CHECK_EQ(pf(GLA32, ACC_USER | ACC_W), PFEC_P | PFEC_RSV | PFEC_W | PFEC_U, "bit 21 user write");
	CHECK_EQ(r64(PD32 + 5 * 4) & A, 0, "no A on reserved fault");
}

#define PDPT_PAE 0x20020ull
#define PD_PAE 0x21000ull
#define PT_PAE 0x22000ull
#define GLA_PAE ((2u << 30) | (3u << 21) | (4u << 12) | 0x123u)

static void build_pae(uint64_t leaf)
{
	clear_tables(0x20000, 0x3000);
	w64(PDPT_PAE + 16, PD_PAE | P);
	w64(PD_PAE + 24, PT_PAE | P | RW | US);
	w64(PT_PAE + 32, 0x300000 | leaf);
}

static void pae(uint64_t efer)
{
	set_paging(CR0_PAGING, PDPT_PAE, 0x20, efer, 0, 2);
}

static void t_pae(void)
{
	struct xlate x;
	uint32_t err;
	build_pae(P | RW | US);
	pae(0x800);
	CHECK_EQ(c->paging, PAGING_PAE, "PAE mode");
	CHECK(tr(GLA_PAE, ACC_W, &x, &err), "PAE write (err %#x)", err);
	CHECK_EQ(x.spa, 0x300123, "PAE spa");
	CHECK_EQ(x.walk_refs, 2, "PDPTE from the in-processor copy: 2 refs");
	CHECK_EQ(r64(PDPT_PAE + 16), PD_PAE | P, "PDPTE gets no A bit");
	CHECK_EQ(r64(PT_PAE + 32), 0x300000 | P | RW | US | A | D, "PTE A D");
	CHECK_EQ(pf(GLA_PAE - (1u << 30), ACC_R), 0, "PDPTE 1 not present");
	/* the cached PDPTE wins over memory until reloaded */
	w64(PDPT_PAE + 16, 0);
	CHECK(tr(GLA_PAE, ACC_R, &x, &err), "stale PDPTE still used");
	CHECK(mmu_load_pdptes(c), "reload");
	CHECK_EQ(pf(GLA_PAE, ACC_R), 0, "reloaded PDPTE not present");
	/* PDPTE reserved bits: 2:1, 8:5, 63:MAXPHYADDR */
	static const uint64_t bad[] = { RW, US, A, D, PS, G, 1ull << 48, NX };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		w64(PDPT_PAE + 16, PD_PAE | P | bad[i]);
		uint64_t before = c->pdpte[2];
		CHECK(!mmu_load_pdptes(c), "PDPTE reserved bit %#llx rejected", (unsigned long long)bad[i]);
		CHECK_EQ(c->pdpte[2], before, "rejected load leaves the copy");
		c->pdpte[2] = PD_PAE | P | bad[i];
		CHECK_EQ(pf(GLA_PAE, ACC_R), PFEC_P | PFEC_RSV, "walk with reserved PDPTE");
	}
	w64(PDPT_PAE + 16, (PD_PAE | P | PWT | PCD | (7ull << 9)));
	CHECK(mmu_load_pdptes(c), "PWT PCD AVL allowed in PDPTE");
	w64(PDPT_PAE + 8, RW | US | NX); /* not present: not checked */
	CHECK(mmu_load_pdptes(c), "non-present PDPTE not checked");
	CHECK(tr(GLA_PAE, ACC_R, &x, &err), "walk after reload");
}

static void t_pae_bits(void)
{
	struct xlate x;
	uint32_t err;
	build_pae(P | RW | US | (1ull << 52));
	pae(0x800);
	CHECK_EQ(pf(GLA_PAE, ACC_R), PFEC_P | PFEC_RSV, "PAE: bit 52 reserved");
	build_pae(P | RW | US | (1ull << 62));
	pae(0x800);
	CHECK_EQ(pf(GLA_PAE, ACC_R), PFEC_P | PFEC_RSV, "PAE: bit 62 reserved");
	build_pae(P | RW | US | NX);
	pae(0x800);
	CHECK_EQ(pf(GLA_PAE, ACC_X), PFEC_P | PFEC_I, "PAE NX fetch");
	CHECK_EQ(pf(GLA_PAE, ACC_USER | ACC_X), PFEC_P | PFEC_I | PFEC_U, "PAE NX user fetch");
	pae(0);
	CHECK_EQ(pf(GLA_PAE, ACC_R), PFEC_P | PFEC_RSV, "PAE NX reserved without NXE");
	build_pae(0);
	w64(PD_PAE + 24, 0x600000 | P | RW | PS);
	pae(0x800);
	CHECK(tr(GLA_PAE, ACC_R, &x, &err), "PAE 2M");
	CHECK_EQ(x.spa, 0x600000 + (GLA_PAE & 0x1fffff), "PAE 2M spa");
	CHECK_EQ(x.page_shift, 21, "PAE 2M shift");
	w64(PD_PAE + 24, 0x600000 | P | RW | PS | (1ull << 16));
	CHECK_EQ(pf(GLA_PAE, ACC_R), PFEC_P | PFEC_RSV, "PAE 2M bit 16 reserved");
}

int main(void)
{
	new_machine(NULL);
	t_32bit_4k();
	t_32bit_pse();
	t_pae();
	t_pae_bits();
	pac_destroy(m);
	return test_done("test_walk_legacy");
}
