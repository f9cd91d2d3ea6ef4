/* SPDX-License-Identifier: MIT */
/* The PAT MSR (APM 7.8.1, Table 7-9): eight 3-bit type fields in bytes. */
#include "memtype.h"

/* MT-02: every byte's bits 7:3 clear and type not 2 or 3 (reserved). */
bool pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned b = (unsigned)(pat >> (8 * i)) & 0xff;
		if (b > 7 || b == 2 || b == 3)
			return false;
	}
	return true;
}

uint8_t pat_type(uint64_t pat, unsigned idx)
{
	return (uint8_t)((pat >> (8 * (idx & 7))) & 7);
}
