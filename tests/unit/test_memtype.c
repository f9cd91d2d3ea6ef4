/* SPDX-License-Identifier: MIT */
/* Memory types: every cell of APM Tables 7-11, 15-19 and 15-20 against a
 * transcription written independently of cpu/memtype/memtype.def (text rows,
 * different layout), the composed nested result (spec 3.5, 180 cases),
 * pat_valid() (MT-02) on edge values, MTRR lookup (MT-06, MT-07, MT-10) and
 * the PAT/MTRR MSR interface (#GP rules). */
#include <stdlib.h>
#include "test.h"
#include "machine_helpers.h"
#include "../../cpu/memtype/memtype.h"
#include "../../cpu/mmu/mmu.h"

static int mt_of(const char *s)
{
	static const struct { const char *n; int v; } names[] = {
		{ "UC-", PAC_MT_UCM }, { "UC", PAC_MT_UC }, { "WC+", PAC_MT_WCP }, { "WC", PAC_MT_WC },
		{ "WT", PAC_MT_WT }, { "WP", PAC_MT_WP }, { "WB", PAC_MT_WB }, { "CD", PAC_MT_CD },
	};
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strncmp(s, names[i].n, strlen(names[i].n)) &&
		    (s[strlen(names[i].n)] == ' ' || s[strlen(names[i].n)] == 0 || s[strlen(names[i].n)] == '|'))
			return names[i].v;
	return -1;
}

/* split a "|"-separated row into type values */
static int row_types(const char *row, int *out, int max)
{
	int n = 0;
	const char *p = row;
	while (*p && n < max) {
		while (*p == ' ' || *p == '|')
			p++;
		if (!*p)
			break;
		out[n++] = mt_of(p);
		while (*p && *p != '|')
			p++;
	}
	return n;
}

/* Table 7-11, rows PAT; columns MTRR UC | WC | WP | WT | WB */
static const char *const tab7_11[] = {
	"UC  | UC | CD | CD | CD | CD",
	"UC- | UC | WC | CD | CD | CD",
	"WC  | WC | WC | WC | WC | WC",
	"WP  | UC | CD | WP | CD | WP",
	"WT  | UC | CD | CD | WT | WT",
	"WB  | UC | WC | WP | WT | WB",
};
/* Table 15-19, rows guest; columns host UC | UC- | WC | WP | WT | WB */
static const char *const tab15_19[] = {
	"UC  | UC | UC  | UC | UC  | UC  | UC",
	"UC- | UC | UC- | WC | UC  | UC  | UC",
	"WC  | WC | WC  | WC | WC+ | WC+ | WC+",
	"WP  | UC | UC  | UC | WP  | UC  | WP",
	"WT  | UC | UC  | UC | UC  | WT  | WT",
	"WB  | UC | UC  | WC | WP  | WT  | WB",
};
/* Table 15-20, rows combined PAT; columns MTRR UC | WC | WP | WT | WB */
static const char *const tab15_20[] = {
	"UC  | UC | CD | CD  | CD  | CD",
	"UC- | UC | WC | CD  | CD  | CD",
	"WC  | WC | WC | WC  | WC  | WC",
	"WC+ | WC | WC | WC+ | WC+ | WC+",
	"WP  | UC | CD | WP  | CD  | WP",
	"WT  | UC | CD | CD  | WT  | WT",
	"WB  | UC | WC | WP  | WT  | WB",
};
/* spec 3.5 composed table: guest | host | combined | MTRR UC WC WP WT WB */
static const char *const composed[] = {
	"UC|UC|UC|UC|CD|CD|CD|CD", "UC|UC-|UC|UC|CD|CD|CD|CD", "UC|WC|UC|UC|CD|CD|CD|CD",
	"UC|WP|UC|UC|CD|CD|CD|CD", "UC|WT|UC|UC|CD|CD|CD|CD", "UC|WB|UC|UC|CD|CD|CD|CD",
	"UC-|UC|UC|UC|CD|CD|CD|CD", "UC-|UC-|UC-|UC|WC|CD|CD|CD", "UC-|WC|WC|WC|WC|WC|WC|WC",
	"UC-|WP|UC|UC|CD|CD|CD|CD", "UC-|WT|UC|UC|CD|CD|CD|CD", "UC-|WB|UC|UC|CD|CD|CD|CD",
	"WC|UC|WC|WC|WC|WC|WC|WC", "WC|UC-|WC|WC|WC|WC|WC|WC", "WC|WC|WC|WC|WC|WC|WC|WC",
	"WC|WP|WC+|WC|WC|WC+|WC+|WC+", "WC|WT|WC+|WC|WC|WC+|WC+|WC+", "WC|WB|WC+|WC|WC|WC+|WC+|WC+",
	"WP|UC|UC|UC|CD|CD|CD|CD", "WP|UC-|UC|UC|CD|CD|CD|CD", "WP|WC|UC|UC|CD|CD|CD|CD",
	"WP|WP|WP|UC|CD|WP|CD|WP", "WP|WT|UC|UC|CD|CD|CD|CD", "WP|WB|WP|UC|CD|WP|CD|WP",
	"WT|UC|UC|UC|CD|CD|CD|CD", "WT|UC-|UC|UC|CD|CD|CD|CD", "WT|WC|UC|UC|CD|CD|CD|CD",
	"WT|WP|UC|UC|CD|CD|CD|CD", "WT|WT|WT|UC|CD|CD|WT|WT", "WT|WB|WT|UC|CD|CD|WT|WT",
	"WB|UC|UC|UC|CD|CD|CD|CD", "WB|UC-|UC|UC|CD|CD|CD|CD", "WB|WC|WC|WC|WC|WC|WC|WC",
	"WB|WP|WP|UC|CD|WP|CD|WP", "WB|WT|WT|UC|CD|CD|WT|WT", "WB|WB|WB|UC|WC|WP|WT|WB",
};
static const int mtrr_cols[] = { PAC_MT_UC, PAC_MT_WC, PAC_MT_WP, PAC_MT_WT, PAC_MT_WB };
static const int host_cols[] = { PAC_MT_UC, PAC_MT_UCM, PAC_MT_WC, PAC_MT_WP, PAC_MT_WT, PAC_MT_WB };

