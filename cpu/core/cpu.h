/* SPDX-License-Identifier: MIT */
/* The CPU state and the internal interface every part of cpu/ shares.
 * Owns: struct cpu, struct pac_machine, address-space typedefs, register and
 * flag helpers. Must not include iodev/ or frontend/ (DESIGN rule 1). */
#ifndef PAC_CPU_H
#define PAC_CPU_H
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "pacifica/pacifica.h"
#include "../svm/svm_state.h"

typedef uint64_t gla_t; /* guest linear address */
typedef uint64_t gpa_t; /* guest physical (== spa unless nested paging) */
typedef uint64_t spa_t; /* system physical: emulated RAM */

#define MAYFAULT /* marks functions that may longjmp out through a fault */

/* ---- RFLAGS (APM 3.1.6) ---- */
#define FL_CF   0x00000001u
#define FL_FIX1 0x00000002u
#define FL_PF   0x00000004u
#define FL_AF   0x00000010u
#define FL_ZF   0x00000040u
#define FL_SF   0x00000080u
#define FL_TF   0x00000100u
#define FL_IF   0x00000200u
#define FL_DF   0x00000400u
#define FL_OF   0x00000800u
#define FL_IOPL 0x00003000u
#define FL_NT   0x00004000u
#define FL_RF   0x00010000u
#define FL_VM   0x00020000u
#define FL_AC   0x00040000u
#define FL_VIF  0x00080000u
#define FL_VIP  0x00100000u
#define FL_ID   0x00200000u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* ---- control registers ---- */
#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_VME (1ull << 0)
#define CR4_PVI (1ull << 1)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_MCE (1ull << 6)
#define CR4_PGE (1ull << 7)
#define CR4_PCE (1ull << 8)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP (1ull << 11)
#define CR4_LA57 (1ull << 12)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CR4_PKE (1ull << 22)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)
#define EFER_LMSLE (1ull << 13)
#define EFER_FFXSR (1ull << 14)
#define EFER_TCE (1ull << 15)

/* ---- exception vectors ---- */
enum {
	EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5,
	EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10, EXC_NP = 11, EXC_SS = 12,
	EXC_GP = 13, EXC_PF = 14, EXC_MF = 16, EXC_AC = 17, EXC_MC = 18, EXC_XM = 19,
	EXC_VE = 20, EXC_CP = 21
};
/* #PF error code bits (APM 8.4.2) */
#define PFEC_P 1u
#define PFEC_W 2u
#define PFEC_U 4u
#define PFEC_RSV 8u
#define PFEC_I 16u
#define PFEC_PK 32u

/* ---- segments ---- */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NONE = 7 };
/* VMCB-format attribute bits */
#define SA_TYPE 0x00f
#define SA_S    0x010
#define SA_DPL  0x060
#define SA_P    0x080
#define SA_AVL  0x100
#define SA_L    0x200
#define SA_DB   0x400
#define SA_G    0x800
struct seg {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
};
struct dtr {
	uint64_t base;
	uint16_t limit;
};

/* ---- execution mode, recomputed by mode_update() ---- */
enum cpu_mode { MODE_REAL, MODE_V86, MODE_PROT, MODE_COMPAT, MODE_LONG };

/* ---- memory access kinds (for translation and the TLB) ---- */
#define ACC_R 0u
#define ACC_W 1u
#define ACC_X 2u
#define ACC_USER 4u      /* CPL 3 data/fetch access */
#define ACC_IMPLICIT 8u  /* supervisor-implicit access (GDT/IDT/TSS reads) */
#define ACC_NOFAULT 16u  /* probe only: never set A/D, never fault (debugger) */

/* ---- software TLB (cpu/mmu/tlb.c) ---- */
#define TLB_SIZE 512
struct tlb_entry {
	uint64_t tag;       /* (gla >> 12) + 1, 0 = invalid */
	uint8_t *hva;       /* host pointer of the page, NULL if MMIO/unbacked */
	spa_t spa;          /* system-physical page base */
	gpa_t gpa;          /* guest-physical page base */
	uint16_t asid;
	uint8_t perm;       /* bit (acc & 7): access allowed on a hit */
	uint8_t memtype;    /* enum pac_memtype, effective */
	uint8_t global;
	uint8_t page_shift; /* size of the translation that filled it */
	uint16_t pcid;
};

/* ---- x87 (cpu/exec/x87*.c) ---- */
struct fpreg {
	uint64_t mant; /* explicit integer bit at 63 */
	uint16_t sexp; /* sign << 15 | biased exponent */
};
struct fpu {
	struct fpreg st[8]; /* physical registers R0..R7 */
	uint16_t fcw, fsw, ftw; /* ftw: full 2-bit tag word */
	uint16_t fop;
	uint64_t fip, fdp;
	uint16_t fcs, fds;
};

/* ---- SSE (cpu/exec/sse*.c) ---- */
union xmm {
	uint8_t b[16];
	uint16_t w[8];
	uint32_t d[4];
	uint64_t q[2];
	float f[4];
	double df[2];
};

