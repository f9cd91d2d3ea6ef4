/* SPDX-License-Identifier: MIT */
/* Writing RFLAGS as a whole: keeps the fixed bits and recomputes the mode
 * when VM changes. */
#ifndef PAC_FLAGSREG_H
#define PAC_FLAGSREG_H
#include "../core/cpu.h"
static inline void rflags_write(struct cpu *c, uint64_t v)
{
	uint64_t old = c->rflags;
	c->rflags = (v & 0x3f7fd5ull) | FL_FIX1;
	if ((old ^ c->rflags) & FL_VM)
		mode_update(c);
}
#endif