static void t_tables(void)
{
	int v[8];
	unsigned cells = 0;
	for (unsigned r = 0; r < 6; r++) {
		CHECK_EQ(row_types(tab7_11[r], v, 8), 6, "7-11 row parse");
		for (unsigned k = 0; k < 5; k++, cells++)
			CHECK(memtype_combine((uint8_t)v[0], (uint8_t)mtrr_cols[k]) == v[k + 1],
			      "Table 7-11 [%s][col %u]", tab7_11[r], k);
	}
	for (unsigned r = 0; r < 6; r++) {
		CHECK_EQ(row_types(tab15_19[r], v, 8), 7, "15-19 row parse");
		for (unsigned k = 0; k < 6; k++, cells++)
			CHECK(memtype_guest_host((uint8_t)v[0], (uint8_t)host_cols[k]) == v[k + 1],
			      "Table 15-19 [%s][col %u]", tab15_19[r], k);
	}
	for (unsigned r = 0; r < 7; r++) {
		CHECK_EQ(row_types(tab15_20[r], v, 8), 6, "15-20 row parse");
		for (unsigned k = 0; k < 5; k++, cells++)
			CHECK(memtype_nested_mtrr((uint8_t)v[0], (uint8_t)mtrr_cols[k]) == v[k + 1],
			      "Table 15-20 [%s][col %u]", tab15_20[r], k);
	}
	CHECK_EQ(cells, 30 + 36 + 35, "all table cells visited");
	for (unsigned r = 0; r < 36; r++) {
		CHECK_EQ(row_types(composed[r], v, 8), 8, "composed row parse");
		CHECK(memtype_guest_host((uint8_t)v[0], (uint8_t)v[1]) == v[2], "composed PAT %s", composed[r]);
		for (unsigned k = 0; k < 5; k++)
			CHECK(memtype_combine_nested((uint8_t)v[0], (uint8_t)v[1], (uint8_t)mtrr_cols[k]) ==
				      v[k + 3], "composed %s col %u", composed[r], k);
	}
	/* inputs outside the tables: UC, never an out-of-bounds read */
	CHECK_EQ(memtype_combine(2, PAC_MT_WB), PAC_MT_UC, "reserved PAT type 2");
	CHECK_EQ(memtype_combine(PAC_MT_WB, PAC_MT_UCM), PAC_MT_UC, "UC- is no MTRR type");
	CHECK_EQ(memtype_combine(200, 200), PAC_MT_UC, "huge inputs");
	CHECK_EQ(memtype_guest_host(PAC_MT_WCP, PAC_MT_WB), PAC_MT_UC, "WC+ is no guest type");
	/* MT-13: the reset PAT reproduces the PCD/PWT behaviour with MTRR WB */
	uint64_t reset = 0x0007040600070406ull;
	CHECK_EQ(memtype_combine(pat_type(reset, 0), PAC_MT_WB), PAC_MT_WB, "PCD0 PWT0 -> WB");
	CHECK_EQ(memtype_combine(pat_type(reset, 1), PAC_MT_WB), PAC_MT_WT, "PWT -> WT");
	CHECK_EQ(memtype_combine(pat_type(reset, 3), PAC_MT_WB), PAC_MT_CD, "PCD PWT -> CD");
}

