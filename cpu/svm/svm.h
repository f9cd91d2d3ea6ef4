/* SPDX-License-Identifier: MIT */
/* The SVM unit's interface to the rest of cpu/ (DESIGN "SVM unit"). Every
 * call site outside cpu/svm/ is a greppable svm_* hook. */
#ifndef PAC_SVM_H
#define PAC_SVM_H
#include "../core/cpu.h"
#include "vmcb.h"

enum svm_exit_code {
#define EXIT(name, code) SVM_EXIT_##name = (code),
#include "svm_exit.def"
#undef EXIT
};
const char *svm_exit_name(uint64_t code);

/* ---- #VMEXIT (vmexit.c) ---- */
/* Record a #VMEXIT and unwind to cpu_step (DESIGN rule 7); step.c rolls
 * back to the intercepted instruction and calls svm_vmexit(). NRIP is the
 * next sequential RIP (c->next_rip). */
_Noreturn void svm_vmexit_raise(struct cpu *c, uint64_t code, uint64_t info1, uint64_t info2);
/* The world switch back to the host (APM 15.6): writes the exit fields
 * recorded in c->svm, saves the guest state, reloads the host. */
void svm_vmexit(struct cpu *c, bool save_guest);

/* ---- intercept hooks (intercept.c) ---- */
/* Row intercepts (the svm column), checked once in step.c after the row's
 * #UD/#GP checks. Handlers of SVM instructions call svm_insn_intercept()
 * themselves after their own earlier checks (APM Table 15-7). */
void svm_row_intercept(struct cpu *c, const struct insn *in);
void svm_insn_intercept(struct cpu *c, int icpt);
/* Exceptions and interrupts at delivery (exception.c): true when the event
 * became a #VMEXIT (with EXITINTINFO = the event being delivered, if any). */
bool svm_event_intercept(struct cpu *c, const struct event *ev, const struct event *outer);
/* I/O (IOPM, after the IOPL/TSS checks) and MSR (MSRPM) accesses. */
void svm_io_intercept(struct cpu *c, uint16_t port, int size);
void svm_msr_intercept(struct cpu *c, uint32_t index, bool write);
/* CR/DR reads and writes (crreg.c/drreg.c), decode assist GPR in info1. */
void svm_cr_intercept(struct cpu *c, int crn, bool write, int gpr, bool mov);
void svm_dr_intercept(struct cpu *c, int drn, bool write, int gpr);
/* Physical INTR / NMI at an instruction boundary (run.c): may #VMEXIT. */
bool svm_intr_intercept(struct cpu *c, bool nmi);
bool svm_shutdown_intercept(struct cpu *c);
/* effective IF for physical interrupts (V_INTR_MASKING uses the host's) */
bool svm_intr_if(const struct cpu *c);
/* GIF gating of INTR/NMI at instruction boundaries (run.c). */
static inline bool svm_gif_blocks(const struct cpu *c) { return !c->svm.gif; }

/* ---- VMRUN (vmrun.c, vmrun_checks.c) ---- */
struct svm_snapshot {
	struct vmcb v;        /* the whole VMCB page, read once */
	uint64_t pdpte[4];    /* guest legacy-PAE PDPEs read by VMRUN (VR-29) */
	bool pae_legacy;
};
struct svm_check {
	const char *id, *apm, *desc;
	/* true when the snapshot is illegal; writes the detail message */
	bool (*illegal)(const struct cpu *c, const struct svm_snapshot *s, char *msg, size_t n);
	const char *not_applicable; /* reason, or NULL */
};
extern const struct svm_check svm_checks[];
extern const unsigned svm_nchecks;
/* first failing check or NULL; msg gets its detail */
const struct svm_check *svm_run_checks(const struct cpu *c, const struct svm_snapshot *s,
				       char *msg, size_t n);
void svm_vmrun(struct cpu *c, uint64_t pa);

/* CPUID Fn8000_000A (svm_cpuid.c): zeros without FEAT_SVM */
void svm_cpuid_leaf(const struct cpu *c, uint32_t o[4]);
#define SVM_NASID 0x8000u
/* the software-TLB tag of a guest ASID (svm_cpuid.c) */
uint16_t svm_asid_tag(uint32_t asid);

/* ---- physical VMCB access (vmcb.c) ---- */
void vmcb_read_page(struct cpu *c, uint64_t pa, struct vmcb *v);
void vmcb_write(struct cpu *c, uint64_t pa, size_t off, const void *p, size_t len);
#define VMCB_PUT(c, pa, field, val)                                                   \
	do {                                                                             \
		__typeof__(((struct vmcb *)0)->field) v_ = (val);                        \
		vmcb_write((c), (pa), VMCB_OFF(field), &v_, sizeof v_);                  \
	} while (0)
void svm_seg_to_vmcb(struct vmcb_seg *d, const struct seg *s);
void svm_seg_from_vmcb(struct seg *d, const struct vmcb_seg *s);
/* maximum physical address check: [pa, pa+len) below 2^MAXPHYADDR */
bool svm_pa_range_ok(const struct cpu *c, uint64_t pa, uint64_t len);
/* VMLOAD/VMSAVE/VMRUN operand: rAX masked to the address size */
uint64_t svm_rax_pa(const struct cpu *c, const struct insn *in);
#endif
