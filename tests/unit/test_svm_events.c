/* SPDX-License-Identifier: MIT */
/* Event injection of each type (APM 15.20), EXITINTINFO (15.7.2), GIF and
 * NMI (15.17), VMLOAD/VMSAVE of every field (15.5.2), TLB_CONTROL and ASID
 * tagging (15.16), TSC offset, interrupt shadow write-back. */
#include "test_svm_harness.h"

#define EV_V 0x80000000ull
#define FRAME64 40 /* SS, RSP, RFLAGS, CS, RIP */

static uint64_t stack_at(pac_machine *m, unsigned i) { return st_r64(m, sv_r(m, V_RSP) + 8 * i); }

/* Guest code never runs: the injected event goes through the guest IDT to
 * the HLT stub of its vector, whose HLT exits. */
static pac_machine *inject(uint64_t eventinj, struct pac_regs *r)
{
	pac_machine *m = sv_machine(r);
	sv_w(m, V_EVENTINJ, eventinj);
	static const uint8_t g[] = { 0x90, 0x0f, 0x01, 0xd9 };
	sv_run(m, r, g, sizeof g);
	return m;
}

static void t_inject(void)
{
	struct pac_regs r;
	pac_machine *m = inject(EV_V | 0x30, &r); /* INTR 30h */
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x78, "INTR: handler HLT exits");
	CHECK_EQ(sv_r(m, V_RIP), st_handler(0x30), "INTR: vector 30h");
	CHECK_EQ(sv_r(m, V_RSP), SV_GSTACK - FRAME64, "INTR: no error code");
	CHECK_EQ(stack_at(m, 0), SV_GCODE, "INTR: return RIP = guest RIP");
	CHECK_EQ(sv_r(m, V_EVENTINJ) & EV_V, 0, "EVENTINJ.V cleared by #VMEXIT");
	CHECK_EQ(sv_r(m, V_INTINFO), 0, "no EXITINTINFO");
	pac_destroy(m);

	m = inject(EV_V | (2u << 8) | 0x55, &r); /* NMI: vector ignored */
	CHECK_EQ(sv_r(m, V_RIP), st_handler(2), "NMI: vector 2");
	pac_destroy(m);

	m = inject(EV_V | (3u << 8) | (1u << 11) | 13 | (0x1234ull << 32), &r); /* #GP(1234h) */
	CHECK_EQ(sv_r(m, V_RIP), st_handler(13), "#GP: vector 13");
	CHECK_EQ(sv_r(m, V_RSP), SV_GSTACK - FRAME64 - 8, "#GP: error code pushed");
	CHECK_EQ(stack_at(m, 0), 0x1234, "#GP: error code");
	CHECK_EQ(stack_at(m, 1), SV_GCODE, "#GP: return RIP");
	pac_destroy(m);

	m = sv_machine(&r); /* INT 80h: return address = NRIP from the VMCB */
	sv_w(m, V_EVENTINJ, EV_V | (4u << 8) | 0x80);
	sv_w(m, V_NRIP, SV_GCODE + 2);
	sv_run(m, &r, "\xcd\x80", 2);
	CHECK_EQ(sv_r(m, V_RIP), st_handler(0x80), "INTn: vector");
	CHECK_EQ(stack_at(m, 0), SV_GCODE + 2, "INTn: return RIP = NRIP");
	pac_destroy(m);

	m = sv_machine(&r); /* injected #UD is not itself intercepted */
	st_w32(m, SV_VMCB + V_ICPT_EXC, 1u << 6);
	sv_w(m, V_EVENTINJ, EV_V | (3u << 8) | 6);
	sv_run(m, &r, "\x90", 1);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x78, "injected #UD delivered despite the #UD intercept");
	CHECK_EQ(sv_r(m, V_RIP), st_handler(6), "... to the guest's handler");
	pac_destroy(m);
}

/* A #GP while delivering an injected INTR (IDT limit too small), with #GP
 * intercepted: EXITINTINFO holds the interrupted event. */
