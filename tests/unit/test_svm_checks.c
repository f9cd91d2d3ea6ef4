/* SPDX-License-Identifier: MIT */
/* One test per VMRUN consistency check (checklist 1.3, APM 15.5.1): a VMCB
 * that violates exactly that check gives #VMEXIT(VMEXIT_INVALID) with the
 * check recorded, EXITINFO1/2 = 0, the host resuming after VMRUN with
 * GIF = 0; the valid neighbour runs to its VMMCALL. Also the VMRUN
 * instruction checks VP-1..VP-4. */
#include "test_svm_harness.h"
#include "svm/svm.h"

static const uint8_t g_vmmcall[] = { 0x0f, 0x01, 0xd9 };

typedef void (*mutate_fn)(pac_machine *m);

/* Runs the valid VMCB with `bad` applied; checks the INVALID outcome. */
static void expect_invalid(const char *id, mutate_fn bad)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	bad(m);
	sv_w(m, V_INFO1, 0x1111);
	sv_w(m, V_INFO2, 0x2222);
	sv_run(m, &r, g_vmmcall, sizeof g_vmmcall);
	struct cpu *c = sv_cpu(m);
	CHECK_EQ(sv_r(m, V_EXITCODE), ~0ull, id);
	CHECK(c->svm.last_failed_check && !strcmp(c->svm.last_failed_check, id), "%s: recorded %s (%s)", id,
	      c->svm.last_failed_check ? c->svm.last_failed_check : "none", c->svm.last_failed_msg);
	CHECK(sv_r(m, V_INFO1) == 0 && sv_r(m, V_INFO2) == 0, "%s: EXITINFO1/2 = 0", id);
	CHECK(r.rip == SV_AFTER_VMRUN + 1 && r.gpr[PAC_RAX] == SV_VMCB, "%s: host resumes after VMRUN", id);
	CHECK(!c->svm.gif && !c->svm.guest, "%s: GIF = 0, host mode", id);
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE, "guest state not written back");
	pac_destroy(m);
}

/* The neighbour: same VMCB with `ok` applied runs the guest. */
static void expect_runs(const char *what, mutate_fn ok)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	if (ok)
		ok(m);
	sv_run(m, &r, g_vmmcall, sizeof g_vmmcall);
	CHECK(sv_r(m, V_EXITCODE) == 0x81, "%s: valid neighbour runs (exit %#llx, %s)", what,
	      (unsigned long long)sv_r(m, V_EXITCODE),
	      sv_cpu(m)->svm.last_failed_check ? sv_cpu(m)->svm.last_failed_check : "-");
	pac_destroy(m);
}

#define MUT(name, body) static void name(pac_machine *m) { body; }
MUT(vr01, sv_w(m, V_EFER, 0x0d01))
MUT(vr02, sv_w(m, V_CR0, 0x80000011u | (1u << 29)))
MUT(vr02_ok, sv_w(m, V_CR0, 0xe0000011u))
MUT(vr03, sv_w(m, V_CR0, 0x80000011u | (1ull << 32)))
MUT(vr04, sv_w(m, V_CR3, ST_PML4 | (1ull << 52)))
MUT(vr05, sv_w(m, V_CR4, 0x20 | (1ull << 32)))
MUT(vr05b, sv_w(m, V_CR4, 0x20 | (1ull << 15)))
MUT(vr06, sv_w(m, V_DR6, 0xffff0ff0 | (1ull << 32)))
MUT(vr07, sv_w(m, V_DR7, 0x400 | (1ull << 40)))
MUT(vr08, sv_w(m, V_EFER, 0x1d01 | (1u << 13)))
MUT(vr08b, sv_w(m, V_EFER, 0x1d01 | (1ull << 32)))
MUT(vr10, sv_w(m, V_CR4, 0))
MUT(vr11, sv_w(m, V_CR0, 0x80000010u))
MUT(vr12, sv_seg(m, V_CS, SEL_C64, 0xe9b, 0xffffffff, 0))
MUT(vr12_ok, sv_seg(m, V_CS, SEL_C64, 0xa9b, 0xffffffff, 0))
MUT(vr13, st_w32(m, SV_VMCB + V_ICPT4, 2))
MUT(vr14, sv_w(m, V_MSRPM, (1ull << 48) - 0x1000))
MUT(vr14_ok, sv_w(m, V_MSRPM, (1ull << 48) - 0x2000 + 0xfff))
MUT(vr15, sv_w(m, V_IOPM, (1ull << 48) - 0x2000))
MUT(vr15_ok, sv_w(m, V_IOPM, (1ull << 48) - 0x3000))
MUT(vr16, sv_w(m, V_EVENTINJ, 0x80000000u | (1u << 8) | 0x30))
MUT(vr16b, sv_w(m, V_EVENTINJ, 0x80000000u | (6u << 8) | 0x30))
MUT(vr17, sv_w(m, V_EVENTINJ, 0x80000000u | (3u << 8) | 2))
MUT(vr17b, sv_w(m, V_EVENTINJ, 0x80000000u | (3u << 8) | 9))
MUT(vr17c, sv_w(m, V_EVENTINJ, 0x80000000u | (3u << 8) | 32))
MUT(vr18, sv_w(m, V_EVENTINJ, 0x80000000u | (3u << 8) | 5))
MUT(vr19, st_w32(m, SV_VMCB + V_ASID, 0))
MUT(ok_eventinj_invalid_ignored, sv_w(m, V_EVENTINJ, (6u << 8) | 2))
MUT(ok_np_ignored, sv_w(m, V_NP, 1); sv_w(m, V_GPAT, 0x0808080808080808ull))

