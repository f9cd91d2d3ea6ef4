/* SPDX-License-Identifier: MIT */
/* Long-mode (4- and 5-level) page walks through mmu_translate(): addresses,
 * page sizes, A/D updates, reserved bits, permissions (U/S, R/W+WP, NX,
 * SMEP, SMAP) and #PF error codes (APM 5.3-5.6, 8.4.2). */
#include "walk_helpers.h"

#define PML4 0x10000ull
#define PDPT 0x11000ull
#define PD 0x12000ull
#define PT 0x13000ull
#define PAGE 0x200000ull
/* PML4 index 1, PDPT index 2, PD index 3, PT index 4, offset 0x567 */
#define GLA ((1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | 0x567)
#define E4 (PML4 + 8)
#define E3 (PDPT + 16)
#define E2 (PD + 24)
#define E1 (PT + 32)

#define CR0_STD 0x80010011ull /* PG WP ET PE */
#define EFER_LM 0xd00ull      /* NXE LMA LME */

static void long_mode(uint64_t cr4_extra, uint64_t efer, unsigned cpl, uint64_t rflags)
{
	set_paging(CR0_STD, PML4, 0x20 | cr4_extra, efer, cpl, rflags);
}

static void build4(uint64_t upper, uint64_t leaf)
{
	clear_tables(PML4, 0x4000);
	w64(E4, PDPT | upper);
	w64(E3, PD | upper);
	w64(E2, PT | upper);
	w64(E1, PAGE | leaf);
}

static void t_basic(void)
{
	struct xlate x;
	uint32_t err;
	build4(P | RW | US, P | RW | US);
	long_mode(0, EFER_LM, 0, 2);
	CHECK(tr(GLA, ACC_R, &x, &err), "4K read translates (err %#x)", err);
	CHECK_EQ(x.gpa, PAGE + 0x567, "gpa");
	CHECK_EQ(x.spa, PAGE + 0x567, "spa");
	CHECK(x.hva == (uint8_t *)pac_phys_ptr(m, PAGE + 0x567, 1), "hva");
	CHECK_EQ(x.page_shift, 12, "page_shift");
	CHECK_EQ(x.walk_refs, 4, "walk_refs");
	CHECK_EQ(x.global, 0, "not global");
	CHECK_EQ(x.perm, 0x55, "perm before D: R/X for both, no W");
	CHECK_EQ(x.memtype, PAC_MT_WB, "memtype WB");
	CHECK_EQ(r64(E4) & (A | D), A, "PML4E A");
	CHECK_EQ(r64(E3) & (A | D), A, "PDPE A");
	CHECK_EQ(r64(E2) & (A | D), A, "PDE A");
	CHECK_EQ(r64(E1) & (A | D), A, "PTE A, no D on read");
	CHECK(tr(GLA, ACC_W, &x, &err), "write translates");
	CHECK_EQ(r64(E1), PAGE | P | RW | US | A | D, "PTE D after write");
	CHECK_EQ(r64(E2), PT | P | RW | US | A, "PDE no D after write");
	CHECK_EQ(x.perm, 0x77, "perm after D");
	CHECK(tr(GLA, ACC_USER | ACC_X, &x, &err), "user fetch translates");
	CHECK_EQ(tr(GLA + 0x1000, ACC_R, &x, &err), 0, "next page not present");
	CHECK_EQ(err, 0, "err not present read");
}

static void t_not_present(void)
{
	static const uint64_t ents[] = { E4, E3, E2, E1 };
	for (unsigned k = 0; k < 4; k++) {
		build4(P | RW | US, P | RW | US);
		w64(ents[k], r64(ents[k]) & ~P);
		long_mode(0, EFER_LM, 0, 2);
		CHECK_EQ(pf(GLA, ACC_R), 0, "np sup read");
		CHECK_EQ(pf(GLA, ACC_W | ACC_USER), PFEC_W | PFEC_U, "np user write");
		CHECK_EQ(pf(GLA, ACC_X), PFEC_I, "np fetch with NXE");
		CHECK_EQ(pf(GLA, ACC_X | ACC_USER), PFEC_I | PFEC_U, "np user fetch");
		for (unsigned j = 0; j < 4; j++)
			CHECK((r64(ents[j]) & (A | D)) == 0, "no A/D after a faulting walk (level %u/%u)", k, j);
		long_mode(0, 0x500, 0, 2); /* NXE off, no SMEP: no I bit */
		CHECK_EQ(pf(GLA, ACC_X), 0, "np fetch without NXE");
	}
}

