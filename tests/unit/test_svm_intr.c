/* SPDX-License-Identifier: MIT */
/* Physical interrupts and shutdown around SVM: the INTR intercept with
 * V_INTR_MASKING (APM 15.21.1, 15.13.1), INTR delivered into the guest,
 * GIF holding an interrupt in the host (15.17), the SHUTDOWN intercept
 * (15.12), and a host-state reload failure -> shutdown (15.6). */
#include "test_svm_harness.h"
#include "apic/lapic.h"

/* host: SVME + HSAVE (prologue without its VMRUN), x2APIC on, CLGI, STI,
 * self-IPI 50h (held by GIF = 0), VMRUN, STGI, NOP, HLT */
static const uint8_t host_x2apic[] = {
	0xb9, 0x1b, 0x00, 0x00, 0x00, 0x0f, 0x32, 0x0d, 0x00, 0x04, 0x00, 0x00, 0x0f, 0x30, /* EXTD */
	0xb9, 0x0f, 0x08, 0x00, 0x00, 0xb8, 0xff, 0x01, 0x00, 0x00, 0x31, 0xd2, 0x0f, 0x30, /* SVR */
	0x0f, 0x01, 0xdd, 0xfb,                                                             /* clgi; sti */
	0xb9, 0x3f, 0x08, 0x00, 0x00, 0xb8, 0x50, 0x00, 0x00, 0x00, 0x31, 0xd2, 0x0f, 0x30, /* SELF_IPI */
	0xb8, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8,                                     /* vmrun */
	0x0f, 0x01, 0xdc, 0x90, 0xf4,                                                       /* stgi; nop; hlt */
};

static pac_machine *intr_run(uint32_t vec3, uint64_t vintr, uint64_t grflags, struct pac_regs *r)
{
	pac_machine *m = sv_machine(r);
	st_w32(m, SV_VMCB + V_ICPT3, vec3);
	sv_w(m, V_VINTR, vintr);
	sv_w(m, V_RFLAGS, grflags);
	size_t pro = sizeof sv_host_prologue - 9; /* up to the mov eax, SV_VMCB */
	uint8_t code[256];
	memcpy(code, sv_host_prologue, pro);
	memcpy(code + pro, host_x2apic, sizeof host_x2apic);
	pac_phys_write(m, ST_CODE, code, pro + sizeof host_x2apic);
	sv_run(m, r, "\x90\x0f\x01\xd9", 4);
	return m;
}

static void t_intr(void)
{
	struct pac_regs r;
	/* INTR intercepted, V_INTR_MASKING = 1, host IF = 1 */
	pac_machine *m = intr_run((1u << 24) | 1u, 1u << 24, 2, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x60, "#VMEXIT(INTR) (held by GIF, taken once VMRUN sets GIF)");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE, "before the first guest instruction");
	CHECK_EQ(sv_r(m, V_NRIP), 0, "no NRIP for INTR");
	CHECK_EQ(r.rip, st_handler(0x50) + 1, "the host takes vector 50h after STGI");
	pac_destroy(m);
	/* not intercepted, guest IF = 1: delivered through the guest IDT */
	m = intr_run(1u << 24, 0, 0x202, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x78, "guest handler's HLT exits");
	CHECK_EQ(sv_r(m, V_RIP), st_handler(0x50), "vector 50h in the guest");
	CHECK_EQ(st_r64(m, sv_r(m, V_RSP)), SV_GCODE, "interrupted guest RIP on the guest stack");
	pac_destroy(m);
	/* not intercepted, guest IF = 0 (no V_INTR_MASKING): stays pending; the
	 * guest's VMMCALL exits first and the host takes it after STGI */
	m = intr_run(1u << 24, 0, 2, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "guest IF = 0: VMMCALL exits");
	CHECK_EQ(r.rip, st_handler(0x50) + 1, "host takes it after STGI");
	pac_destroy(m);
}

static void t_shutdown(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	st_w32(m, SV_VMCB + V_ICPT3, (1u << 24) | (1u << 31));
	sv_seg(m, V_IDTR, 0, 0, 0, ST_IDT); /* every delivery faults: triple fault */
	enum pac_exit_reason e = sv_run(m, &r, "\x0f\x0b", 2);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x7f, "#VMEXIT(SHUTDOWN)");
	CHECK_EQ(e, PAC_EXIT_HLT, "the host runs on");
	pac_destroy(m);
	m = sv_machine(&r);
	sv_seg(m, V_IDTR, 0, 0, 0, ST_IDT);
	e = sv_run(m, &r, "\x0f\x0b", 2);
	CHECK_EQ(e, PAC_EXIT_SHUTDOWN, "not intercepted: the machine shuts down");
	pac_destroy(m);
}

