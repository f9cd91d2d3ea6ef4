/* SPDX-License-Identifier: MIT */
/* The SVM tests act as the L1 hypervisor: a 64-bit host (segtest.h) builds
 * a VMCB in RAM, sets EFER.SVME and VM_HSAVE_PA, executes VMRUN; the L2
 * guest runs real code and exits. Offsets are the checklist's (section 2). */
#ifndef PAC_TEST_SVM_HARNESS_H
#define PAC_TEST_SVM_HARNESS_H
#include "segtest.h"
#include "core/cpu.h"

#define SV_VMCB 0x200000u
#define SV_HSAVE 0x201000u
#define SV_VMCB2 0x202000u  /* VMLOAD/VMSAVE page */
#define SV_IOPM 0x204000u   /* 12 KiB */
#define SV_MSRPM 0x208000u  /* 8 KiB */
#define SV_GCODE 0x300000u  /* guest code */
#define SV_GSTACK 0x3f0000u
#define SV_HOSTRAX 0x5a5a0000u

/* control-area and save-area offsets used by the tests (APM Appendix B) */
enum {
	V_ICPT_CR = 0x000, V_ICPT_DR = 0x004, V_ICPT_EXC = 0x008, V_ICPT3 = 0x00c, V_ICPT4 = 0x010,
	V_IOPM = 0x040, V_MSRPM = 0x048, V_TSC_OFF = 0x050, V_ASID = 0x058, V_TLBCTL = 0x05c,
	V_VINTR = 0x060, V_INTSTATE = 0x068, V_EXITCODE = 0x070, V_INFO1 = 0x078, V_INFO2 = 0x080,
	V_INTINFO = 0x088, V_NP = 0x090, V_EVENTINJ = 0x0a8, V_NRIP = 0x0c8,
	V_ES = 0x400, V_CS = 0x410, V_SS = 0x420, V_DS = 0x430, V_FS = 0x440, V_GS = 0x450,
	V_GDTR = 0x460, V_LDTR = 0x470, V_IDTR = 0x480, V_TR = 0x490, V_CPL = 0x4cb,
	V_EFER = 0x4d0, V_CR4 = 0x548, V_CR3 = 0x550, V_CR0 = 0x558, V_DR7 = 0x560, V_DR6 = 0x568,
	V_RFLAGS = 0x570, V_RIP = 0x578, V_RSP = 0x5d8, V_RAX = 0x5f8, V_STAR = 0x600,
	V_LSTAR = 0x608, V_CSTAR = 0x610, V_SFMASK = 0x618, V_KGSBASE = 0x620, V_SYSENTER_CS = 0x628,
	V_SYSENTER_ESP = 0x630, V_SYSENTER_EIP = 0x638, V_CR2 = 0x640, V_GPAT = 0x668
};

static inline void sv_seg(pac_machine *m, uint32_t off, uint16_t sel, uint16_t attr, uint32_t limit,
			  uint64_t base)
{
	st_w16(m, SV_VMCB + off, sel);
	st_w16(m, SV_VMCB + off + 2, attr);
	st_w32(m, SV_VMCB + off + 4, limit);
	st_w64(m, SV_VMCB + off + 8, base);
}
static inline uint64_t sv_r(pac_machine *m, uint32_t off) { return st_r64(m, SV_VMCB + off); }
static inline void sv_w(pac_machine *m, uint32_t off, uint64_t v) { st_w64(m, SV_VMCB + off, v); }

/* A valid 64-bit guest (same flat segments and page tables as the host):
 * intercepts VMRUN, VMMCALL and HLT; ASID 1. */
static inline void sv_vmcb64(pac_machine *m)
{
	uint8_t zero[4096] = { 0 };
	pac_phys_write(m, SV_VMCB, zero, sizeof zero);
	st_w32(m, SV_VMCB + V_ICPT3, 1u << 24);     /* HLT */
	st_w32(m, SV_VMCB + V_ICPT4, 3);            /* VMRUN, VMMCALL */
	sv_w(m, V_IOPM, SV_IOPM);
	sv_w(m, V_MSRPM, SV_MSRPM);
	st_w32(m, SV_VMCB + V_ASID, 1);
	sv_seg(m, V_CS, SEL_C64, 0xa9b, 0xffffffff, 0);
	sv_seg(m, V_SS, SEL_D32, 0xc93, 0xffffffff, 0);
	sv_seg(m, V_DS, SEL_D32, 0xc93, 0xffffffff, 0);
	sv_seg(m, V_ES, SEL_D32, 0xc93, 0xffffffff, 0);
	sv_seg(m, V_GDTR, 0, 0, 0xff, ST_GDT);
	sv_seg(m, V_IDTR, 0, 0, 0xfff, ST_IDT);
	sv_w(m, V_EFER, 0x1d01);
	sv_w(m, V_CR0, 0x80000011);
	sv_w(m, V_CR3, ST_PML4);
	sv_w(m, V_CR4, 0x20);
	sv_w(m, V_DR6, 0xffff0ff0);
	sv_w(m, V_DR7, 0x400);
	sv_w(m, V_RFLAGS, 2);
	sv_w(m, V_RIP, SV_GCODE);
	sv_w(m, V_RSP, SV_GSTACK);
}

/* Host: 64-bit CPL 0 with EFER.SVME and VM_HSAVE_PA set by its own code,
 * RAX = VMCB, VMRUN, then `tail` (default: HLT). */
static const uint8_t sv_host_prologue[] = {
	0xb9, 0x80, 0x00, 0x00, 0xc0,       /* mov ecx, 0xc0000080 */
	0x0f, 0x32,                         /* rdmsr */
	0x0d, 0x00, 0x10, 0x00, 0x00,       /* or eax, 0x1000 (SVME) */
	0x0f, 0x30,                         /* wrmsr */
	0xb9, 0x17, 0x01, 0x01, 0xc0,       /* mov ecx, 0xc0010117 */
	0xb8, 0x00, 0x10, 0x20, 0x00,       /* mov eax, SV_HSAVE */
	0x31, 0xd2,                         /* xor edx, edx */
	0x0f, 0x30,                         /* wrmsr */
	0xb8, 0x00, 0x00, 0x20, 0x00,       /* mov eax, SV_VMCB */
	0x0f, 0x01, 0xd8,                   /* vmrun */
	0xf4,                               /* hlt */
};
#define SV_AFTER_VMRUN (ST_CODE + sizeof sv_host_prologue - 1) /* the HLT */

static inline pac_machine *sv_machine(struct pac_regs *r)
{
	pac_machine *m = st_long64(r);
	sv_vmcb64(m);
	pac_phys_write(m, ST_CODE, sv_host_prologue, sizeof sv_host_prologue);
	return m;
}

/* Runs the host (and its guest) until the host halts; returns the reason. */
static inline enum pac_exit_reason sv_run(pac_machine *m, struct pac_regs *r, const void *guest,
					  size_t glen)
{
	struct pac_exit ex;
	if (glen)
		pac_phys_write(m, SV_GCODE, guest, glen);
	pac_set_regs(m, 0, r);
	pac_run(m, 100000, &ex);
	pac_get_regs(m, 0, r);
	return ex.reason;
}

static inline struct cpu *sv_cpu(pac_machine *m) { return m->cpus[0]; }
#endif
