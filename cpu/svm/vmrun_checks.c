/* SPDX-License-Identifier: MIT */
/* The VMRUN consistency checks of svm_checks.def as predicates on the
 * snapshot taken once by VMRUN (checklist 1.2 TOCTTOU). A predicate returns
 * true when the state is illegal and writes a message naming the values. */
#include <stdio.h>
#include "svm.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"
#include "../exec/crreg.h"
#include "../mmu/mmu.h"

#define S (&s->v.save)
#define CT (&s->v.ctl)
#define PRED(name) static bool name(const struct cpu *c, const struct svm_snapshot *s, char *m, size_t n)
#define MSG(...) (snprintf(m, n, __VA_ARGS__), true)
#define U(x) ((unsigned long long)(x))
#define B(v, bit) (((v) & (bit)) != 0)

PRED(vr01) { (void)c; return !B(S->efer, EFER_SVME) && MSG("EFER=%#llx", U(S->efer)); }
PRED(vr02) { (void)c; return !B(S->cr0, CR0_CD) && B(S->cr0, CR0_NW) && MSG("CR0=%#llx", U(S->cr0)); }
PRED(vr03) { (void)c; return (S->cr0 >> 32) && MSG("CR0=%#llx", U(S->cr0)); }
static bool long_paging(const struct svm_snapshot *s) { return B(S->efer, EFER_LME) && B(S->cr0, CR0_PG); }
/* APPROX: only the long-mode high bits are checked (checklist VR-04 "verify"). */
PRED(vr04)
{
	return long_paging(s) && (S->cr3 >> cpu_phys_bits(c)) && MSG("CR3=%#llx, MAXPHYADDR=%d", U(S->cr3), cpu_phys_bits(c));
}
PRED(vr05)
{
	return (S->cr4 & ~cr4_valid_bits(c)) && MSG("CR4=%#llx, MBZ bits %#llx", U(S->cr4), U(S->cr4 & ~cr4_valid_bits(c)));
}
PRED(vr06) { (void)c; return (S->dr6 >> 32) && MSG("DR6=%#llx", U(S->dr6)); }
PRED(vr07) { (void)c; return (S->dr7 >> 32) && MSG("DR7=%#llx", U(S->dr7)); }
static uint64_t efer_valid(const struct cpu *c)
{
	uint64_t v = EFER_SVME;
	if (cpu_has(c, FEAT_SYSCALL))
		v |= EFER_SCE;
	if (cpu_has(c, FEAT_LM))
		v |= EFER_LME | EFER_LMA;
	if (cpu_has(c, FEAT_NX))
		v |= EFER_NXE;
	if (cpu_has(c, FEAT_FXSR))
		v |= EFER_FFXSR;
	return v;
}
PRED(vr08)
{
	uint64_t bad = S->efer & ~efer_valid(c) & ~(EFER_LME | EFER_LMA);
	return bad && MSG("EFER=%#llx, MBZ bits %#llx", U(S->efer), U(bad));
}
PRED(vr09)
{
	return !cpu_has(c, FEAT_LM) && (S->efer & (EFER_LME | EFER_LMA)) && MSG("EFER=%#llx, no long mode", U(S->efer));
}
PRED(vr10)
{
	(void)c;
	return long_paging(s) && !B(S->cr4, CR4_PAE) && MSG("EFER.LME=1, CR0.PG=1, CR4.PAE=0");
}
PRED(vr11)
{
	(void)c;
	return long_paging(s) && !B(S->cr0, CR0_PE) && MSG("EFER.LME=1, CR0.PG=1, CR0.PE=0");
}
PRED(vr12)
{
	(void)c;
	return long_paging(s) && B(S->cr4, CR4_PAE) && B(S->cs.attr, SA_L) && B(S->cs.attr, SA_DB) &&
	       MSG("EFER.LME=1, CR0.PG=1, CR4.PAE=1, CS.L=1, CS.D=1 (CS.attr=%#x)", S->cs.attr);
}
PRED(vr13)
{
	(void)c;
	return !(CT->icpt_vec4 & (1u << ICPT4_VMRUN)) && MSG("intercept vector 4 = %#x", CT->icpt_vec4);
}
PRED(vr14)
{
	uint64_t b = CT->msrpm_base & ~0xfffull;
	return !svm_pa_range_ok(c, b, 0x2000) && MSG("MSRPM_BASE_PA=%#llx, MAXPHYADDR=%d", U(b), cpu_phys_bits(c));
}
PRED(vr15)
{
	uint64_t b = CT->iopm_base & ~0xfffull;
	return !svm_pa_range_ok(c, b, 0x3000) && MSG("IOPM_BASE_PA=%#llx, MAXPHYADDR=%d", U(b), cpu_phys_bits(c));
}
static unsigned ev_type(uint64_t e) { return (unsigned)((e & EVENT_TYPE_MASK) >> EVENT_TYPE_SHIFT); }
PRED(vr16)
{
	(void)c;
	uint64_t e = CT->eventinj;
	unsigned t = ev_type(e);
	return (e & EVENT_V) && (t == 1 || t >= 5) && MSG("EVENTINJ=%#llx, TYPE=%u", U(e), t);
}
/* vectors that are exceptions (APM Table 8-1) on this model: no #CP (CET)
 * and no #VC (SEV-ES); 2 is NMI (type 2), 9/15/20-29/31 are reserved */