static void t_exitintinfo(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	st_w32(m, SV_VMCB + V_ICPT_EXC, 1u << 13);
	sv_seg(m, V_IDTR, 0, 0, 0x2ff, ST_IDT);
	sv_w(m, V_EVENTINJ, EV_V | 0x40);
	sv_run(m, &r, "\x90", 1);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x4d, "#VMEXIT(#GP)");
	CHECK_EQ(sv_r(m, V_INFO1), 0x40 * 8 + 2 + 1, "#GP error code: IDT, EXT");
	CHECK_EQ(sv_r(m, V_INTINFO), EV_V | 0x40, "EXITINTINFO = the injected INTR");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE, "guest RIP unchanged");
	pac_destroy(m);

	/* a guest INT 41h that faults (#GP) is reported as type 4 */
	m = sv_machine(&r);
	st_w32(m, SV_VMCB + V_ICPT_EXC, 1u << 13);
	sv_seg(m, V_IDTR, 0, 0, 0x2ff, ST_IDT);
	sv_run(m, &r, "\xcd\x41", 2);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x4d, "INT 41h: #VMEXIT(#GP)");
	CHECK_EQ(sv_r(m, V_INFO1), 0x41 * 8 + 2, "#GP error code: IDT, not EXT");
	CHECK_EQ(sv_r(m, V_INTINFO), EV_V | (4u << 8) | 0x41, "EXITINTINFO: software interrupt");
	pac_destroy(m);
}

/* Host: SVME, HSAVE, CLGI (GIF = 0) | VMRUN, STGI, HLT */
static const uint8_t host_gif[] = {
	0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x0d, 0x00, 0x10, 0x00, 0x00, 0x0f, 0x30,
	0xb9, 0x17, 0x01, 0x01, 0xc0, 0xb8, 0x00, 0x10, 0x20, 0x00, 0x31, 0xd2, 0x0f, 0x30,
	0x0f, 0x01, 0xdd,             /* clgi (9th instruction) */
	0xb8, 0x00, 0x00, 0x20, 0x00, /* mov eax, SV_VMCB */
	0x0f, 0x01, 0xd8,             /* vmrun */
	0x0f, 0x01, 0xdc,             /* stgi */
	0xf4,
};

static pac_machine *gif_run(bool nmi_intercept, struct pac_regs *r, struct tm_events *ev)
{
	pac_machine *m = sv_machine(r);
	if (nmi_intercept)
		st_w32(m, SV_VMCB + V_ICPT3, (1u << 24) | (1u << 1));
	pac_phys_write(m, ST_CODE, host_gif, sizeof host_gif);
	pac_phys_write(m, SV_GCODE, "\x90\x0f\x01\xd9", 4);
	tm_watch_events(m, ev);
	struct pac_exit ex;
	pac_set_regs(m, 0, r);
	pac_run(m, 9, &ex);
	CHECK(!sv_cpu(m)->svm.gif, "CLGI: GIF = 0");
	pac_raise_nmi(m, 0);
	pac_run(m, 1000, &ex);
	pac_get_regs(m, 0, r);
	return m;
}

static void t_gif(void)
{
	struct pac_regs r;
	struct tm_events ev;
	pac_machine *m = gif_run(false, &r, &ev);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x78, "NMI held at GIF = 0, taken in the guest");
	CHECK_EQ(sv_r(m, V_RIP), st_handler(2), "... through the guest IDT");
	CHECK_EQ(r.rip, ST_CODE + sizeof host_gif, "host: STGI, HLT");
	pac_destroy(m);

	m = gif_run(true, &r, &ev);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x61, "#VMEXIT(NMI)");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE, "before the first guest instruction");
	CHECK_EQ(r.rip, st_handler(2) + 1, "host takes the NMI after STGI");
	pac_destroy(m);

	/* STGI/CLGI: #UD without EFER.SVME, #GP at CPL 3 */
	m = sv_machine(&r);
	tm_watch_events(m, &ev);
	tm_run(m, &r, "\x0f\x01\xdd\xf4", 4, ST_CODE);
	CHECK_EQ(ev.vector[0], 6, "CLGI without SVME: #UD");
	pac_destroy(m);
	m = sv_machine(&r);
	tm_watch_events(m, &ev);
	r.efer |= 0x1000;
	st_user64(&r);
	tm_run(m, &r, "\x0f\x01\xdc\xf4", 4, ST_CODE);
	CHECK_EQ(ev.vector[0], 13, "STGI at CPL 3: #GP");
	pac_destroy(m);
}