static void t_reserved(void)
{
	const uint32_t RSV = PFEC_P | PFEC_RSV;
	build4(P | RW | US, P | RW | US | (1ull << 48));
	long_mode(0, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), RSV, "PTE bit 48 (MAXPHYADDR 48)");
	CHECK_EQ(pf(GLA, ACC_W | ACC_USER), RSV | PFEC_W | PFEC_U, "PTE bit 48 user write");
	CHECK_EQ(pf(GLA, ACC_X), RSV | PFEC_I, "PTE bit 48 fetch");
	CHECK_EQ(r64(E4) & A, 0, "no A on reserved-bit fault");
	build4(P | RW | US, P | RW | US | (1ull << 51));
	CHECK_EQ(pf(GLA, ACC_R), RSV, "PTE bit 51");
	build4(P | RW | US, P | RW | US | (0x7ffull << 52));
	CHECK_EQ(pf(GLA, ACC_R), 0xffffffffu, "PTE bits 62:52 available in long mode");
	build4(P | RW | US, P | RW | US);
	w64(E4, r64(E4) | PS);
	CHECK_EQ(pf(GLA, ACC_R), RSV, "PML4E PS");
	w64(E4, (r64(E4) & ~PS) | G);
	CHECK_EQ(pf(GLA, ACC_R), RSV, "PML4E bit 8");
	build4(P | RW | US, P | RW | US);
	w64(E2, r64(E2) | (1ull << 48));
	CHECK_EQ(pf(GLA, ACC_R), RSV, "PDE address bit 48");
	/* NX without EFER.NXE is reserved */
	build4(P | RW | US, P | RW | US);
	w64(E3, r64(E3) | NX);
	long_mode(0, 0x500, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), RSV, "NX reserved when NXE=0");
	CHECK_EQ(pf(GLA, ACC_X), RSV, "NX reserved fetch: no I without NXE/SMEP");
	long_mode(1ull << 20, 0x500, 0, 2);
	CHECK_EQ(pf(GLA, ACC_X), RSV | PFEC_I, "I with SMEP even without NXE");
	long_mode(0, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), 0xffffffffu, "NX legal with NXE");
	/* large-page MBZ fields */
	build4(P | RW | US, 0);
	w64(E2, 0x400000 | P | RW | PS | (1ull << 13));
	CHECK_EQ(pf(GLA, ACC_R), RSV, "2M PDE bit 13");
	w64(E2, 0x400000 | P | RW | PS | (1ull << 20));
	CHECK_EQ(pf(GLA, ACC_R), RSV, "2M PDE bit 20");
	w64(E2, 0x400000 | P | RW | PS | PATL);
	CHECK_EQ(pf(GLA, ACC_R), 0xffffffffu, "2M PDE bit 12 is PAT");
	w64(E3, 0x40000000 | P | RW | PS | (1ull << 29));
	CHECK_EQ(pf(GLA, ACC_R), RSV, "1G PDPE bit 29");
	w64(E3, 0x40000000 | P | RW | PS | (1ull << 13));
	CHECK_EQ(pf(GLA, ACC_R), RSV, "1G PDPE bit 13");
}

