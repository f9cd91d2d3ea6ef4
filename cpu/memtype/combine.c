/* SPDX-License-Identifier: MIT */
/* Memory-type combination tables from memtype.def: Table 7-11 (PAT x MTRR,
 * no nested paging), Tables 15-19 (guest PAT x host PAT) and 15-20
 * (combined PAT x MTRR) for nested paging (APM 15.25.8). Inputs outside
 * the tables give UC, the safe answer. */
#include "memtype.h"

#define NT 10 /* enum pac_memtype values 0..9 */
#define COLS_MTRR(uc, wc, wp, wt, wb)                                              \
	{ [PAC_MT_UC] = PAC_MT_##uc, [PAC_MT_WC] = PAC_MT_##wc, [PAC_MT_WP] = PAC_MT_##wp, \
	  [PAC_MT_WT] = PAC_MT_##wt, [PAC_MT_WB] = PAC_MT_##wb }

static const uint8_t t7_11[NT][NT] = {
#define T7_11(p, uc, wc, wp, wt, wb) [PAC_MT_##p] = COLS_MTRR(uc, wc, wp, wt, wb),
#include "memtype.def"
};

static const uint8_t t15_20[NT][NT] = {
#define T15_20(p, uc, wc, wp, wt, wb) [PAC_MT_##p] = COLS_MTRR(uc, wc, wp, wt, wb),
#include "memtype.def"
};

static const uint8_t t15_19[NT][NT] = {
#define T15_19(g, uc, ucm, wc, wp, wt, wb)                                          \
	[PAC_MT_##g] = { [PAC_MT_UC] = PAC_MT_##uc, [PAC_MT_UCM] = PAC_MT_##ucm,      \
			 [PAC_MT_WC] = PAC_MT_##wc, [PAC_MT_WP] = PAC_MT_##wp,        \
			 [PAC_MT_WT] = PAC_MT_##wt, [PAC_MT_WB] = PAC_MT_##wb },
#include "memtype.def"
};

static uint8_t lookup(const uint8_t t[NT][NT], unsigned row, unsigned col)
{
	return row < NT && col < NT ? t[row][col] : PAC_MT_UC;
}

uint8_t memtype_combine(uint8_t pat, uint8_t mtrr)
{
	return lookup(t7_11, pat, mtrr);
}

uint8_t memtype_guest_host(uint8_t guest, uint8_t host)
{
	return lookup(t15_19, guest, host);
}

uint8_t memtype_nested_mtrr(uint8_t pat, uint8_t mtrr)
{
	return lookup(t15_20, pat, mtrr);
}

uint8_t memtype_combine_nested(uint8_t guest, uint8_t host, uint8_t mtrr)
{
	return memtype_nested_mtrr(memtype_guest_host(guest, host), mtrr);
}
