/* SPDX-License-Identifier: MIT */
/* Core smoke tests: decode + execute snippets in real and protected mode. */
#include "test.h"
#include "machine_helpers.h"

static void t_real_add(void)
{
	pac_machine *m = tm_new();
	struct pac_regs r;
	/* mov ax,0x1234; add ax,0x0f0f; mov [0x500],ax; hlt */
	static const uint8_t code[] = { 0xb8, 0x34, 0x12, 0x05, 0x0f, 0x0f, 0xa3, 0x00, 0x05, 0xf4 };
	tm_real(m, &r, 0x7c00);
	r.rflags = 2;
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x7c00), PAC_EXIT_HLT, "exit");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.gpr[PAC_RAX] & 0xffff, 0x2143, "ax");
	uint16_t v = 0;
	pac_phys_read(m, 0x500, &v, 2);
	CHECK_EQ(v, 0x2143, "mem");
	CHECK_EQ(r.rip, 0x7c0a, "rip after hlt");
	pac_destroy(m);
}

static void t_prot_loop(void)
{
	pac_machine *m = tm_new();
	struct pac_regs r;
	/* mov ecx,10; xor eax,eax; l: add eax,ecx; dec ecx; jnz l; push eax; pop ebx; hlt */
	static const uint8_t code[] = { 0xb9, 10, 0, 0, 0, 0x31, 0xc0, 0x01, 0xc8, 0x49, 0x75, 0xfb,
					0x50, 0x5b, 0xf4 };
	tm_prot32(m, &r, 0x1000);
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x1000), PAC_EXIT_HLT, "exit");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.gpr[PAC_RAX], 55, "eax");
	CHECK_EQ(r.gpr[PAC_RBX], 55, "ebx");
	CHECK_EQ(r.gpr[PAC_RCX], 0, "ecx");
	CHECK((r.rflags & 0x40) != 0, "ZF set");
	pac_destroy(m);
}

int main(void)
{
	t_real_add();
	t_prot_loop();
	return test_done("core");
}
