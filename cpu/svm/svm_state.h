/* SPDX-License-Identifier: MIT */
/* SVM state kept in struct cpu (c->svm). Included by cpu/core/cpu.h; only
 * cpu/svm/ writes it. */
#ifndef PAC_SVM_STATE_H
#define PAC_SVM_STATE_H
#include <stdbool.h>
#include <stdint.h>
#include "vmcb.h"

/* Host state saved by VMRUN. The hidden copy below is what #VMEXIT
 * reloads; the same values are also written to the VM_HSAVE_PA page in
 * VMCB save-area layout (implementation-defined format, never read back:
 * APM 15.30.4). hPAT is not part of it: VMRUN never touches hPAT. */
struct svm_seg { uint16_t sel, attr; uint32_t limit; uint64_t base; };
struct svm_host_state {
	struct svm_seg es, cs, ss, ds;
	uint64_t gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	uint64_t cr0, cr3, cr4, efer, rflags, rip, rsp, rax;
};

struct svm_state {
	bool guest;            /* an L2 runs (guest mode) */
	bool gif;              /* global interrupt flag (APM 15.17) */
	bool injecting;        /* VMRUN is delivering EVENTINJ */
	uint64_t vmcb_pa;      /* VMCB of the running guest */
	struct vmcb_ctrl ctl;  /* control area cached at VMRUN (TOCTTOU-free) */
	struct svm_host_state host;
	/* pending #VMEXIT recorded by svm_vmexit_raise() */
	uint64_t exit_code, exit_info1, exit_info2, exit_int_info, exit_nrip;
	/* last failed VMRUN consistency check: "VR-nn" and its message */
	const char *last_failed_check;
	char last_failed_msg[160];
	uint64_t vmruns, vmexits;
};
#endif
