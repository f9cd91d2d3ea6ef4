/* SPDX-License-Identifier: MIT */
/* Architectural register state as the embedding API exchanges it.
 * Segment attributes use the VMCB encoding (APM 15.5.1, Appendix B):
 * bits 7:0 = descriptor bits 47:40 (type, S, DPL, P), bits 11:8 = descriptor
 * bits 55:52 (AVL, L, D/B, G). Limits are byte-granular (already expanded). */
#ifndef PACIFICA_REGS_H
#define PACIFICA_REGS_H
#include <stdint.h>

enum pac_gpr {
	PAC_RAX, PAC_RCX, PAC_RDX, PAC_RBX, PAC_RSP, PAC_RBP, PAC_RSI, PAC_RDI,
	PAC_R8, PAC_R9, PAC_R10, PAC_R11, PAC_R12, PAC_R13, PAC_R14, PAC_R15
};

enum pac_sreg { PAC_ES, PAC_CS, PAC_SS, PAC_DS, PAC_FS, PAC_GS };

struct pac_seg {
	uint16_t sel;
	uint16_t attr;  /* VMCB attribute format */
	uint32_t limit; /* byte granular */
	uint64_t base;
};

struct pac_dtr {
	uint64_t base;
	uint16_t limit;
};

struct pac_regs {
	uint64_t gpr[16];
	uint64_t rip;
	uint64_t rflags;
	struct pac_seg seg[6]; /* indexed by enum pac_sreg */
	struct pac_seg ldtr, tr;
	struct pac_dtr gdtr, idtr;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t efer;
	uint64_t dr[8]; /* dr[4], dr[5] unused; dr[6], dr[7] */
	uint64_t xcr0;
	uint32_t cpl;
};

/* x87/SSE state in the FXSAVE image layout (512 bytes, Intel SDM / APM FXSAVE). */
struct pac_fpu_state {
	uint8_t fxsave[512];
};

#endif
