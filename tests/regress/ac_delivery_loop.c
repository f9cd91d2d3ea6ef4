/* SPDX-License-Identifier: MIT */
/* Regression (found by the fuzz smoke test): at CPL 3 with CR0.AM and
 * RFLAGS.AC set and a misaligned stack, an exception whose gate leads to a
 * DPL-3 handler makes the pushes of its delivery raise #AC, whose delivery
 * raises #AC again, ... deliver_event looped for ever and pac_run never
 * returned. Now the CPU shuts down after a bounded number of attempts
 * (docs/deviations.md) and pac_run returns. */
#include <stdio.h>
#include <unistd.h>
#include "test.h"
#include "machine_helpers.h"

static int n_ac;
static void on_event(void *ctx, int cpu, int vector, bool is_int, bool has_err, uint32_t err,
		     uint64_t rip)
{
	n_ac += vector == 17;
}

int main(void)
{
	alarm(30); /* a hang is a failure, not a stuck make check */
	pac_machine *m = tm_new();
	struct pac_regs r;
	/* GDT: null, flat ring-0 code, flat ring-0 data, ring-3 conforming-less
	 * code and data; IDT: every vector an interrupt gate to ring-3 code
	 * (selector 0x1b, DPL 3 target: no stack switch, pushes at CPL 3) */
	uint64_t gdt[5] = { 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,
			    0x00cffb000000ffffull, 0x00cff3000000ffffull };
	pac_phys_write(m, 0x1000, gdt, sizeof gdt);
	for (unsigned v = 0; v < 32; v++) {
		uint64_t gate = 0x3000 | (0x1bull << 16) | (0xeeull << 40);
		pac_phys_write(m, 0x2000 + 8 * v, &gate, 8);
	}
	static const uint8_t hlt = 0xf4; /* #GP at CPL 3 */
	pac_phys_write(m, 0x4000, &hlt, 1);
	tm_prot32_user(m, &r, 0x4000);
	r.seg[PAC_CS].sel = 0x1b;
	r.gdtr.base = 0x1000;
	r.gdtr.limit = sizeof gdt - 1;
	r.idtr.base = 0x2000;
	r.idtr.limit = 32 * 8 - 1;
	r.cr0 |= 1u << 18;           /* CR0.AM */
	r.rflags = 2 | (1u << 18);   /* RFLAGS.AC */
	r.gpr[PAC_RSP] = 0x9009;     /* misaligned */
	pac_set_regs(m, 0, &r);
	static const struct pac_hooks hooks = { .event = on_event };
	pac_set_hooks(m, &hooks, NULL);
	struct pac_exit ex;
	pac_run(m, 100, &ex); /* used to never return */
	CHECK(ex.reason == PAC_EXIT_SHUTDOWN, "#AC during its own delivery ends in a shutdown (exit %d)",
	      ex.reason);
	CHECK(n_ac >= 1, "the #AC was attempted (%d times) before the shutdown", n_ac);
	pac_destroy(m);
	return test_done("regress ac_delivery_loop: #AC faulting in its own delivery");
}