/* ---- MSRs kept in the CPU (cpu/msr/) ---- */
struct msrs {
	uint64_t hpat; /* IA32_PAT outside guest mode (DESIGN rule 4) */
	uint64_t mtrr_cap, mtrr_def_type;
	uint64_t mtrr_fix[11]; /* 250, 258, 259, 268..26F */
	uint64_t mtrr_var_base[8], mtrr_var_mask[8];
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t tsc_aux, tsc_offset_msr;
	uint64_t apic_base;
	uint64_t misc_enable, debugctl, syscfg, hwcr, vm_cr, vm_hsave_pa;
	uint64_t perf_ctl[6], perf_ctr[6];
	uint64_t spec_ctrl, xss;
	uint64_t mcg_status, mcg_ctl;
	uint64_t smm_base, patch_level;
	uint64_t mperf_offset, aperf_offset; /* MPERF/APERF = cycles + offset */
	uint64_t de_cfg;
};

/* pending event recorded by a fault (DESIGN rule 7) */
struct event {
	int vector;       /* -1: none */
	bool has_err;
	uint32_t err;
	uint64_t cr2;     /* #PF only */
	bool is_pf;
	int kind;         /* EV_* below */
	uint64_t next_rip;/* for software interrupts / traps: return RIP */
};
enum { EV_FAULT, EV_TRAP, EV_SOFTINT, EV_EXTINT, EV_NMI, EV_ICEBP, EV_SWEXC,
       EV_SHUTDOWN, EV_UNIMP, EV_INTERNAL, EV_HALT_EXIT,
       EV_VMEXIT /* an intercept recorded by svm_vmexit_raise() */ };

struct pac_machine;
struct insn;
struct icache;
struct cpuid_model;
struct lapic;

struct cpu {
	/* hot architectural state first */
	uint64_t gpr[16];
	uint64_t rip;
	uint64_t rflags;
	struct seg seg[6];
	struct seg ldtr, tr;
	struct dtr gdtr, idtr;
	uint64_t cr0, cr2, cr3, cr4, efer, xcr0;
	uint8_t tpr; /* CR8 */
	uint64_t dr[8];
	int cpl;
	enum cpu_mode mode;
	int code_bits;   /* 16, 32 or 64: default operand size from CS */
	int stack_bits;  /* 16, 32 or 64 from SS.B / long mode */
	int paging;      /* PAGING_* from the current CRs */

	struct fpu fpu;
	union xmm xmm[16];
	uint32_t mxcsr;
	struct msrs msr;

	/* control */
	int index;            /* CPU number */
	struct pac_machine *m;
	const struct cpuid_model *model;
	uint64_t icount;      /* instructions retired */
	uint64_t cycles;      /* virtual cycles (drives TSC) */
	uint64_t tsc_offset;  /* TSC = cycles + tsc_offset (set by WRMSR TSC) */
	bool halted;
	bool shutdown;
	bool nmi_pending, nmi_blocked;
	uint64_t inhibit_irq_until; /* icount at which STI/MOV SS shadow ends */
	uint64_t rng_state;

	/* fault plumbing (cpu/core/fault.c, step.c) */
	jmp_buf *jb;
	struct event ev;
	int exc_depth;        /* for #DF / triple-fault classification */
	uint64_t saved_gpr[16], saved_rip, saved_rflags;
	uint64_t next_rip;    /* RIP after the current instruction */
	const struct insn *cur;
	enum pac_exit_reason stop; /* set when the CPU must leave pac_run */
	char stop_detail[160];

	/* translation and decode caches */
	struct tlb_entry tlb[TLB_SIZE];
	struct icache *icache; /* cpu/decode/icache.h; NULL disables it */
	uint16_t asid;

	/* PAE PDPTEs loaded by MOV CR3 / CR0 / CR4 in legacy PAE mode */
	uint64_t pdpte[4];

	/* statistics */
	struct pac_stats stats;

	/* local APIC (cpu/apic/lapic.h) */
	struct lapic *apic;

	/* SVM (cpu/svm/) */
	struct svm_state svm;

	/* debug breakpoints (cpu/core/debug.c), valid for the current instruction */
	uint8_t dbg_data;          /* mask of enabled data breakpoints (0: access hook off) */
	uint8_t dbg_io;            /* mask of enabled I/O breakpoints (CR4.DE) */
	uint32_t dbg_pending;      /* DR6 bits of #DB traps this instruction raised */
	uint32_t dbg_deferred;     /* DR6 bits held back by a MOV SS / POP SS shadow */
	uint64_t dbg_deferred_at;  /* icount of the instruction that deferred them */
	uint64_t dbg_deferred_rip; /* and the RIP it left */
};

enum { PAGING_NONE, PAGING_32, PAGING_PAE, PAGING_4L, PAGING_5L };

