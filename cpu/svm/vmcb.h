/* SPDX-License-Identifier: MIT */
/* The VMCB layout (APM vol. 2, Appendix B, Tables B-1 and B-2; checklist
 * section 2). One 4 KiB page: control area 000h-3FFh, state-save area
 * 400h-FFFh. The structs mirror the page byte for byte (little endian) and
 * every offset the checklist lists is asserted below, so a VMCB read from
 * guest memory is simply copied into struct vmcb. */
#ifndef PAC_VMCB_H
#define PAC_VMCB_H
#include <stddef.h>
#include <stdint.h>

struct vmcb_ctrl {
	uint32_t icpt_cr;       /* 000h: 15:0 CRn reads, 31:16 CRn writes */
	uint32_t icpt_dr;       /* 004h: 15:0 DRn reads, 31:16 DRn writes */
	uint32_t icpt_exc;      /* 008h: exception vectors 0-31 */
	uint32_t icpt_vec3;     /* 00Ch: INTR .. SHUTDOWN (ICPT3_*) */
	uint32_t icpt_vec4;     /* 010h: VMRUN .. EFER trap, 31:16 CR write traps (ICPT4_*) */
	uint32_t icpt_vec5;     /* 014h: INVLPGB .. IDLE_HLT */
	uint8_t rsvd_018[0x3c - 0x18];
	uint16_t pause_thresh;  /* 03Ch */
	uint16_t pause_count;   /* 03Eh */
	uint64_t iopm_base;     /* 040h: bits 11:0 ignored */
	uint64_t msrpm_base;    /* 048h: bits 11:0 ignored */
	uint64_t tsc_offset;    /* 050h */
	uint32_t asid;          /* 058h */
	uint8_t tlb_ctl;        /* 05Ch: TLB_CONTROL */
	uint8_t rsvd_05d[3];
	uint64_t vintr;         /* 060h: V_TPR, V_IRQ, ... (VINTR_*) */
	uint64_t int_state;     /* 068h: bit 0 INTERRUPT_SHADOW */
	uint64_t exitcode;      /* 070h */
	uint64_t exitinfo1;     /* 078h */
	uint64_t exitinfo2;     /* 080h */
	uint64_t exitintinfo;   /* 088h: EVENT_* format */
	uint64_t misc_ctl;      /* 090h: bit 0 NP_ENABLE */
	uint64_t avic_bar;      /* 098h */
	uint64_t ghcb_gpa;      /* 0A0h */
	uint64_t eventinj;      /* 0A8h: EVENT_* format */
	uint64_t ncr3;          /* 0B0h */
	uint64_t misc_ctl2;     /* 0B8h: LBR virt, vVMLOAD/VMSAVE */
	uint64_t clean;         /* 0C0h: VMCB clean bits */
	uint64_t nrip;          /* 0C8h */
	uint8_t insn_len;       /* 0D0h: decode-assist byte count */
	uint8_t insn_bytes[15]; /* 0D1h */
	uint8_t rsvd_0e0[0x400 - 0xe0];
};

struct vmcb_seg {
	uint16_t sel;
	uint16_t attr;          /* descriptor bits 55:52 || 47:40 (SA_*) */
	uint32_t limit;
	uint64_t base;
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs; /* 400h .. 45Fh */
	struct vmcb_seg gdtr;   /* 460h: limit, base */
	struct vmcb_seg ldtr;   /* 470h */
	struct vmcb_seg idtr;   /* 480h */
	struct vmcb_seg tr;     /* 490h */
	uint8_t rsvd_4a0[0xcb - 0xa0];
	uint8_t cpl;            /* 4CBh */
	uint32_t rsvd_4cc;
	uint64_t efer;          /* 4D0h */
	uint8_t rsvd_4d8[0x148 - 0xd8];
	uint64_t cr4;           /* 548h */
	uint64_t cr3;           /* 550h */
	uint64_t cr0;           /* 558h */
	uint64_t dr7;           /* 560h */
	uint64_t dr6;           /* 568h */
	uint64_t rflags;        /* 570h */
	uint64_t rip;           /* 578h */
	uint8_t rsvd_580[0x1d8 - 0x180];
	uint64_t rsp;           /* 5D8h */
	uint64_t s_cet;         /* 5E0h */
	uint64_t ssp;           /* 5E8h */
	uint64_t isst_addr;     /* 5F0h */
	uint64_t rax;           /* 5F8h */
	uint64_t star;          /* 600h */
	uint64_t lstar;         /* 608h */
	uint64_t cstar;         /* 610h */
	uint64_t sfmask;        /* 618h */
	uint64_t kernel_gs_base;/* 620h */
	uint64_t sysenter_cs;   /* 628h */
	uint64_t sysenter_esp;  /* 630h */
	uint64_t sysenter_eip;  /* 638h */
	uint64_t cr2;           /* 640h */
	uint8_t rsvd_648[0x268 - 0x248];
	uint64_t g_pat;         /* 668h: only used with nested paging (GP-01) */
	uint64_t dbgctl;        /* 670h */
	uint64_t br_from;       /* 678h */
	uint64_t br_to;         /* 680h */
	uint64_t lastexcpfrom;  /* 688h */
	uint64_t lastexcpto;    /* 690h */
	uint8_t rsvd_698[0xc00 - 0x298];
};

