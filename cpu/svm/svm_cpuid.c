/* SPDX-License-Identifier: MIT */
/* CPUID Fn8000_000A (APM vol. 3, E.4.9; checklist 5): exactly what the SVM
 * unit implements. */
#include "svm.h"
#include "../cpuid/cpuid.h"
#include "../decode/insn.h"

#define SVM_REVISION 1
#define EDX_NRIPS (1u << 3)       /* NRIP saved on #VMEXIT */
#define EDX_VMCBCLEAN (1u << 5)   /* clean bits: honoured by reloading everything */
#define EDX_FLUSHBYASID (1u << 6) /* TLB_CONTROL 3 and 7 */

void svm_cpuid_leaf(const struct cpu *c, uint32_t o[4])
{
	if (!cpu_has(c, FEAT_SVM))
		return;
	o[0] = SVM_REVISION;
	o[1] = SVM_NASID;
	o[2] = 0;
	o[3] = EDX_NRIPS | EDX_VMCBCLEAN | EDX_FLUSHBYASID;
}

/* ASIDs 1..NASID-1 tag the TLB as they are; ASID 0 is the host's.
 * APPROX: larger ASIDs (undefined, APM 15.16) fold into 1..7FFFh. */
uint16_t svm_asid_tag(uint32_t asid)
{
	if (asid < SVM_NASID)
		return (uint16_t)asid;
	return (uint16_t)(asid % (SVM_NASID - 1) + 1);
}