static void t_table(void)
{
	static const struct { const char *id; mutate_fn bad; } cases[] = {
		{ "VR-01", vr01 }, { "VR-02", vr02 }, { "VR-03", vr03 }, { "VR-04", vr04 },
		{ "VR-05", vr05 }, { "VR-05", vr05b }, { "VR-06", vr06 }, { "VR-07", vr07 },
		{ "VR-08", vr08 }, { "VR-08", vr08b }, { "VR-10", vr10 }, { "VR-11", vr11 },
		{ "VR-12", vr12 }, { "VR-13", vr13 }, { "VR-14", vr14 }, { "VR-15", vr15 },
		{ "VR-16", vr16 }, { "VR-16", vr16b }, { "VR-17", vr17 }, { "VR-17", vr17b },
		{ "VR-17", vr17c }, { "VR-18", vr18 }, { "VR-19", vr19 },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_invalid(cases[i].id, cases[i].bad);
	expect_runs("base", NULL);
	expect_runs("VR-02 CD=1,NW=1", vr02_ok);
	expect_runs("VR-12 CS.L=1,CS.D=0", vr12_ok);
	expect_runs("VR-14 last legal MSRPM", vr14_ok);
	expect_runs("VR-15 last legal IOPM", vr15_ok);
	expect_runs("EVENTINJ.V=0 ignores TYPE", ok_eventinj_invalid_ignored);
	expect_runs("NP_ENABLE/G_PAT ignored without NP (GP-01)", ok_np_ignored);
}

/* VR-09: a model without long mode (zen4 -lm), 32-bit protected host. */
static void t_vr09(void)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1, .cpu_model = "zen4", .cpu_features = "-lm" };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	CHECK(m != NULL, "zen4 -lm");
	if (!m)
		return;
	pac_map_ram(m, 0, TM_RAM, NULL);
	struct pac_regs r;
	st_tables(m);
	tm_prot32(m, &r, ST_CODE);
	r.gdtr = (struct pac_dtr){ ST_GDT, 0xff };
	r.idtr = (struct pac_dtr){ ST_IDT, 0x7ff };
	r.efer = 0x1000;
	sv_vmcb64(m);
	sv_seg(m, V_CS, SEL_C32, 0xc9b, 0xffffffff, 0);
	sv_w(m, V_CR0, 0x11);
	sv_w(m, V_CR4, 0);
	sv_w(m, V_EFER, 0x1100); /* SVME | LME */
	static const uint8_t host[] = { 0xb8, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8, 0xf4 };
	pac_phys_write(m, SV_GCODE, g_vmmcall, sizeof g_vmmcall);
	pac_set_msr(m, 0, 0xc0010117, SV_HSAVE);
	tm_run(m, &r, host, sizeof host, ST_CODE);
	CHECK_EQ(sv_r(m, V_EXITCODE), ~0ull, "VR-09 exit");
	const char *id = sv_cpu(m)->svm.last_failed_check;
	CHECK(id && !strcmp(id, "VR-09"), "VR-09 recorded (%s)", id ? id : "none");
	sv_w(m, V_EFER, 0x1000);
	tm_run(m, &r, host, sizeof host, ST_CODE);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "VR-09 neighbour (EFER.LME=0) runs a 32-bit guest");
	pac_destroy(m);
}

