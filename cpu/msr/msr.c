/* SPDX-License-Identifier: MIT */
/* MSR access through the table of msr.def: look-up, presence by CPUID
 * feature, plain-field rows and their validity checks. */
#include "msr_impl.h"
#include "../cpuid/cpuid.h"

static const struct msr_desc msr_table[] = {
#define MSR(a, b, n, ft, rd, wr) { a, b, n, FEAT_##ft, rd, wr, 0, NULL },
#define FIELD(a, n, ft, fld, chk) { a, a, n, FEAT_##ft, NULL, NULL, offsetof(struct cpu, fld), chk },
#include "msr.def"
#undef MSR
#undef FIELD
};

/* The row serving index, or NULL if the MSR does not exist on this model. */
static const struct msr_desc *msr_find(const struct cpu *c, uint32_t index)
{
	for (size_t i = 0; i < sizeof msr_table / sizeof msr_table[0]; i++) {
		const struct msr_desc *d = &msr_table[i];
		if (index < d->first || index > d->last)
			continue;
		if (d->feat != FEAT_NONE && !cpu_has(c, d->feat))
			return NULL;
		return d;
	}
	return NULL;
}

const char *msr_name(uint32_t index)
{
	for (size_t i = 0; i < sizeof msr_table / sizeof msr_table[0]; i++)
		if (index >= msr_table[i].first && index <= msr_table[i].last)
			return msr_table[i].name;
	return NULL;
}

static uint64_t *field_ptr(struct cpu *c, const struct msr_desc *d)
{
	return (uint64_t *)(void *)((char *)c + d->off);
}

bool msr_read(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	const struct msr_desc *d = msr_find(c, index);
	if (!d)
		return false;
	if (d->rd)
		return d->rd(c, index, val, host);
	*val = *field_ptr(c, d);
	return true;
}

static bool write_row(struct cpu *c, const struct msr_desc *d, uint32_t index, uint64_t val,
		      bool host)
{
	if (d->wr)
		return d->wr(c, index, val, host);
	if (!d->valid(c, val))
		return false;
	*field_ptr(c, d) = val;
	return true;
}

bool msr_write(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	const struct msr_desc *d = msr_find(c, index);
	if (!d)
		return false;
	if (write_row(c, d, index, val, host))
		return true;
	/* the host writing back the value an MSR already reads (state
	 * restore) succeeds even for read-only registers such as MTRRcap */
	uint64_t cur;
	return host && msr_read(c, index, &cur, true) && cur == val;
}

/* ---- validity checks of FIELD rows ---- */
bool msr_check_any(const struct cpu *c, uint64_t v)
{
	(void)c; (void)v;
	return true;
}

bool msr_check_zero(const struct cpu *c, uint64_t v)
{
	(void)c;
	return v == 0; /* XSS: no supervisor state components are supported */
}

bool msr_check_canonical(const struct cpu *c, uint64_t v)
{
	return msr_canonical(c, v);
}

/* MCG_STATUS: RIPV, EIPV, MCIP (APM vol. 2, 9.3.1.2); the rest reserved */
bool msr_check_mcg_status(const struct cpu *c, uint64_t v)
{
	(void)c;
	return (v & ~7ull) == 0;
}

/* SPEC_CTRL: IBRS, STIBP, SSBD. An emulator does not speculate, so the
 * controls have nothing to restrict; they are stored and read back. */
bool msr_check_spec_ctrl(const struct cpu *c, uint64_t v)
{
	(void)c;
	return (v & ~7ull) == 0;
}
