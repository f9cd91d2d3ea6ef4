/* SPDX-License-Identifier: MIT */
/* Helpers for unit tests that run code snippets in libpaccpu. */
#ifndef PAC_MACHINE_HELPERS_H
#define PAC_MACHINE_HELPERS_H
#include <stdlib.h>
#include "pacifica/pacifica.h"

#define TM_RAM (16u << 20)

static inline pac_machine *tm_new(void)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1 };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m || pac_map_ram(m, 0, TM_RAM, NULL) != PAC_OK) {
		fprintf(stderr, "tm_new: %s\n", pac_strerror(err));
		exit(2);
	}
	return m;
}

static inline void tm_seg(struct pac_seg *s, uint16_t sel, uint16_t attr)
{
	s->sel = sel;
	s->attr = attr;
	s->base = 0;
	s->limit = (attr & 0x800) ? 0xffffffffu : 0xffff;
}

/* flat 32-bit protected mode, CPL 0 */
static inline void tm_prot32(pac_machine *m, struct pac_regs *r, uint64_t rip)
{
	pac_get_regs(m, 0, r);
	r->cr0 = 0x11; /* PE | ET */
	tm_seg(&r->seg[PAC_CS], 0x08, 0xc9b);
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			tm_seg(&r->seg[i], 0x10, 0xc93);
	r->rip = rip;
	r->gpr[PAC_RSP] = 0x80000;
	r->rflags = 2;
}

/* real mode at 0:rip */
static inline void tm_real(pac_machine *m, struct pac_regs *r, uint64_t rip)
{
	pac_get_regs(m, 0, r);
	for (int i = 0; i < 6; i++)
		tm_seg(&r->seg[i], 0, i == PAC_CS ? 0x9b : 0x93);
	r->rip = rip;
	r->gpr[PAC_RSP] = 0x7000;
}

/* runs until HLT (or limit); returns the exit reason */
static inline enum pac_exit_reason tm_run(pac_machine *m, const struct pac_regs *r,
					  const void *code, size_t len, uint64_t at)
{
	struct pac_exit ex;
	pac_phys_write(m, at, code, len);
	pac_set_regs(m, 0, r);
	pac_run(m, 100000, &ex);
	return ex.reason;
}
#endif