/* 32-bit PAE host whose PDPE the guest corrupts: #VMEXIT cannot reload it */
static void t_host_reload_shutdown(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	st_w64(m, 0x210000, 0x211000 | 1);
	for (unsigned i = 0; i < 8; i++)
		st_w64(m, 0x211000 + 8 * i, ((uint64_t)i << 21) | 0x83);
	r.cr4 = 0x20;
	r.cr3 = 0x210000;
	r.cr0 = 0x80000011;
	r.efer = 0x1000;
	pac_set_msr(m, 0, 0xc0010117, SV_HSAVE);
	sv_vmcb64(m);
	sv_seg(m, V_CS, SEL_C32, 0xc9b, 0xffffffff, 0);
	sv_w(m, V_CR0, 0x11);
	sv_w(m, V_CR4, 0);
	sv_w(m, V_EFER, 0x1000);
	/* guest: or dword [0x210000], 2; vmmcall */
	static const uint8_t g[] = { 0x83, 0x0d, 0x00, 0x00, 0x21, 0x00, 0x02, 0x0f, 0x01, 0xd9 };
	pac_phys_write(m, SV_GCODE, g, sizeof g);
	static const uint8_t host[] = { 0xb8, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8, 0xf4 };
	enum pac_exit_reason e = tm_run(m, &r, host, sizeof host, ST_CODE);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "exit fields written");
	CHECK_EQ(e, PAC_EXIT_SHUTDOWN, "illegal host PDPE on #VMEXIT: shutdown");
	pac_destroy(m);
}

/* V_IRQ (15.21.4): vector 60h, priority 2 */
static pac_machine *virq_run(uint32_t vec3, uint64_t vintr, uint64_t grflags, struct pac_regs *r)
{
	pac_machine *m = sv_machine(r);
	st_w32(m, SV_VMCB + V_ICPT3, vec3);
	sv_w(m, V_VINTR, vintr);
	sv_w(m, V_RFLAGS, grflags);
	sv_run(m, r, "\x90\x0f\x01\xd9", 4);
	return m;
}

static void t_virq(void)
{
	const uint64_t base = (1u << 8) | (2u << 16) | (0x60ull << 32); /* V_IRQ, PRIO 2, vector 60h */
	struct pac_regs r;
	pac_machine *m = virq_run(1u << 24, base, 0x202, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x78, "V_IRQ delivered: handler HLT exits");
	CHECK_EQ(sv_r(m, V_RIP), st_handler(0x60), "vector 60h");
	CHECK_EQ(sv_r(m, V_VINTR) & (1u << 8), 0, "V_IRQ cleared and written back");
	pac_destroy(m);
	m = virq_run((1u << 24) | (1u << 4), base, 0x202, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x64, "#VMEXIT(VINTR)");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE, "before the first guest instruction");
	CHECK_EQ(sv_r(m, V_VINTR) & (1u << 8), 1u << 8, "V_IRQ still pending");
	pac_destroy(m);
	m = virq_run(1u << 24, base | 3, 0x202, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "V_TPR 3 >= V_INTR_PRIO 2: not taken");
	CHECK_EQ(sv_r(m, V_VINTR), base | 3, "V_INTR fields written back");
	pac_destroy(m);
	m = virq_run(1u << 24, base | 3 | (1u << 20), 0x202, &r);
	CHECK_EQ(sv_r(m, V_RIP), st_handler(0x60), "V_IGN_TPR: taken");
	pac_destroy(m);
	m = virq_run(1u << 24, base, 0x2, &r);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "guest IF = 0: not taken");
	pac_destroy(m);
}

/* INIT (ICR: INIT, all including self) at GIF = 0 is held; VMRUN with the
 * INIT intercept exits at once and INIT stays pending */
static void t_init(void)
{
	static const uint8_t tail[] = {
		0xb9, 0x1b, 0x00, 0x00, 0x00, 0x0f, 0x32, 0x0d, 0x00, 0x04, 0x00, 0x00, 0x0f, 0x30,
		0xb9, 0x0f, 0x08, 0x00, 0x00, 0xb8, 0xff, 0x01, 0x00, 0x00, 0x31, 0xd2, 0x0f, 0x30,
		0x0f, 0x01, 0xdd,                                                   /* clgi */
		0xb9, 0x30, 0x08, 0x00, 0x00, 0xb8, 0x00, 0x45, 0x08, 0x00, 0x31, 0xd2, 0x0f, 0x30,
		0x90,                                                               /* INIT held */
		0xb8, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8, 0xf4,               /* vmrun; hlt */
	};
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	st_w32(m, SV_VMCB + V_ICPT3, (1u << 24) | (1u << 3));
	size_t pro = sizeof sv_host_prologue - 9;
	uint8_t code[256];
	memcpy(code, sv_host_prologue, pro);
	memcpy(code + pro, tail, sizeof tail);
	pac_phys_write(m, ST_CODE, code, pro + sizeof tail);
	enum pac_exit_reason e = sv_run(m, &r, "\x90\x0f\x01\xd9", 4);
	CHECK_EQ(e, PAC_EXIT_HLT, "host not reset while GIF = 0");
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x63, "#VMEXIT(INIT)");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE, "before the first guest instruction");
	CHECK(sv_cpu(m)->apic->init_pending, "INIT still pending");
	CHECK_EQ(r.rip, ST_CODE + pro + sizeof tail, "host after VMRUN's HLT");
	pac_destroy(m);
}

int main(void)
{
	t_init();
	t_virq();
	t_intr();
	t_shutdown();
	t_host_reload_shutdown();
	return test_done("test_svm_intr");
}