static void t_no_1g(void)
{
	pac_machine *keep = m;
	new_machine("qemu64"); /* no PDPE1GB, MAXPHYADDR 40 */
	build4(P | RW | US, P | RW | US);
	w64(E3, 0x40000000 | P | RW | PS);
	long_mode(0, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), PFEC_P | PFEC_RSV, "PDPE PS without PDPE1GB");
	build4(P | RW | US, P | RW | US | (1ull << 40));
	CHECK_EQ(pf(GLA, ACC_R), PFEC_P | PFEC_RSV, "PTE bit 40 (MAXPHYADDR 40)");
	build4(P | RW | US, P | RW | US | (1ull << 39));
	CHECK_EQ(pf(GLA, ACC_R), 0xffffffffu, "PTE bit 39 legal");
	pac_destroy(m);
	m = keep;
	c = m->cpus[0];
}

static void t_large(void)
{
	struct xlate x;
	uint32_t err;
	build4(P | RW | US, 0);
	w64(E2, 0x400000 | P | RW | US | PS | G);
	long_mode(0x80, EFER_LM, 0, 2);
	CHECK(tr(GLA, ACC_W, &x, &err), "2M write");
	CHECK_EQ(x.spa, 0x400000 + (GLA & 0x1fffff), "2M spa");
	CHECK_EQ(x.page_shift, 21, "2M shift");
	CHECK_EQ(x.walk_refs, 3, "2M refs");
	CHECK_EQ(x.global, 1, "2M global with PGE");
	CHECK_EQ(r64(E2), 0x400000 | P | RW | US | PS | G | A | D, "2M A+D");
	CHECK_EQ(r64(E3) & (A | D), A, "PDPE A only");
	w64(E3, 0x40000000 | P | RW | US | PS);
	CHECK(tr(GLA, ACC_R, &x, &err), "1G read");
	CHECK_EQ(x.spa, 0x40000000 + (GLA & 0x3fffffff), "1G spa");
	CHECK_EQ(x.page_shift, 30, "1G shift");
	CHECK_EQ(x.walk_refs, 2, "1G refs");
	CHECK(x.hva == NULL, "1G page outside RAM: no hva");
	CHECK_EQ(x.global, 0, "no G");
}

static void t_user_super(void)
{
	const uint32_t E = 0xffffffffu; /* success */
	build4(P | RW | US, P); /* supervisor read-only leaf */
	long_mode(0, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_USER | ACC_R), PFEC_P | PFEC_U, "user read of supervisor page");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_W), PFEC_P | PFEC_W | PFEC_U, "user write sup page");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_X), PFEC_P | PFEC_U | PFEC_I, "user fetch sup page");
	CHECK_EQ(pf(GLA, ACC_R), E, "sup read");
	CHECK_EQ(pf(GLA, ACC_W), PFEC_P | PFEC_W, "sup write RO with WP");
	CHECK_EQ(pf(GLA, ACC_W | ACC_IMPLICIT), PFEC_P | PFEC_W, "implicit write RO with WP");
	CHECK_EQ(pf(GLA, ACC_R | ACC_IMPLICIT | ACC_USER), E, "implicit read at CPL3 is supervisor");
	set_paging(CR0_STD & ~0x10000ull, PML4, 0x20, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_W), E, "sup write RO with WP=0");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_W), PFEC_P | PFEC_W | PFEC_U, "user write WP=0");
	build4(P | RW | US, P | US); /* user read-only */
	long_mode(0, EFER_LM, 3, 2);
	CHECK_EQ(pf(GLA, ACC_USER | ACC_R), E, "user read user page");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_W), PFEC_P | PFEC_W | PFEC_U, "user write RO user");
	/* restrictions anywhere on the path count (APM 5.6.1) */
	build4(P | RW | US, P | RW | US);
	w64(E3, r64(E3) & ~US);
	CHECK_EQ(pf(GLA, ACC_USER | ACC_R), PFEC_P | PFEC_U, "U/S=0 in PDPE");
	build4(P | RW | US, P | RW | US);
	w64(E4, r64(E4) & ~RW);
	CHECK_EQ(pf(GLA, ACC_USER | ACC_W), PFEC_P | PFEC_W | PFEC_U, "R/W=0 in PML4E");
	CHECK_EQ(pf(GLA, ACC_W), PFEC_P | PFEC_W, "sup write R/W=0 in PML4E with WP");
	CHECK_EQ(r64(E1) & A, 0, "no A after protection fault");
}