/* VR-29: legacy-PAE guest, PDPT at 0x210000, PD at 0x211000 (2 MiB pages). */
static void pae_guest(pac_machine *m, uint64_t pdpte0)
{
	st_w64(m, 0x210000, pdpte0);
	for (unsigned i = 1; i < 4; i++)
		st_w64(m, 0x210000 + 8 * i, 0);
	for (unsigned i = 0; i < 8; i++)
		st_w64(m, 0x211000 + 8 * i, ((uint64_t)i << 21) | 0x83);
	sv_seg(m, V_CS, SEL_C32, 0xc9b, 0xffffffff, 0);
	sv_w(m, V_EFER, 0x1000);
	sv_w(m, V_CR3, 0x210000);
}
MUT(vr29, pae_guest(m, 0x211000 | 1 | 2))
MUT(vr29b, pae_guest(m, 0x211000 | 1 | (1ull << 50)))
MUT(vr29_ok, pae_guest(m, 0x211000 | 1))
MUT(vr29_ok_notpresent, pae_guest(m, 0x211000 | 1); st_w64(m, 0x210008, 0xfffffffffffffffeull))

static void t_vr29(void)
{
	expect_invalid("VR-29", vr29);
	expect_invalid("VR-29", vr29b);
	expect_runs("VR-29 valid PDPEs", vr29_ok);
	expect_runs("VR-29 reserved bits in a not-present PDPE", vr29_ok_notpresent);
}

/* the log line names the check ("VMRUN failed VR-10: ...") */
static void t_message(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	vr10(m);
	sv_run(m, &r, g_vmmcall, sizeof g_vmmcall);
	CHECK(!strcmp(sv_cpu(m)->svm.last_failed_msg, "EFER.LME=1, CR0.PG=1, CR4.PAE=0"), "message: '%s'",
	      sv_cpu(m)->svm.last_failed_msg);
	/* a later successful VMRUN clears the record */
	sv_w(m, V_CR4, 0x20);
	r.rip = ST_CODE;
	r.gpr[PAC_RSP] = ST_STACK0;
	sv_run(m, &r, NULL, 0);
	CHECK(sv_cpu(m)->svm.last_failed_check == NULL && sv_r(m, V_EXITCODE) == 0x81, "cleared on success");
	pac_destroy(m);
}

/* VP-1..VP-4: exceptions before the intercept / world switch */
static int vmrun_fault(void (*setup)(pac_machine *m, struct pac_regs *r), const uint8_t *code, size_t n)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	struct tm_events ev;
	tm_watch_events(m, &ev);
	pac_set_msr(m, 0, 0xc0010117, SV_HSAVE);
	r.efer |= 0x1000;
	if (setup)
		setup(m, &r);
	tm_run(m, &r, code, n, ST_CODE);
	int v = ev.vector[0];
	CHECK(sv_cpu(m)->svm.vmruns == 0, "no world switch");
	pac_destroy(m);
	return v;
}
static void no_svme(pac_machine *m, struct pac_regs *r) { (void)m; r->efer &= ~0x1000ull; }
static void cpl3(pac_machine *m, struct pac_regs *r) { (void)m; st_user64(r); }