struct vmcb {
	struct vmcb_ctrl ctl;
	struct vmcb_save save;
};

#define VMCB_OFF(f) offsetof(struct vmcb, f)
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(VMCB_OFF(ctl.icpt_cr) == 0x000 && VMCB_OFF(ctl.icpt_dr) == 0x004, "VMCB 000h/004h");
_Static_assert(VMCB_OFF(ctl.icpt_exc) == 0x008 && VMCB_OFF(ctl.icpt_vec3) == 0x00c, "VMCB 008h/00Ch");
_Static_assert(VMCB_OFF(ctl.icpt_vec4) == 0x010 && VMCB_OFF(ctl.icpt_vec5) == 0x014, "VMCB 010h/014h");
_Static_assert(VMCB_OFF(ctl.pause_thresh) == 0x03c && VMCB_OFF(ctl.pause_count) == 0x03e, "VMCB 03Ch");
_Static_assert(VMCB_OFF(ctl.iopm_base) == 0x040 && VMCB_OFF(ctl.msrpm_base) == 0x048, "VMCB 040h");
_Static_assert(VMCB_OFF(ctl.tsc_offset) == 0x050 && VMCB_OFF(ctl.asid) == 0x058, "VMCB 050h/058h");
_Static_assert(VMCB_OFF(ctl.tlb_ctl) == 0x05c && VMCB_OFF(ctl.vintr) == 0x060, "VMCB 05Ch/060h");
_Static_assert(VMCB_OFF(ctl.int_state) == 0x068 && VMCB_OFF(ctl.exitcode) == 0x070, "VMCB 068h/070h");
_Static_assert(VMCB_OFF(ctl.exitinfo1) == 0x078 && VMCB_OFF(ctl.exitinfo2) == 0x080, "VMCB 078h");
_Static_assert(VMCB_OFF(ctl.exitintinfo) == 0x088 && VMCB_OFF(ctl.misc_ctl) == 0x090, "VMCB 088h");
_Static_assert(VMCB_OFF(ctl.avic_bar) == 0x098 && VMCB_OFF(ctl.ghcb_gpa) == 0x0a0, "VMCB 098h");
_Static_assert(VMCB_OFF(ctl.eventinj) == 0x0a8 && VMCB_OFF(ctl.ncr3) == 0x0b0, "VMCB 0A8h/0B0h");
_Static_assert(VMCB_OFF(ctl.misc_ctl2) == 0x0b8 && VMCB_OFF(ctl.clean) == 0x0c0, "VMCB 0B8h/0C0h");
_Static_assert(VMCB_OFF(ctl.nrip) == 0x0c8 && VMCB_OFF(ctl.insn_len) == 0x0d0, "VMCB 0C8h/0D0h");
_Static_assert(VMCB_OFF(ctl.insn_bytes) == 0x0d1 && sizeof(struct vmcb_ctrl) == 0x400, "VMCB 0D1h");
_Static_assert(VMCB_OFF(save.es) == 0x400 && VMCB_OFF(save.cs) == 0x410, "VMCB 400h/410h");
_Static_assert(VMCB_OFF(save.ss) == 0x420 && VMCB_OFF(save.ds) == 0x430, "VMCB 420h/430h");
_Static_assert(VMCB_OFF(save.fs) == 0x440 && VMCB_OFF(save.gs) == 0x450, "VMCB 440h/450h");
_Static_assert(VMCB_OFF(save.gdtr) == 0x460 && VMCB_OFF(save.ldtr) == 0x470, "VMCB 460h/470h");
_Static_assert(VMCB_OFF(save.idtr) == 0x480 && VMCB_OFF(save.tr) == 0x490, "VMCB 480h/490h");
_Static_assert(VMCB_OFF(save.cpl) == 0x4cb && VMCB_OFF(save.efer) == 0x4d0, "VMCB 4CBh/4D0h");
_Static_assert(VMCB_OFF(save.cr4) == 0x548 && VMCB_OFF(save.cr3) == 0x550, "VMCB 548h/550h");
_Static_assert(VMCB_OFF(save.cr0) == 0x558 && VMCB_OFF(save.dr7) == 0x560, "VMCB 558h/560h");
_Static_assert(VMCB_OFF(save.dr6) == 0x568 && VMCB_OFF(save.rflags) == 0x570, "VMCB 568h/570h");
_Static_assert(VMCB_OFF(save.rip) == 0x578 && VMCB_OFF(save.rsp) == 0x5d8, "VMCB 578h/5D8h");
_Static_assert(VMCB_OFF(save.s_cet) == 0x5e0 && VMCB_OFF(save.ssp) == 0x5e8, "VMCB 5E0h/5E8h");
_Static_assert(VMCB_OFF(save.isst_addr) == 0x5f0 && VMCB_OFF(save.rax) == 0x5f8, "VMCB 5F0h/5F8h");
_Static_assert(VMCB_OFF(save.star) == 0x600 && VMCB_OFF(save.lstar) == 0x608, "VMCB 600h/608h");
_Static_assert(VMCB_OFF(save.cstar) == 0x610 && VMCB_OFF(save.sfmask) == 0x618, "VMCB 610h/618h");
_Static_assert(VMCB_OFF(save.kernel_gs_base) == 0x620 && VMCB_OFF(save.sysenter_cs) == 0x628, "VMCB 620h");
_Static_assert(VMCB_OFF(save.sysenter_esp) == 0x630 && VMCB_OFF(save.sysenter_eip) == 0x638, "VMCB 630h");
_Static_assert(VMCB_OFF(save.cr2) == 0x640 && VMCB_OFF(save.g_pat) == 0x668, "VMCB 640h/668h");
_Static_assert(VMCB_OFF(save.dbgctl) == 0x670 && VMCB_OFF(save.br_from) == 0x678, "VMCB 670h/678h");
_Static_assert(VMCB_OFF(save.br_to) == 0x680 && VMCB_OFF(save.lastexcpfrom) == 0x688, "VMCB 680h");
_Static_assert(VMCB_OFF(save.lastexcpto) == 0x690, "VMCB 690h");