/* ---------------- register helpers ---------------- */
static inline uint64_t size_mask(int bytes)
{
	return bytes >= 8 ? ~0ull : ((1ull << (bytes * 8)) - 1);
}
/* GPR read of `bytes` width; for byte registers without REX, 4..7 = AH..BH */
static inline uint64_t reg_read(const struct cpu *c, int r, int bytes, bool byte_hi)
{
	if (bytes == 1 && byte_hi)
		return (c->gpr[r - 4] >> 8) & 0xff;
	return c->gpr[r] & size_mask(bytes);
}
/* 32-bit writes zero-extend to 64 bits; 8/16-bit writes merge */
static inline void reg_write(struct cpu *c, int r, int bytes, bool byte_hi, uint64_t v)
{
	switch (bytes) {
	case 1:
		if (byte_hi)
			c->gpr[r - 4] = (c->gpr[r - 4] & ~0xff00ull) | ((v & 0xff) << 8);
		else
			c->gpr[r] = (c->gpr[r] & ~0xffull) | (v & 0xff);
		break;
	case 2: c->gpr[r] = (c->gpr[r] & ~0xffffull) | (v & 0xffff); break;
	case 4: c->gpr[r] = (uint32_t)v; break;
	default: c->gpr[r] = v; break;
	}
}
static inline uint64_t sext(uint64_t v, int bytes)
{
	switch (bytes) {
	case 1: return (uint64_t)(int64_t)(int8_t)v;
	case 2: return (uint64_t)(int64_t)(int16_t)v;
	case 4: return (uint64_t)(int64_t)(int32_t)v;
	default: return v;
	}
}
static inline bool in_long64(const struct cpu *c) { return c->mode == MODE_LONG; }
static inline bool is_canonical(uint64_t a, int va_bits)
{
	int64_t s = (int64_t)(a << (64 - va_bits)) >> (64 - va_bits);
	return (uint64_t)s == a;
}
int cpu_va_bits(const struct cpu *c); /* 48 or 57 */

/* ---------------- global machine ---------------- */
struct region {
	spa_t base, size;
	uint8_t *hva;      /* RAM/ROM */
	bool rom, owned;
	const struct pac_mmio_ops *ops;
	void *ctx;
};
struct portrange {
	uint16_t base;
	uint32_t count;
	const struct pac_port_ops *ops;
	void *ctx;
};
#define MAX_REGIONS 64
#define MAX_PORTRANGES 128
#define MAX_CPUS 64
#define MAX_TIMERS 128 /* devices + one APIC timer per CPU */
struct pac_machine {
	struct cpu *cpus[MAX_CPUS];
	unsigned ncpus;
	struct region regions[MAX_REGIONS];
	unsigned nregions;
	struct portrange ports[MAX_PORTRANGES];
	unsigned nports;
	const struct pac_intc_ops *intc;
	void *intc_ctx;
	pac_log_fn log;
	void *log_ctx;
	bool stop_requested;
	int stop_code;
	bool unusable;
	uint64_t seed;
	/* device timers on virtual time (timer.c) */
	struct vtimer { pac_timer_fn fn; void *ctx; uint64_t deadline; bool armed; } timers[MAX_TIMERS];
	unsigned ntimers;
	uint64_t next_deadline; /* earliest armed deadline, UINT64_MAX if none */
	uint64_t vtime;         /* machine virtual time in ns (cycles) */
	/* observation hooks (pac_set_hooks) */
	void *hooks_ctx;
	const struct pac_hooks *hooks;
	/* EOI broadcast of level-triggered vectors (pac_apic_set_eoi_listener) */
	pac_apic_eoi_fn apic_eoi_fn;
	/* the model with pac_config.cpu_features applied (NULL: none given) */
	struct cpuid_model *own_model;
	void *apic_eoi_ctx;
};

/* logging: never prints, goes to the configured sink */
void cpu_log(struct cpu *c, const char *cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void machine_log(struct pac_machine *m, const char *cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* timer.c: fire due timers (called at instruction boundaries) */
void timers_run(struct pac_machine *m);
static inline void vtime_sync(struct pac_machine *m, const struct cpu *c)
{
	if (c->cycles > m->vtime)
		m->vtime = c->cycles;
}

/* mode.c */
void mode_update(struct cpu *c);
/* cpu.c */
void cpu_reset(struct cpu *c, bool init_only);
/* physmap.c */
struct region *phys_region(struct pac_machine *m, spa_t spa);
uint64_t phys_read(struct pac_machine *m, spa_t spa, int size, unsigned memtype);
void phys_write(struct pac_machine *m, spa_t spa, int size, uint64_t v, unsigned memtype);
uint8_t *phys_hva(struct pac_machine *m, spa_t spa); /* RAM/ROM byte pointer or NULL */
/* ports (io.c) */
uint32_t port_in(struct pac_machine *m, uint16_t port, int size);
void port_out(struct pac_machine *m, uint16_t port, int size, uint32_t v);

#endif
