/* SPDX-License-Identifier: MIT */
/* Decoded instruction and opcode-row attributes (DESIGN rules 2 and 8).
 * Rows come from opcodes.def; the decoder, the checks in step.c, the
 * disassembler and (later) the SVM intercept logic all read the same rows. */
#ifndef PAC_INSN_H
#define PAC_INSN_H
#include <stdint.h>
#include "../core/cpu.h"

typedef void (*exec_fn)(struct cpu *c, const struct insn *in);

/* opcode maps */
enum { MAP_1B = 0, MAP_0F = 1, MAP_0F38 = 2, MAP_0F3A = 3, NMAPS = 4 };
/* mandatory prefix selector of a row */
enum { P_ANY = -1, P_NONE = 0, P_66 = 1, P_F3 = 2, P_F2 = 3 };
/* ModRM.mod selector of a row */
enum { M_ANY = -1, M_MEM = 0, M_REG = 1 };
#define X (-1) /* wildcard for reg / rm */

/* immediate kinds */
enum imm_kind {
	I_NONE, I_B,  /* 8-bit (handler sign-extends where the SDM says so) */
	I_W,          /* 16-bit */
	I_Z,          /* 16 or 32 by operand size (sign-extended to 64 by handlers) */
	I_V,          /* 16/32/64 by operand size (MOV r, imm64) */
	I_WB,         /* ENTER: imm16 then imm8 (imm2) */
	I_AP,         /* far pointer: offset 16/32 then selector 16 (imm2) */
	I_O           /* moffs: address-size offset (stored in disp) */
};

/* row flags */
#define F_MODRM  (1u << 0)  /* has a ModRM byte */
#define F_LOCK   (1u << 1)  /* LOCK allowed when the destination is memory */
#define F_NO64   (1u << 2)  /* #UD in 64-bit mode */
#define F_ONLY64 (1u << 3)  /* #UD outside 64-bit mode */
#define F_D64    (1u << 4)  /* 64-bit default operand size in 64-bit mode */
#define F_F64    (1u << 5)  /* operand size forced to 64 in 64-bit mode */
#define F_BYTE   (1u << 6)  /* byte-sized operation */
#define F_CPL0   (1u << 7)  /* #GP(0) if CPL > 0 */
#define F_PMODE  (1u << 8)  /* #UD in real and virtual-8086 mode */
#define F_REP    (1u << 9)  /* string instruction honouring REP */
#define F_SSE    (1u << 10) /* SSE state: #UD if CR0.EM or !CR4.OSFXSR, #NM if CR0.TS */
#define F_X87    (1u << 11) /* x87: #NM if CR0.EM or CR0.TS */
#define F_VEX    (1u << 12) /* only with a VEX prefix (BMI1/2); others never match VEX */
#define F_BRANCH (1u << 13) /* changes RIP itself (informational: traces) */
#define F_NOREX_W (1u << 14)/* operand size ignores REX.W (e.g. 66-only forms) */
#define F_SERIAL (1u << 15) /* serialising (informational) */
#define F_VEXL0  (1u << 16) /* VEX.L must be 0 */
#define F_NOV86  (1u << 17) /* #GP(0) in virtual-8086 mode unless IOPL=3 (handled in handler) */
#define F_NOREAL (1u << 18) /* #UD in real mode only */
#define F_MMX    (1u << 19) /* MMX register form: #UD if CR0.EM, #NM if TS */
#define F_MODREG (1u << 20) /* ModRM.mod ignored, always a register (MOV CRn/DRn, APM 3 "MOV CRn") */
#define F_LOCKREG (1u << 21)/* LOCK legal on the register form; the handler decides (AltMovCr8) */
#define F_LOADRF (1u << 22) /* loads RFLAGS.RF itself (IRET): retire must not clear it */

/* CPUID features a row may require (cpu/cpuid/model.c decides the bits) */
enum feat {
	FEAT_NONE, FEAT_LM, FEAT_NX, FEAT_SYSCALL, FEAT_SYSENTER, FEAT_CMOV, FEAT_CX8,
	FEAT_CX16, FEAT_MMX, FEAT_SSE, FEAT_SSE2, FEAT_SSE3, FEAT_SSSE3, FEAT_SSE41,
	FEAT_SSE42, FEAT_POPCNT, FEAT_ABM /* LZCNT */, FEAT_BMI1, FEAT_BMI2, FEAT_ADX,
	FEAT_MOVBE, FEAT_RDRAND, FEAT_RDSEED, FEAT_RDTSCP, FEAT_XSAVE, FEAT_XSAVEOPT,
	FEAT_CLFLUSH, FEAT_CLFLUSHOPT, FEAT_CLWB, FEAT_MONITOR, FEAT_INVPCID,
	FEAT_FSGSBASE, FEAT_SVM, FEAT_PCLMUL, FEAT_AES, FEAT_SHA, FEAT_RDPID,
	FEAT_LAHF64, FEAT_FXSR, FEAT_FPU, FEAT_TSC, FEAT_MSR, FEAT_PGE, FEAT_PCID,
	FEAT_SMEP, FEAT_SMAP, FEAT_LA57, FEAT_PAT, FEAT_MTRR, FEAT_PSE, FEAT_PAE,
	FEAT_APIC, FEAT_X2APIC, FEAT_CLZERO, FEAT_RDPRU, FEAT_MWAITX, FEAT_SSE4A,
	FEAT_PDPE1GB, FEAT_XSAVEC, FEAT_XGETBV1, FEAT_UMIP, FEAT_PKU,
	FEAT_TSC_DEADLINE,
	FEAT_COUNT
};