/* vector 3 (00Ch) bits */
enum {
	ICPT3_INTR, ICPT3_NMI, ICPT3_SMI, ICPT3_INIT, ICPT3_VINTR, ICPT3_CR0_SEL,
	ICPT3_IDTR_RD, ICPT3_GDTR_RD, ICPT3_LDTR_RD, ICPT3_TR_RD,
	ICPT3_IDTR_WR, ICPT3_GDTR_WR, ICPT3_LDTR_WR, ICPT3_TR_WR,
	ICPT3_RDTSC, ICPT3_RDPMC, ICPT3_PUSHF, ICPT3_POPF, ICPT3_CPUID, ICPT3_RSM,
	ICPT3_IRET, ICPT3_INTN, ICPT3_INVD, ICPT3_PAUSE, ICPT3_HLT, ICPT3_INVLPG,
	ICPT3_INVLPGA, ICPT3_IOIO, ICPT3_MSR, ICPT3_TASK_SWITCH, ICPT3_FERR, ICPT3_SHUTDOWN
};
/* vector 4 (010h) bits */
enum {
	ICPT4_VMRUN, ICPT4_VMMCALL, ICPT4_VMLOAD, ICPT4_VMSAVE, ICPT4_STGI, ICPT4_CLGI,
	ICPT4_SKINIT, ICPT4_RDTSCP, ICPT4_ICEBP, ICPT4_WBINVD, ICPT4_MONITOR,
	ICPT4_MWAIT, ICPT4_MWAIT_ARMED, ICPT4_XSETBV, ICPT4_RDPRU, ICPT4_EFER_TRAP
};

/* 060h V_INTR fields */
#define VINTR_TPR_MASK 0xfull
#define VINTR_IRQ (1ull << 8)
#define VINTR_GIF (1ull << 9)
#define VINTR_PRIO_SHIFT 16
#define VINTR_IGN_TPR (1ull << 20)
#define VINTR_MASKING (1ull << 24)
#define VINTR_GIF_ENABLE (1ull << 25)
#define VINTR_VECTOR_SHIFT 32
#define INT_STATE_SHADOW 1ull

/* TLB_CONTROL encodings (05Ch, APM 15.16.1) */
enum { TLBCTL_NOTHING = 0, TLBCTL_FLUSH_ALL = 1, TLBCTL_FLUSH_ASID = 3, TLBCTL_FLUSH_ASID_NONGLOBAL = 7 };

/* EVENTINJ / EXITINTINFO (APM 15.20, 15.7.2; checklist 2.4) */
#define EVENT_VECTOR_MASK 0xffull
#define EVENT_TYPE_SHIFT 8
#define EVENT_TYPE_MASK (7ull << EVENT_TYPE_SHIFT)
#define EVENT_EV (1ull << 11)
#define EVENT_RSVD_MASK 0x7ffff000ull /* bits 30:12 */
#define EVENT_V (1ull << 31)
#define EVENT_ERR_SHIFT 32
enum { EVTYPE_INTR = 0, EVTYPE_NMI = 2, EVTYPE_EXC = 3, EVTYPE_SOFTINT = 4 };

/* VMCB clean bits (0C0h, APM 15.15.3) */
enum {
	CLEAN_I, CLEAN_IOPM, CLEAN_ASID, CLEAN_TPR, CLEAN_NP, CLEAN_CRX, CLEAN_DRX,
	CLEAN_DT, CLEAN_SEG, CLEAN_CR2, CLEAN_LBR, CLEAN_AVIC, CLEAN_CET
};

#define NP_ENABLE 1ull
#endif