static void t_nx_smep(void)
{
	const uint32_t E = 0xffffffffu;
	build4(P | RW | US, P | RW | US | NX);
	long_mode(0, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_USER | ACC_X), PFEC_P | PFEC_U | PFEC_I, "user fetch NX");
	CHECK_EQ(pf(GLA, ACC_X), PFEC_P | PFEC_I, "sup fetch NX");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_R), E, "read NX page");
	build4(P | RW | US, P | RW | US);
	w64(E2, r64(E2) | NX);
	CHECK_EQ(pf(GLA, ACC_X), PFEC_P | PFEC_I, "NX in PDE");
	/* SMEP: supervisor fetch from a user page */
	build4(P | RW | US, P | RW | US);
	long_mode(1ull << 20, 0x500, 0, 2);
	CHECK_EQ(pf(GLA, ACC_X), PFEC_P | PFEC_I, "SMEP sup fetch user page");
	CHECK_EQ(pf(GLA, ACC_R), E, "SMEP: sup read fine");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_X), E, "SMEP: user fetch fine");
	build4(P | RW | US, P | RW);
	CHECK_EQ(pf(GLA, ACC_X), E, "SMEP: sup fetch sup page");
	build4(P | RW, P | RW | US); /* user leaf under supervisor path: a supervisor page */
	CHECK_EQ(pf(GLA, ACC_X), E, "SMEP: page supervisor through upper level");
}

static void t_smap(void)
{
	const uint32_t E = 0xffffffffu;
	struct xlate x;
	uint32_t err;
	build4(P | RW | US, P | RW | US | D);
	long_mode(1ull << 21, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), PFEC_P, "SMAP sup read user page");
	CHECK_EQ(pf(GLA, ACC_W), PFEC_P | PFEC_W, "SMAP sup write user page");
	CHECK_EQ(pf(GLA, ACC_X), E, "SMAP does not cover fetches");
	CHECK_EQ(pf(GLA, ACC_USER | ACC_W), E, "SMAP: user access fine");
	CHECK_EQ(pf(GLA, ACC_R | ACC_IMPLICIT), PFEC_P, "SMAP implicit read");
	long_mode(1ull << 21, EFER_LM, 0, 2 | 0x40000);
	CHECK_EQ(pf(GLA, ACC_R), E, "SMAP with AC=1: explicit read allowed");
	CHECK_EQ(pf(GLA, ACC_W), E, "SMAP with AC=1: explicit write allowed");
	CHECK_EQ(pf(GLA, ACC_R | ACC_IMPLICIT), PFEC_P, "SMAP implicit ignores AC");
	CHECK_EQ(pf(GLA, ACC_W | ACC_IMPLICIT), PFEC_P | PFEC_W, "SMAP implicit write");
	CHECK(tr(GLA, ACC_R, &x, &err), "AC=1 read");
	CHECK_EQ(x.perm, 0x74, "SMAP: supervisor data bits clear in TLB perm");
	build4(P | RW | US, P | RW | D);
	CHECK(tr(GLA, ACC_R, &x, &err), "sup page");
	CHECK_EQ(x.perm, 0x07, "sup page: supervisor bits only");
	long_mode((1ull << 21) | (1ull << 20), EFER_LM, 0, 2);
	build4(P | RW | US, P | RW | US | D);
	CHECK(tr(GLA, ACC_USER | ACC_R, &x, &err), "user read with SMEP+SMAP");
	CHECK_EQ(x.perm, 0x70, "SMEP+SMAP: no supervisor bits");
}

