/* SPDX-License-Identifier: MIT */
/* Malformed VMCBs never crash or hang the emulator (issue 4 "Done
 * means"): 1000 VMRUNs of the valid VMCB with 1-4 random bit flips in the
 * control area or the save area. Every run must end in the host (any exit
 * code; VMEXIT_INVALID names its check), in a guest-caused shutdown or at
 * the instruction limit — never in an internal error. */
#include "test_svm_harness.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(void)
{
	struct pac_regs r0;
	pac_machine *m = sv_machine(&r0);
	pac_phys_write(m, SV_GCODE, "\x90\x0f\x01\xd9", 4);
	uint8_t host_ram[0x6000];
	pac_phys_read(m, 0, host_ram, sizeof host_ram); /* GDT, IDT, TSS, stubs */
	int invalid = 0, ran = 0, other = 0, bad = 0;
	for (int i = 0; i < 1000; i++) {
		pac_phys_write(m, 0, host_ram, sizeof host_ram);
		sv_vmcb64(m);
		int flips = 1 + (int)(next() % 4);
		for (int k = 0; k < flips; k++) {
			uint64_t x = next();
			static const uint16_t hot[] = { V_ICPT_EXC, V_ICPT3, V_ICPT4, V_IOPM, V_MSRPM, V_ASID,
							V_TLBCTL, V_VINTR, V_INTSTATE, V_EVENTINJ, V_CS, V_SS,
							V_IDTR, V_CPL, V_EFER, V_CR4, V_CR3, V_CR0, V_DR7, V_DR6,
							V_RFLAGS, V_RIP, V_RSP };
			uint32_t off = (x & 2) ? hot[(x >> 8) % (sizeof hot / sizeof hot[0])] + (uint32_t)((x >> 20) % 8)
				     : (x & 1) ? (uint32_t)((x >> 8) % 0xd8) : 0x400 + (uint32_t)((x >> 8) % 0x298);
			uint8_t b;
			pac_phys_read(m, SV_VMCB + off, &b, 1);
			b ^= (uint8_t)(1u << ((x >> 40) & 7));
			pac_phys_write(m, SV_VMCB + off, &b, 1);
		}
		struct pac_regs r = r0;
		struct pac_exit ex;
		pac_set_regs(m, 0, &r);
		pac_run(m, 3000, &ex);
		struct cpu *c = sv_cpu(m);
		uint64_t code = sv_r(m, V_EXITCODE);
		if (ex.reason == PAC_EXIT_INTERNAL_ERROR || (code == ~0ull && !c->svm.last_failed_check))
			bad++;
		if (code == ~0ull)
			invalid++;
		else if (code == 0x81)
			ran++;
		else
			other++;
		if (ex.reason == PAC_EXIT_INTERNAL_ERROR)
			break;
		c->svm = (struct svm_state){ .gif = true };
		c->asid = 0;
	}
	CHECK_EQ(bad, 0, "no internal error; every VMEXIT_INVALID names its check");
	printf("# invalid %d, ran %d, other %d\n", invalid, ran, other);
	CHECK(invalid > 0 && ran > 0, "both outcomes seen (invalid %d, ran %d, other %d)", invalid, ran, other);
	pac_destroy(m);
	return test_done("test_svm_fuzz");
}