/* MT-02 reference predicate, written from the checklist formula */
static bool pat_formula(uint64_t v)
{
	return (v & 0xF8F8F8F8F8F8F8F8ull) == 0 && (v | ((v & 0x0202020202020202ull) << 1)) == v;
}

static void t_pat_valid(void)
{
	CHECK(pat_valid(0), "all UC");
	CHECK(pat_valid(0x0007040600070406ull), "reset value");
	CHECK(pat_valid(0x0706050401000706ull), "every legal type");
	CHECK(pat_valid(0x0707070707070707ull), "all UC-");
	CHECK(!pat_valid(0x02), "type 2 in PA0");
	CHECK(!pat_valid(0x03ull << 56), "type 3 in PA7");
	CHECK(!pat_valid(0x08), "bit 3");
	CHECK(!pat_valid(0x80ull << 56), "bit 63");
	CHECK(!pat_valid(~0ull), "all ones");
	CHECK(!pat_valid(0x0606060606060602ull), "only PA0 bad");
	unsigned bad = 0;
	for (unsigned pos = 0; pos < 8; pos++)
		for (unsigned b = 0; b < 256; b++) {
			uint64_t v = 0x0006000600060006ull & ~(0xffull << (8 * pos));
			v |= (uint64_t)b << (8 * pos);
			bool want = b == 0 || b == 1 || (b >= 4 && b <= 7);
			if (pat_valid(v) != want || pat_formula(v) != want)
				bad++;
		}
	CHECK_EQ(bad, 0, "pat_valid sweep of every byte value in every field");
	CHECK_EQ(pat_type(0x0001040506070000ull, 2), 7, "pat_type index 2");
	CHECK_EQ(pat_type(0x0001040506070000ull, 6), 1, "pat_type index 6");
}

static struct cpu *c;

static bool wr(uint32_t idx, uint64_t v)
{
	bool handled;
	bool ok = memtype_msr_write(c, idx, v, &handled);
	return ok && handled;
}
static uint64_t rd(uint32_t idx)
{
	bool handled;
	uint64_t v = 0xdeadbeef;
	memtype_msr_read(c, idx, &v, &handled);
	return v;
}

