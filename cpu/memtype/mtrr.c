/* SPDX-License-Identifier: MIT */
/* MTRR type of a system-physical address (APM 7.7, MT-06..MT-10). */
#include "memtype.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"

#define DEF_E  (1ull << 11)
#define DEF_FE (1ull << 10)
#define VAR_V  (1ull << 11)

bool mtrr_type_valid(unsigned t)
{
	return t == PAC_MT_UC || t == PAC_MT_WC || t == PAC_MT_WT || t == PAC_MT_WP ||
	       t == PAC_MT_WB;
}

/* Fixed ranges below 1 MiB (APM 7.7.2, Table 7-6): 0x250 = 8 x 64 KiB,
 * 0x258/0x259 = 8 x 16 KiB each, 0x268..0x26F = 8 x 4 KiB each. */
static uint8_t fixed_type(const struct cpu *c, spa_t spa)
{
	unsigned msr, byte;
	if (spa < 0x80000) {
		msr = 0;
		byte = (unsigned)(spa >> 16);
	} else if (spa < 0xc0000) {
		msr = 1 + (unsigned)((spa - 0x80000) >> 17);
		byte = (unsigned)((spa >> 14) & 7);
	} else {
		msr = 3 + (unsigned)((spa - 0xc0000) >> 15);
		byte = (unsigned)((spa >> 12) & 7);
	}
	return (uint8_t)(c->msr.mtrr_fix[msr] >> (8 * byte));
}

/* MT-07: identical types -> that type; any UC -> UC; only WT and WB -> WT;
 * APPROX: other overlaps are undefined; the model picks UC (docs/memtype.md). */
static uint8_t overlap(uint8_t a, uint8_t b)
{
	if (a == b)
		return a;
	if (a == PAC_MT_UC || b == PAC_MT_UC)
		return PAC_MT_UC;
	if ((a == PAC_MT_WT && b == PAC_MT_WB) || (a == PAC_MT_WB && b == PAC_MT_WT))
		return PAC_MT_WT;
	return PAC_MT_UC;
}

static unsigned var_count(const struct cpu *c)
{
	unsigned n = (unsigned)(c->msr.mtrr_cap & 0xff);
	return n > 8 ? 8 : n;
}

uint8_t mtrr_type(const struct cpu *c, spa_t spa)
{
	if (!cpu_has(c, FEAT_MTRR))
		return PAC_MT_WB; /* MT-10: no MTRR contribution */
	uint64_t def = c->msr.mtrr_def_type;
	if (!(def & DEF_E))
		return PAC_MT_UC;
	if ((def & DEF_FE) && spa < 0x100000)
		return fixed_type(c, spa);
	uint64_t amask = ((1ull << cpu_phys_bits(c)) - 1) & ~0xfffull;
	bool hit = false;
	uint8_t t = 0;
	for (unsigned i = 0; i < var_count(c); i++) {
		uint64_t mask = c->msr.mtrr_var_mask[i], base = c->msr.mtrr_var_base[i];
		if (!(mask & VAR_V) || ((base ^ spa) & mask & amask))
			continue;
		uint8_t vt = (uint8_t)(base & 0xff);
		t = hit ? overlap(t, vt) : vt;
		hit = true;
	}
	return hit ? t : (uint8_t)(def & 0xff);
}
