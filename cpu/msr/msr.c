/* SPDX-License-Identifier: MIT */
/* MSR access: placeholder table, filled by msr.def. */
#include "msr.h"

bool msr_read(struct cpu *c, uint32_t index, uint64_t *val, bool host)
{
	(void)host;
	switch (index) {
	case 0x277: *val = c->msr.hpat; return true;
	case 0xc0000080: *val = c->efer; return true;
	default: return false;
	}
}

bool msr_write(struct cpu *c, uint32_t index, uint64_t val, bool host)
{
	(void)host;
	switch (index) {
	case 0x277: c->msr.hpat = val; return true;
	default: return false;
	}
}