static void t_msrs(void)
{
	bool handled;
	uint64_t v;
	CHECK_EQ(rd(0x277), 0x0007040600070406ull, "PAT reset");
	CHECK_EQ(rd(0xfe), 0x508, "MTRRcap: 8 variable, fixed, WC");
	CHECK_EQ(rd(0x2ff), 0, "MTRRdefType reset");
	CHECK(wr(0x277, 0x0106050400070406ull), "PAT write legal");
	CHECK_EQ(rd(0x277), 0x0106050400070406ull, "PAT read back");
	CHECK(!wr(0x277, 0x0206050400070406ull), "PAT type 2 #GP");
	CHECK_EQ(rd(0x277), 0x0106050400070406ull, "PAT unchanged after #GP");
	CHECK(!wr(0xfe, 0x508), "MTRRcap read-only");
	CHECK(wr(0x2ff, 0xc06), "defType E FE WB");
	CHECK(!wr(0x2ff, 0x1006), "defType bit 12 #GP");
	CHECK(!wr(0x2ff, 0x106), "defType bit 8 #GP");
	CHECK(!wr(0x2ff, 0x802), "defType type 2 #GP");
	CHECK(!wr(0x2ff, 0x807), "defType UC- #GP");
	CHECK(wr(0x250, 0x0605040100060504ull), "fixed 250");
	CHECK(!wr(0x259, 0x0605040700060504ull), "fixed UC- byte #GP");
	CHECK(!wr(0x26f, 0x0605040300060504ull), "fixed type 3 #GP");
	CHECK(wr(0x26f, 0x0606060606060606ull), "fixed 26F");
	CHECK_EQ(rd(0x26f), 0x0606060606060606ull, "fixed 26F read");
	CHECK(wr(0x200, 0xfffffffff000ull | 6), "PhysBase max address");
	CHECK(!wr(0x200, (1ull << 48) | 6), "PhysBase bit 48 (MAXPHYADDR) #GP");
	CHECK(!wr(0x200, 0x100 | 6), "PhysBase bit 8 #GP");
	CHECK(!wr(0x202, 0x1000 | 2), "PhysBase type 2 #GP");
	CHECK(wr(0x201, 0xfffffffff800ull), "PhysMask V + mask");
	CHECK(!wr(0x201, 0xfffffffff800ull | 1), "PhysMask bit 0 #GP");
	CHECK(!wr(0x20f, 1ull << 48), "PhysMask bit 48 #GP");
	CHECK_EQ(rd(0x201), 0xfffffffff800ull, "PhysMask read");
	CHECK(wr(0x20e, 0x5000 | 4), "last PhysBase");
	CHECK_EQ(rd(0x20e), 0x5004, "PhysBase 7 read");
	memtype_msr_read(c, 0x210, &v, &handled);
	CHECK(!handled, "0x210 is not a memtype MSR");
	memtype_msr_write(c, 0x251, 0, &handled);
	CHECK(!handled, "0x251 is not a memtype MSR");
	/* writes invalidate the TLB (cached memory types) */
	c->tlb[5].tag = 6;
	CHECK(wr(0x2ff, 0xc00), "defType write");
	CHECK_EQ(c->tlb[5].tag, 0, "MTRR write flushes the TLB");
	c->tlb[5].tag = 6;
	CHECK(wr(0x277, 0x0007040600070406ull), "PAT write");
	CHECK_EQ(c->tlb[5].tag, 0, "PAT write flushes the TLB");
}

static void reset_mtrrs(void)
{
	memset(c->msr.mtrr_fix, 0, sizeof c->msr.mtrr_fix);
	memset(c->msr.mtrr_var_base, 0, sizeof c->msr.mtrr_var_base);
	memset(c->msr.mtrr_var_mask, 0, sizeof c->msr.mtrr_var_mask);
}

