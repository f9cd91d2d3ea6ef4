/* SPDX-License-Identifier: MIT */
/* Differential testing against the host CPU: shared definitions.
 * The same generated user-mode code runs natively and in libpaccpu from the
 * same state at the same addresses; registers, defined flags, XMM, MXCSR
 * and a data buffer are compared (issue 2 item 7). */
#ifndef PAC_DIFF_H
#define PAC_DIFF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIFF_CODE_ADDR 0x10000000ull  /* generated code (4 KiB) */
#define DIFF_DATA_ADDR 0x20000000ull  /* data buffer, RBX points here */
#define DIFF_DATA_SIZE 4096u
#define DIFF_STACK_ADDR 0x20001000ull /* stack pages; RSP starts at the top */
#define DIFF_STACK_SIZE 8192u
#define DIFF_MAX_CODE 512u

struct dstate {
	uint64_t gpr[16];
	uint64_t rflags;
	uint8_t xmm[16][16];
	uint32_t mxcsr;
	uint8_t data[DIFF_DATA_SIZE];
	int faulted;  /* native: signal number; emulator: exit reason != HLT */
};

struct dcase {
	uint8_t code[DIFF_MAX_CODE];
	unsigned len;        /* body length (without the trailer) */
	unsigned ninsns;
	uint32_t undef;      /* RFLAGS bits undefined after the sequence */
	bool xmm_undef;      /* reserved */
	unsigned insn_off[64]; /* start offset of each instruction */
	bool mode32;         /* runs in compatibility mode (32-bit code, CS.L=0 D=1) */
};

/* gen.c: deterministic case generation (seed, index) */
struct rng { uint64_t s; };
uint64_t rng_next(struct rng *r);
/* template classes to generate from (bit 0: integer, bit 1: SSE) */
#define GEN_INT 1u
#define GEN_SSE 2u
#define GEN_COMPAT 4u /* 32-bit code in compatibility mode: BCD, INC/DEC short forms, ... */
extern unsigned gen_classes;
void gen_case(struct rng *r, struct dcase *dc, struct dstate *init, bool exact_host);

/* native.c: runs the body natively (x86-64 hosts) */
bool native_available(char *why, size_t n);
bool host_is_amd(void);
int native_run(const struct dcase *dc, const struct dstate *in, struct dstate *out);

/* emu.c */
int emu_run(const struct dcase *dc, const struct dstate *in, struct dstate *out, char *err, size_t n);
uint32_t emu_undef_flags(const uint8_t *code, unsigned len, int mode_bits);
#endif