static bool is_exception_vector(unsigned v)
{
	return v < 32 && ((0x400f7dfbu >> v) & 1);
}
PRED(vr17)
{
	(void)c;
	uint64_t e = CT->eventinj;
	unsigned v = (unsigned)(e & EVENT_VECTOR_MASK);
	return (e & EVENT_V) && ev_type(e) == EVTYPE_EXC && !is_exception_vector(v) &&
	       MSG("EVENTINJ=%#llx, vector %u is not an exception", U(e), v);
}
/* APPROX: #BR (the APM's example) and #OF, whose only sources (BOUND,
 * INTO) are #UD in 64-bit mode; the full set is "verify" (Appendix B.4). */
PRED(vr18)
{
	(void)c;
	uint64_t e = CT->eventinj;
	unsigned v = (unsigned)(e & EVENT_VECTOR_MASK);
	bool mode64 = B(S->efer, EFER_LMA) && B(S->cs.attr, SA_L);
	return (e & EVENT_V) && ev_type(e) == EVTYPE_EXC && mode64 && (v == EXC_BR || v == EXC_OF) &&
	       MSG("EVENTINJ=%#llx, vector %u in 64-bit mode", U(e), v);
}
PRED(vr19) { (void)c; return CT->asid == 0 && MSG("ASID=0"); }
PRED(vr29)
{
	if (!s->pae_legacy)
		return false;
	for (int i = 0; i < 4; i++)
		if ((s->pdpte[i] & 1) && (s->pdpte[i] & mmu_pdpte_rsvd(c)))
			return MSG("PDPE%d=%#llx (CR3=%#llx)", i, U(s->pdpte[i]), U(S->cr3));
	return false;
}

const struct svm_check svm_checks[] = {
#define VR(id, apm, fn, desc) { id, apm, desc, fn, NULL },
#define VR_NA(id, apm, desc, why) { id, apm, desc, NULL, why },
#include "svm_checks.def"
#undef VR
#undef VR_NA
};
const unsigned svm_nchecks = sizeof svm_checks / sizeof svm_checks[0];

const struct svm_check *svm_run_checks(const struct cpu *c, const struct svm_snapshot *s, char *msg,
				       size_t n)
{
	for (unsigned i = 0; i < svm_nchecks; i++) {
		const struct svm_check *k = &svm_checks[i];
		if (k->illegal && k->illegal(c, s, msg, n))
			return k;
	}
	return NULL;
}