static void t_mtrr(void)
{
	reset_mtrrs();
	CHECK(wr(0x2ff, 0x006), "E=0");
	CHECK_EQ(mtrr_type(c, 0x123456), PAC_MT_UC, "E=0 -> UC");
	CHECK(wr(0x2ff, 0x806), "E=1 FE=0 default WB");
	CHECK(wr(0x250, 0x0000000000000000ull), "fixed all UC");
	CHECK_EQ(mtrr_type(c, 0x1000), PAC_MT_WB, "FE=0: fixed ranges unused");
	CHECK(wr(0x2ff, 0xc06), "FE=1");
	CHECK(wr(0x250, 0x0001040506000000ull), "fixed 250");
	CHECK_EQ(mtrr_type(c, 0x0), PAC_MT_UC, "64K #0");
	CHECK_EQ(mtrr_type(c, 0x3ffff), PAC_MT_WB, "64K #3");
	CHECK_EQ(mtrr_type(c, 0x40000), PAC_MT_WP, "64K #4");
	CHECK_EQ(mtrr_type(c, 0x7ffff), PAC_MT_UC, "64K #7");
	CHECK(wr(0x258, 0x0600000000000400ull), "fixed 258");
	CHECK_EQ(mtrr_type(c, 0x84000), PAC_MT_WT, "16K #1 of 258");
	CHECK_EQ(mtrr_type(c, 0x9c000), PAC_MT_WB, "16K #7 of 258");
	CHECK(wr(0x259, 0x0000000000000001ull), "fixed 259");
	CHECK_EQ(mtrr_type(c, 0xa3fff), PAC_MT_WC, "16K #0 of 259");
	CHECK_EQ(mtrr_type(c, 0xa4000), PAC_MT_UC, "16K #1 of 259");
	CHECK(wr(0x268, 0x0500000000000000ull), "fixed 268");
	CHECK_EQ(mtrr_type(c, 0xc7000), PAC_MT_WP, "4K #7 of 268");
	CHECK(wr(0x269, 0x0000000000000004ull), "fixed 269");
	CHECK_EQ(mtrr_type(c, 0xc8000), PAC_MT_WT, "4K #0 of 269");
	CHECK(wr(0x26f, 0x0600000000000000ull), "fixed 26F");
	CHECK_EQ(mtrr_type(c, 0xfffff), PAC_MT_WB, "4K #7 of 26F");
	CHECK_EQ(mtrr_type(c, 0xf8000), PAC_MT_UC, "4K #0 of 26F");
	CHECK_EQ(mtrr_type(c, 0x100000), PAC_MT_WB, "1 MiB: default");
	/* variable ranges: 1 MiB at 0x100000 WT; 2 MiB at 0 UC; 4 MiB at 0 WB */
	const uint64_t amask = (1ull << 48) - 1;
	CHECK(wr(0x200, 0x100000 | PAC_MT_WT) && wr(0x201, ((~0xfffffull) & amask) | 0x800), "var 0");
	CHECK_EQ(mtrr_type(c, 0x180000), PAC_MT_WT, "in var 0");
	CHECK_EQ(mtrr_type(c, 0x200000), PAC_MT_WB, "after var 0");
	CHECK(wr(0x202, 0 | PAC_MT_WB) && wr(0x203, ((~0x3fffffull) & amask) | 0x800), "var 1");
	CHECK_EQ(mtrr_type(c, 0x180000), PAC_MT_WT, "WT+WB overlap -> WT");
	CHECK_EQ(mtrr_type(c, 0x280000), PAC_MT_WB, "var 1 only");
	CHECK(wr(0x204, 0 | PAC_MT_UC) && wr(0x205, ((~0x1fffffull) & amask) | 0x800), "var 2");
	CHECK_EQ(mtrr_type(c, 0x180000), PAC_MT_UC, "UC overlap wins");
	CHECK_EQ(mtrr_type(c, 0x84000), PAC_MT_WT, "fixed range beats UC variable");
	CHECK(wr(0x205, ((~0x1fffffull) & amask)), "var 2 V=0");
	CHECK_EQ(mtrr_type(c, 0x180000), PAC_MT_WT, "invalid range ignored");
	CHECK(wr(0x206, 0x2000000 | PAC_MT_WC) && wr(0x207, ((~0xffffffull) & amask) | 0x800), "var 3");
	CHECK(wr(0x208, 0x2000000 | PAC_MT_WP) && wr(0x209, ((~0xffffffull) & amask) | 0x800), "var 4");
	CHECK_EQ(mtrr_type(c, 0x2345000), PAC_MT_UC, "WC+WP overlap undefined -> UC");
	CHECK_EQ(mtrr_type(c, 0x3000000), PAC_MT_WB, "outside all ranges: default");
	CHECK(wr(0x2ff, 0x800), "default UC");
	CHECK_EQ(mtrr_type(c, 0x3000000), PAC_MT_UC, "default UC");
	c->msr.mtrr_cap = 0x502; /* two variable ranges only */
	CHECK_EQ(mtrr_type(c, 0x2345000), PAC_MT_UC, "ranges above VCNT ignored (default UC)");
	CHECK_EQ(mtrr_type(c, 0x280000), PAC_MT_WB, "range 1 still used");
	c->msr.mtrr_cap = 0x508;
}

int main(void)
{
	pac_machine *m = tm_new();
	c = m->cpus[0];
	t_tables();
	t_pat_valid();
	t_msrs();
	t_mtrr();
	pac_destroy(m);
	return test_done("test_memtype");
}