static void t_global_nofault(void)
{
	struct xlate x;
	uint32_t err;
	build4(P | RW | US, P | RW | US | G);
	long_mode(0x80, EFER_LM, 0, 2);
	CHECK(tr(GLA, ACC_R, &x, &err) && x.global == 1, "G with PGE");
	long_mode(0, EFER_LM, 0, 2);
	CHECK(tr(GLA, ACC_R, &x, &err) && x.global == 0, "G without PGE");
	build4(P | RW | US, P | RW | US);
	CHECK(tr(GLA, ACC_W | ACC_NOFAULT, &x, &err), "probe translates");
	CHECK_EQ(r64(E1) & (A | D), 0, "probe sets no A/D");
	CHECK_EQ(r64(E4) & A, 0, "probe sets no A upstairs");
	CHECK_EQ(x.perm & 0x22, 0, "probe: no write permission cached");
	build4(P | RW | US, P | RW | US | D);
	CHECK(tr(GLA, ACC_R, &x, &err), "read of dirty page");
	CHECK_EQ(x.perm, 0x77, "dirty page: write bits at once");
}

/* Hostile trees: a table outside RAM (reads all ones), self-references. */
static void t_hostile(void)
{
	struct xlate x;
	uint32_t err;
	build4(P | RW | US, P | RW | US);
	w64(E3, 0x80000000000ull | P | RW | US); /* PD beyond RAM */
	long_mode(0, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), PFEC_P | PFEC_RSV, "table outside RAM reads all ones");
	clear_tables(PML4, 0x4000);
	w64(PML4 + 8, PML4 | P | RW | US); /* PML4[1] -> PML4 */
	uint64_t gla = (1ull << 39) | (1ull << 30) | (1ull << 21) | (1ull << 12) | 0x10;
	CHECK(tr(gla, ACC_W, &x, &err), "self-map translates");
	CHECK_EQ(x.spa, PML4 + 0x10, "self-map lands on the PML4");
	CHECK_EQ(x.walk_refs, 4, "self-map refs");
	CHECK_EQ(r64(PML4 + 8), PML4 | P | RW | US | A | D, "self-map entry gets A and D");
	set_paging(CR0_STD, ~0ull & ~0xfffull, 0x20, EFER_LM, 0, 2);
	CHECK_EQ(pf(GLA, ACC_R), PFEC_P | PFEC_RSV, "CR3 beyond RAM");
}

static void t_5level(void)
{
	pac_machine *keep = m;
	struct xlate x;
	uint32_t err;
	new_machine("zen4-la57"); /* MAXPHYADDR 52 */
	const uint64_t PML5 = 0x14000;
	build4(P | RW | US, P | RW | US);
	clear_tables(PML5, 0x1000);
	w64(PML5 + 8 * 0x1f, PML4 | P | RW | US);
	uint64_t gla = (0x1full << 48) | GLA;
	set_paging(CR0_STD, PML5, 0x20 | (1ull << 12), EFER_LM, 0, 2);
	CHECK_EQ(c->paging, PAGING_5L, "5-level mode");
	CHECK(tr(gla, ACC_R, &x, &err), "5-level read (err %#x)", err);
	CHECK_EQ(x.spa, PAGE + 0x567, "5-level spa");
	CHECK_EQ(x.walk_refs, 5, "5-level refs");
	CHECK_EQ(r64(PML5 + 8 * 0x1f) & A, A, "PML5E A");
	CHECK_EQ(pf(GLA, ACC_R), 0, "PML5 index 0 not present");
	w64(PML5 + 8 * 0x1f, PML4 | P | RW | US | PS);
	CHECK_EQ(pf(gla, ACC_R), PFEC_P | PFEC_RSV, "PML5E PS reserved");
	w64(PML5 + 8 * 0x1f, PML4 | P | RW | US);
	w64(E1, PAGE | P | RW | US | (1ull << 51));
	CHECK(tr(gla, ACC_R, &x, &err), "bit 51 legal with MAXPHYADDR 52");
	CHECK_EQ(x.spa, (1ull << 51) | PAGE | 0x567, "bit 51 in spa");
	pac_destroy(m);
	m = keep;
	c = m->cpus[0];
}

int main(void)
{
	new_machine(NULL);
	t_basic();
	t_not_present();
	t_reserved();
	t_no_1g();
	t_large();
	t_user_super();
	t_nx_smep();
	t_smap();
	t_global_nofault();
	t_hostile();
	t_5level();
	pac_destroy(m);
	return test_done("test_walk");
}
