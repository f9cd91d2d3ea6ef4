/* SPDX-License-Identifier: MIT */
/* Page-protection checks (APM 5.6: U/S, R/W with CR0.WP, NX; SMEP 5.6.6;
 * SMAP 5.6.7) and the #PF error-code bits (APM 8.4.2). */
#include "walk.h"

static bool is_user(unsigned acc)
{
	/* supervisor-implicit accesses (descriptor tables, TSS) are supervisor
	 * accesses whatever the CPL */
	return (acc & ACC_USER) && !(acc & ACC_IMPLICIT);
}

/* SMAP blocks a supervisor data access to a user page unless EFLAGS.AC=1
 * for an explicit access (implicit accesses are always checked). When
 * ignore_ac is set the access counts as blocked (used for TLB bits). */
static bool smap_blocks(const struct walk *w, unsigned acc, bool ignore_ac)
{
	const struct cpu *c = w->c;
	if (!(c->cr4 & CR4_SMAP) || !w->us || (acc & ACC_X))
		return false;
	if (acc & ACC_IMPLICIT)
		return true;
	return ignore_ac || !(c->rflags & FL_AC);
}

static uint32_t check(const struct walk *w, unsigned acc, bool ignore_ac)
{
	const struct cpu *c = w->c;
	bool write = acc & ACC_W, fetch = acc & ACC_X;
	if (is_user(acc)) {
		if (!w->us || (write && !w->rw) || (fetch && w->nx))
			return PFEC_P;
		return 0;
	}
	if (write && !w->rw && (c->cr0 & CR0_WP))
		return PFEC_P;
	if (fetch && (w->nx || (w->us && (c->cr4 & CR4_SMEP))))
		return PFEC_P;
	if (smap_blocks(w, acc, ignore_ac))
		return PFEC_P;
	return 0;
}

uint32_t walk_check(const struct walk *w, unsigned acc)
{
	return check(w, acc, false);
}

/* TLB permission bits, bit (acc & 7). Writes only once D is set so the
 * first write takes the slow path and sets it; supervisor data bits are
 * clear on user pages under SMAP because EFLAGS.AC is not part of the tag. */
uint8_t walk_perm_bits(const struct walk *w, bool dirty)
{
	static const unsigned kinds[] = { ACC_R, ACC_W, ACC_X,
					  ACC_USER | ACC_R, ACC_USER | ACC_W, ACC_USER | ACC_X };
	uint8_t perm = 0;
	for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		unsigned k = kinds[i];
		if ((k & ACC_W) && !dirty)
			continue;
		if (!check(w, k, true))
			perm |= (uint8_t)(1u << k);
	}
	return perm;
}

/* W, U and I bits of the error code. I is defined only when no-execute is
 * enabled (EFER.NXE with PAE/long paging, APM 8.4.2) or SMEP is on. */
uint32_t walk_err_bits(const struct walk *w, unsigned acc)
{
	uint32_t err = 0;
	if (acc & ACC_W)
		err |= PFEC_W;
	if (is_user(acc))
		err |= PFEC_U;
	if ((acc & ACC_X) && (w->nxe || (w->c->cr4 & CR4_SMEP)))
		err |= PFEC_I;
	return err;
}
