/* SPDX-License-Identifier: MIT */
/* PAT and MTRR rows of msr.def: the registers live in memtype/ (DESIGN
 * rule 6); outside guest mode IA32_PAT is hPAT (DESIGN rule 4, GP-07). */
#include "msr_impl.h"
#include "../memtype/memtype.h"

bool msr_rd_memtype(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	bool handled = true;
	bool ok = memtype_msr_read(c, index, val, &handled);
	return handled && ok;
}

bool msr_wr_memtype(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	bool handled = true;
	bool ok = memtype_msr_write(c, index, val, &handled); /* flushes stale types itself */
	return handled && ok;
}