/* VMLOAD then VMSAVE to another page: every field round-trips */
static void t_vmload_vmsave(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	const uint32_t src = SV_VMCB2, dst = 0x203000;
	uint8_t zero[4096] = { 0 };
	pac_phys_write(m, src, zero, sizeof zero);
	pac_phys_write(m, dst, zero, sizeof zero);
	const struct { uint32_t off; uint16_t sel, attr; uint32_t limit; uint64_t base; } segs[] = {
		{ V_FS, 0x10, 0xc93, 0xfffff, 0x1234000 },
		{ V_GS, 0x23, 0xcf3, 0xffffffff, 0xffff800000001000ull },
		{ V_TR, 0x28, 0x08b, 0x67, 0x3000 },
		{ V_LDTR, 0x60, 0x082, 0x1ff, 0x5000 },
	};
	for (unsigned i = 0; i < 4; i++) {
		st_w16(m, src + segs[i].off, segs[i].sel);
		st_w16(m, src + segs[i].off + 2, segs[i].attr);
		st_w32(m, src + segs[i].off + 4, segs[i].limit);
		st_w64(m, src + segs[i].off + 8, segs[i].base);
	}
	static const uint32_t msr_off[] = { V_STAR, V_LSTAR, V_CSTAR, V_SFMASK, V_KGSBASE,
					    V_SYSENTER_CS, V_SYSENTER_ESP, V_SYSENTER_EIP };
	static const uint32_t msr_idx[] = { 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102,
					    0x174, 0x175, 0x176 };
	for (unsigned i = 0; i < 8; i++)
		st_w64(m, src + msr_off[i], 0x1000 + i * 0x111);
	/* SVME; mov eax, src; vmload; mov eax, dst; vmsave; hlt */
	static const uint8_t host[] = { 0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x0d, 0x00, 0x10, 0x00,
					0x00, 0x0f, 0x30, 0xb8, 0x00, 0x20, 0x20, 0x00, 0x0f, 0x01, 0xda,
					0xb8, 0x00, 0x30, 0x20, 0x00, 0x0f, 0x01, 0xdb, 0xf4 };
	tm_run(m, &r, host, sizeof host, ST_CODE);
	pac_get_regs(m, 0, &r);
	CHECK(r.seg[PAC_FS].sel == 0x10 && r.seg[PAC_FS].base == 0x1234000 && r.seg[PAC_FS].limit == 0xfffff,
	      "VMLOAD FS");
	CHECK(r.seg[PAC_GS].sel == 0x23 && r.seg[PAC_GS].base == 0xffff800000001000ull &&
	      r.seg[PAC_GS].attr == 0xcf3, "VMLOAD GS");
	CHECK(r.tr.sel == 0x28 && r.tr.base == 0x3000 && r.tr.limit == 0x67 && r.tr.attr == 0x8b, "VMLOAD TR");
	CHECK(r.ldtr.sel == 0x60 && r.ldtr.base == 0x5000 && r.ldtr.limit == 0x1ff, "VMLOAD LDTR");
	for (unsigned i = 0; i < 8; i++) {
		uint64_t v = 0;
		pac_get_msr(m, 0, msr_idx[i], &v);
		CHECK(v == 0x1000 + i * 0x111, "VMLOAD MSR %#x = %#llx", msr_idx[i], (unsigned long long)v);
		CHECK_EQ(st_r64(m, dst + msr_off[i]), 0x1000 + i * 0x111, "VMSAVE MSR");
	}
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(st_r16(m, dst + segs[i].off), segs[i].sel, "VMSAVE sel");
		CHECK_EQ(st_r16(m, dst + segs[i].off + 2), segs[i].attr, "VMSAVE attr");
		CHECK_EQ(st_r32(m, dst + segs[i].off + 4), segs[i].limit, "VMSAVE limit");
		CHECK_EQ(st_r64(m, dst + segs[i].off + 8), segs[i].base, "VMSAVE base");
	}
	CHECK_EQ(st_r64(m, dst + V_RIP), 0, "VMSAVE writes nothing else");
	pac_destroy(m);
}