/* SVM intercept class of a row (the svm column; cpu/svm/intercept.c maps
 * each class to its intercept bit and exit code; 0 = none). Classes from
 * SVMI_LATE on are checked by their handler after its own #UD/#GP checks
 * (APM Table 15-7); the others once in step.c after the row checks. */
enum svm_icpt {
	SVMI_NONE = 0, SVMI_CR_READ, SVMI_CR_WRITE, SVMI_DR_READ, SVMI_DR_WRITE,
	SVMI_SMSW, SVMI_LMSW, SVMI_CLTS,
	SVMI_SIDT, SVMI_SGDT, SVMI_SLDT, SVMI_STR, SVMI_LIDT, SVMI_LGDT, SVMI_LLDT, SVMI_LTR,
	SVMI_RDTSC, SVMI_RDPMC, SVMI_PUSHF, SVMI_POPF, SVMI_CPUID, SVMI_IRET, SVMI_INTN,
	SVMI_INVD, SVMI_PAUSE, SVMI_HLT, SVMI_INVLPG, SVMI_RDTSCP, SVMI_ICEBP, SVMI_WBINVD,
	SVMI_MONITOR, SVMI_MWAIT, SVMI_XSETBV,
	SVMI_LATE, /* handler-checked from here on */
	SVMI_VMRUN = SVMI_LATE, SVMI_VMMCALL, SVMI_VMLOAD, SVMI_VMSAVE, SVMI_STGI, SVMI_CLGI,
	SVMI_SKINIT, SVMI_INVLPGA,
	SVMI_COUNT
};

struct oprow {
	const char *name;   /* mnemonic (lower case) */
	const char *ops;    /* operand format for the disassembler, e.g. "Ev,Gv" */
	int8_t map, pfx, reg, mod, rm;
	uint16_t opc;
	uint8_t imm;        /* enum imm_kind */
	uint32_t flags;
	uint8_t feat;       /* enum feat */
	uint32_t undef;     /* RFLAGS bits left undefined (for traces and diffs) */
	uint8_t svm;        /* enum svm_icpt */
	exec_fn exec;
};

#define BASE_NONE 0xff
#define BASE_RIP 0xfe

struct insn {
	exec_fn exec;
	const struct oprow *row;
	uint64_t imm;       /* zero-extended raw immediate */
	uint64_t imm2;      /* ENTER level / far-pointer selector */
	int64_t disp;       /* displacement (sign-extended); moffs for I_O */
	uint8_t len;
	uint8_t opsize;     /* operand bytes: 1, 2, 4, 8 */
	uint8_t addrsize;   /* address bytes: 2, 4, 8 */
	uint8_t seg;        /* segment of the memory operand (default or override) */
	uint8_t seg_ovr;    /* SEG_NONE when absent */
	uint8_t rep;        /* 0, 0xF3 or 0xF2 (last one seen) */
	uint8_t lock;
	uint8_t pfx66;
	uint8_t rex;        /* 0 when absent; 0x40..0x4F */
	uint8_t vex;        /* 1 when VEX-encoded */
	uint8_t vex_l;
	uint8_t vvvv;       /* VEX extra register (already inverted), 0 if none */
	uint8_t mode64;     /* decoded in 64-bit mode */
	uint8_t map;
	uint8_t opc;
	uint8_t modrm;
	uint8_t mod, reg, rm; /* reg/rm include REX.R/REX.B */
	uint8_t has_mem;    /* ModRM names memory */
	uint8_t base, index, scale; /* memory operand: BASE_NONE/BASE_RIP, index BASE_NONE */
	uint8_t bytes[16]; /* 15 instruction bytes + 1 zero pad (icache compares 16) */
};

/* decode.c */
void decode_init(void);
/* Decodes at the fetch window; raises #UD/#GP/#PF itself. */
struct fetch;
MAYFAULT void decode_insn(struct cpu *c, struct insn *in);
/* Decode from a byte buffer, no CPU: for the disassembler and tests.
 * Returns length or 0 if invalid/truncated. mode_bits = 16/32/64. */
int decode_bytes(const uint8_t *b, size_t n, int mode_bits, struct insn *in);

/* operand helpers (cpu/core/operand.c) */
static inline bool byte_hi(const struct insn *in, int r)
{
	return !in->rex && !in->vex && r >= 4 && r < 8;
}
MAYFAULT uint64_t ea_offset(struct cpu *c, const struct insn *in);
MAYFAULT uint64_t rm_read(struct cpu *c, const struct insn *in, int bytes);
MAYFAULT void rm_write(struct cpu *c, const struct insn *in, int bytes, uint64_t v);
static inline uint64_t greg_read(struct cpu *c, const struct insn *in, int bytes)
{
	return reg_read(c, in->reg, bytes, byte_hi(in, in->reg));
}
static inline void greg_write(struct cpu *c, const struct insn *in, int bytes, uint64_t v)
{
	reg_write(c, in->reg, bytes, byte_hi(in, in->reg), v);
}

/* the row table (opcodes.c) */
extern const struct oprow op_rows[];
extern const unsigned op_nrows;

#endif
