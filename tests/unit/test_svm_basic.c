/* SPDX-License-Identifier: MIT */
/* VMRUN / #VMEXIT end to end (APM vol. 2, 15.5, 15.6): the host enables
 * SVM itself, runs a 64-bit guest, and checks the exit fields and its own
 * state after #VMEXIT(VMMCALL) and #VMEXIT(HLT). */
#include "test_svm_harness.h"

static void t_vmmcall_roundtrip(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	/* guest: mov eax, 42; mov ebx, 7; vmmcall; hlt */
	static const uint8_t g[] = { 0xb8, 42, 0, 0, 0, 0xbb, 7, 0, 0, 0, 0x0f, 0x01, 0xd9, 0xf4 };
	r.gpr[PAC_RBX] = 0x1111;
	r.rflags = 0x202; /* host IF = 1 */
	enum pac_exit_reason e = sv_run(m, &r, g, sizeof g);
	CHECK_EQ(e, PAC_EXIT_HLT, "host halts after #VMEXIT");
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "EXITCODE = VMMCALL");
	CHECK_EQ(sv_r(m, V_NRIP), SV_GCODE + 13, "NRIP = after VMMCALL");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE + 10, "guest RIP saved = VMMCALL");
	CHECK_EQ(sv_r(m, V_RAX), 42, "guest RAX saved");
	CHECK_EQ(sv_r(m, V_INFO1), 0, "EXITINFO1");
	CHECK_EQ(sv_r(m, V_INTINFO), 0, "EXITINTINFO");
	CHECK_EQ(r.rip, SV_AFTER_VMRUN + 1, "host resumes after VMRUN (then HLT)");
	CHECK_EQ(r.gpr[PAC_RAX], SV_VMCB, "host RAX restored");
	CHECK_EQ(r.gpr[PAC_RBX], 7, "RBX is not switched by VMRUN");
	CHECK_EQ(r.gpr[PAC_RSP], ST_STACK0, "host RSP restored");
	CHECK_EQ(r.rflags & 0x200, 0x200, "host RFLAGS restored");
	CHECK_EQ(r.dr[7], 0x400, "DR7 = 400h after #VMEXIT");
	struct cpu *c = sv_cpu(m);
	CHECK(!c->svm.guest && !c->svm.gif, "host mode, GIF = 0");
	CHECK_EQ(c->asid, 0, "ASID 0");
	CHECK_EQ(c->svm.vmruns, 1, "one VMRUN");
	CHECK(c->svm.last_failed_check == NULL, "no failed check");
	/* the host-save page holds the host RIP and CR3 (our format: VMCB offsets) */
	CHECK_EQ(st_r64(m, SV_HSAVE + V_RIP), SV_AFTER_VMRUN, "HSAVE RIP");
	CHECK_EQ(st_r64(m, SV_HSAVE + V_CR3), ST_PML4, "HSAVE CR3");
	CHECK_EQ(st_r32(m, SV_VMCB + V_EVENTINJ), 0, "EVENTINJ.V clear");
	pac_destroy(m);
}

static void t_hlt_intercept(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	static const uint8_t g[] = { 0x90, 0xf4 }; /* nop; hlt */
	sv_run(m, &r, g, sizeof g);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x78, "EXITCODE = HLT");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE + 1, "guest RIP = HLT");
	CHECK_EQ(sv_r(m, V_NRIP), SV_GCODE + 2, "NRIP");
	CHECK_EQ(sv_r(m, V_CR3), ST_PML4, "guest CR3 saved");
	CHECK_EQ(sv_r(m, V_EFER), 0x1d01, "guest EFER saved");
	CHECK_EQ(st_r64(m, SV_VMCB + V_CPL) & 0xff, 0, "guest CPL saved");
	pac_destroy(m);
}

int main(void)
{
	t_vmmcall_roundtrip();
	t_hlt_intercept();
	return test_done("test_svm_basic");
}