static void t_vp(void)
{
	static const uint8_t ok[] = { 0xb8, 0x00, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8, 0xf4 };
	static const uint8_t unaligned[] = { 0xb8, 0x10, 0x00, 0x20, 0x00, 0x0f, 0x01, 0xd8, 0xf4 };
	/* mov rax, 1 << 48; vmrun */
	static const uint8_t beyond[] = { 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 1, 0, 0x0f, 0x01, 0xd8, 0xf4 };
	/* 67 prefix: EAX (address size 32) is used, high half of RAX ignored */
	static const uint8_t a32[] = { 0x48, 0xb8, 0, 0, 0x20, 0, 0, 0, 1, 0, 0x67, 0x0f, 0x01, 0xd8, 0xf4 };
	CHECK_EQ(vmrun_fault(no_svme, ok, sizeof ok), 6, "VP-1 EFER.SVME=0: #UD");
	CHECK_EQ(vmrun_fault(cpl3, ok, sizeof ok), 13, "VP-2 CPL 3: #GP");
	CHECK_EQ(vmrun_fault(no_svme, unaligned, sizeof unaligned), 6, "VP-1 before VP-3");
	CHECK_EQ(vmrun_fault(NULL, unaligned, sizeof unaligned), 13, "VP-3 unaligned rAX: #GP");
	CHECK_EQ(vmrun_fault(NULL, beyond, sizeof beyond), 13, "VP-3 rAX >= 2^MAXPHYADDR: #GP");
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	pac_phys_write(m, SV_GCODE, g_vmmcall, sizeof g_vmmcall);
	pac_set_msr(m, 0, 0xc0010117, SV_HSAVE);
	r.efer |= 0x1000;
	tm_run(m, &r, a32, sizeof a32, ST_CODE);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x81, "VP-3 rAX masked to the address size (67h)");
	pac_destroy(m);
	/* VP-1: real mode #UD */
	m = tm_new();
	struct tm_events ev;
	tm_watch_events(m, &ev);
	tm_real(m, &r, 0x1000);
	r.efer = 0x1000;
	static const uint8_t real[] = { 0x0f, 0x01, 0xd8, 0xf4 };
	tm_run(m, &r, real, sizeof real, 0x1000);
	CHECK_EQ(ev.vector[0], 6, "VP-1 real mode: #UD");
	pac_destroy(m);
}

/* VP-4: VMRUN in the guest is intercepted (VR-13 forces the bit) */
static void t_vp4(void)
{
	struct pac_regs r;
	pac_machine *m = sv_machine(&r);
	/* guest: mov eax, 0x202000; vmrun */
	static const uint8_t g[] = { 0xb8, 0x00, 0x20, 0x20, 0x00, 0x0f, 0x01, 0xd8 };
	sv_run(m, &r, g, sizeof g);
	CHECK_EQ(sv_r(m, V_EXITCODE), 0x80, "#VMEXIT(VMRUN)");
	CHECK_EQ(sv_r(m, V_RIP), SV_GCODE + 5, "guest RIP = VMRUN");
	CHECK_EQ(sv_r(m, V_NRIP), SV_GCODE + 8, "NRIP");
	CHECK_EQ(sv_r(m, V_RAX), 0x202000, "guest RAX");
	pac_destroy(m);
}

/* the tables themselves: 29 checks in ID order, N/A rows carry a reason;
 * exit names come from svm_exit.def */
static void t_rows(void)
{
	CHECK_EQ(svm_nchecks, 29, "VR-01..VR-29");
	int na = 0;
	for (unsigned i = 0; i < svm_nchecks; i++) {
		char id[16];
		snprintf(id, sizeof id, "VR-%02u", i + 1);
		const struct svm_check *k = &svm_checks[i];
		CHECK(!strcmp(k->id, id) && k->apm && k->desc, "row %u is %s", i, id);
		CHECK((k->illegal == NULL) == (k->not_applicable != NULL), "%s: predicate xor reason", id);
		na += k->illegal == NULL;
	}
	CHECK_EQ(na, 9, "not applicable: CET (3), SEV-ES, NP (3), vNMI, SSS");
	CHECK(!strcmp(svm_exit_name(0x81), "VMMCALL") && !strcmp(svm_exit_name(~0ull), "INVALID") &&
	      !strcmp(svm_exit_name(0x4e), "EXCP14") && !strcmp(svm_exit_name(0x13), "CR3_WRITE") &&
	      !strcmp(svm_exit_name(0x400), "NPF") && !strcmp(svm_exit_name(0x5555), "UNKNOWN"),
	      "exit names");
}

int main(void)
{
	t_rows();
	t_table();
	t_vr09();
	t_vr29();
	t_message();
	t_vp();
	t_vp4();
	return test_done("test_svm_checks");
}