/* TLB_CONTROL (15.16.1): planted entries of ASIDs 1 and 2 */
static void t_tlb_control(void)
{
	static const struct { uint8_t ctl; bool a1, a1g, a2; } cases[] = {
		{ 0, true, true, true }, { 1, false, false, false },
		{ 3, false, false, true }, { 7, false, true, true },
	};
	for (unsigned i = 0; i < 4; i++) {
		struct pac_regs r;
		pac_machine *m = sv_machine(&r);
		struct cpu *c = sv_cpu(m);
		st_w64(m, SV_VMCB + V_TLBCTL, cases[i].ctl);
		/* no EFER write in the host (it would flush): SVME and HSAVE preset */
		static const uint8_t host[] = { 0xb8, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8, 0xf4 };
		pac_phys_write(m, ST_CODE, host, sizeof host);
		pac_phys_write(m, SV_GCODE, "\x0f\x01\xd9", 3);
		pac_set_msr(m, 0, 0xc0010117, SV_HSAVE);
		r.efer |= 0x1000;
		pac_set_regs(m, 0, &r);
		c->tlb[7] = (struct tlb_entry){ .tag = 8, .asid = 1 };
		c->tlb[8] = (struct tlb_entry){ .tag = 9, .asid = 1, .global = 1 };
		c->tlb[9] = (struct tlb_entry){ .tag = 10, .asid = 2 };
		struct pac_exit ex;
		pac_run(m, 1000, &ex);
		CHECK(sv_r(m, V_EXITCODE) == 0x81, "TLB_CONTROL %u runs", cases[i].ctl);
		CHECK((c->tlb[7].tag != 0) == cases[i].a1, "TLB_CONTROL %u: ASID 1 entry", cases[i].ctl);
		CHECK((c->tlb[8].tag != 0) == cases[i].a1g, "TLB_CONTROL %u: ASID 1 global", cases[i].ctl);
		CHECK((c->tlb[9].tag != 0) == cases[i].a2, "TLB_CONTROL %u: ASID 2 entry", cases[i].ctl);
		pac_destroy(m);
	}
}

/* TSC_OFFSET applies in the guest only; STI shadow is written back */
static void t_tsc_shadow(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	sv_w(m, V_TSC_OFF, 1ull << 40);
	/* host tail after VMRUN: rdtsc; shl rdx, 32; or rax, rdx; hlt */
	static const uint8_t tail[] = { 0x0f, 0x31, 0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09, 0xd0, 0xf4 };
	pac_phys_write(m, SV_AFTER_VMRUN, tail, sizeof tail);
	/* guest: rdtsc; shl rdx, 32; or rax, rdx; sti; vmmcall */
	static const uint8_t g[] = { 0x0f, 0x31, 0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09, 0xd0, 0xfb, 0x0f, 0x01, 0xd9 };
	sv_run(m, &r, g, sizeof g);
	uint64_t gt = sv_r(m, V_RAX), ht = r.gpr[PAC_RAX];
	CHECK(gt >= (1ull << 40) && ht < (1ull << 40) && gt - (1ull << 40) <= ht,
	      "guest TSC = host TSC + offset (guest %#llx, host %#llx)", (unsigned long long)gt,
	      (unsigned long long)ht);
	CHECK_EQ(sv_r(m, V_INTSTATE), 1, "VMMCALL right after STI: INTERRUPT_SHADOW = 1");
	CHECK_EQ(sv_r(m, V_RFLAGS) & 0x200, 0x200, "guest IF saved");
	pac_destroy(m);
}

int main(void)
{
	t_inject();
	t_exitintinfo();
	t_gif();
	t_vmload_vmsave();
	t_tlb_control();
	t_tsc_shadow();
	return test_done("test_svm_events");
}
