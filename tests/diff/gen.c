/* SPDX-License-Identifier: MIT */
/* Generator of user-mode instruction sequences from templates. A template
 * is an encoding pattern; the generator fills in prefixes, registers,
 * memory operands ([rbx+disp8] inside the data buffer) and immediates.
 * RBX (data base) and RSP are never written by generated instructions. */
#include <string.h>
#include "diff.h"

uint64_t rng_next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}
static unsigned rnd(struct rng *r, unsigned n) { return (unsigned)(rng_next(r) % n); }

enum form {
	F_RR,    /* modrm reg,reg */
	F_RM,    /* modrm reg,[rbx+d8] */
	F_EXT_R, /* modrm /ext with register r/m */
	F_EXT_M, /* modrm /ext with [rbx+d8] */
	F_NONE,  /* no modrm */
	F_OPREG  /* register in the opcode's low bits */
};

/* size: which operand-size prefixes are allowed: bit0 16, bit1 32, bit2 64, bit3 8-bit op */
struct tmpl {
	const char *name;
	uint8_t pfx;        /* mandatory prefix (0, 0x66, 0xF2, 0xF3) */
	uint8_t nopc;
	uint8_t opc[3];
	uint8_t form, ext;
	uint8_t imm;        /* immediate bytes (0, 1, 2, 4) or 0xZ = by operand size (16->2, else 4) */
	uint8_t sizes;
	uint8_t reads_flags;/* consumes flags (avoid after undefined producers on non-AMD hosts) */
	uint8_t xmm;        /* operands are XMM registers (reg and r/m) */
	uint8_t exact_only; /* result itself undefined on some vendors: only on AMD hosts */
	uint8_t only32;     /* valid only outside 64-bit mode */
};

#define S16 1
#define S32 2
#define S64 4
#define SV (S16 | S32 | S64)
#define IMMZ 0xf

static const struct tmpl tmpls[] = {
	/* ALU r/m forms and accumulator/imm forms */
	{ "add", 0, 1, { 0x01 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "add8", 0, 1, { 0x00 }, F_RR, 0, 0, 8, 0, 0, 0, 0 },
	{ "addm", 0, 1, { 0x03 }, F_RM, 0, 0, SV, 0, 0, 0, 0 },
	{ "or", 0, 1, { 0x09 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "adc", 0, 1, { 0x11 }, F_RR, 0, 0, SV, 1, 0, 0, 0 },
	{ "adc8", 0, 1, { 0x12 }, F_RR, 0, 0, 8, 1, 0, 0, 0 },
	{ "sbb", 0, 1, { 0x19 }, F_RR, 0, 0, SV, 1, 0, 0, 0 },
	{ "and", 0, 1, { 0x21 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "sub", 0, 1, { 0x29 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "subm", 0, 1, { 0x29 }, F_RM, 0, 0, SV, 0, 0, 0, 0 },
	{ "xor", 0, 1, { 0x31 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "cmp", 0, 1, { 0x39 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "cmp8m", 0, 1, { 0x3a }, F_RM, 0, 0, 8, 0, 0, 0, 0 },
	{ "grp1", 0, 1, { 0x81 }, F_EXT_R, 8, IMMZ, SV, 1, 0, 0, 0 },
	{ "grp1b", 0, 1, { 0x83 }, F_EXT_R, 8, 1, SV, 1, 0, 0, 0 },
	{ "grp1m", 0, 1, { 0x83 }, F_EXT_M, 8, 1, SV, 1, 0, 0, 0 },
	{ "grp1_8", 0, 1, { 0x80 }, F_EXT_R, 8, 1, 8, 1, 0, 0, 0 },
	{ "add_ai", 0, 1, { 0x05 }, F_NONE, 0, IMMZ, SV, 0, 0, 0, 0 },
	{ "sbb_ai8", 0, 1, { 0x1c }, F_NONE, 0, 1, 8, 1, 0, 0, 0 },
	{ "test", 0, 1, { 0x85 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "incdec", 0, 1, { 0xff }, F_EXT_R, 0x10, 0, SV, 1, 0, 0, 0 },
	{ "incdec8", 0, 1, { 0xfe }, F_EXT_R, 0x10, 0, 8, 1, 0, 0, 0 },
	{ "notneg", 0, 1, { 0xf7 }, F_EXT_R, 0x32, 0, SV, 0, 0, 0, 0 },
	{ "mul1", 0, 1, { 0xf7 }, F_EXT_R, 0x54, 0, SV, 0, 0, 0, 0 },
	{ "mul8", 0, 1, { 0xf6 }, F_EXT_R, 0x54, 0, 8, 0, 0, 0, 0 },
	{ "imul2", 0, 2, { 0x0f, 0xaf }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "imul3", 0, 1, { 0x69 }, F_RR, 0, IMMZ, SV, 0, 0, 0, 0 },
	{ "imul3b", 0, 1, { 0x6b }, F_RR, 0, 1, SV, 0, 0, 0, 0 },
	{ "div", 0, 1, { 0xf7 }, F_EXT_R, 0x76, 0, SV, 0, 0, 0, 0 },
	{ "div8", 0, 1, { 0xf6 }, F_EXT_R, 0x76, 0, 8, 0, 0, 0, 0 },
	/* shifts and rotates: /0-/7 by imm8, by 1, by CL */
	{ "shift_i", 0, 1, { 0xc1 }, F_EXT_R, 8, 1, SV, 1, 0, 0, 0 },
	{ "shift_i8", 0, 1, { 0xc0 }, F_EXT_R, 8, 1, 8, 1, 0, 0, 0 },
	{ "shift_1", 0, 1, { 0xd1 }, F_EXT_R, 8, 0, SV, 1, 0, 0, 0 },
	{ "shift_cl", 0, 1, { 0xd3 }, F_EXT_R, 8, 0, SV, 1, 0, 0, 0 },
	{ "shift_cl8", 0, 1, { 0xd2 }, F_EXT_R, 8, 0, 8, 1, 0, 0, 0 },
	{ "shld_i", 0, 2, { 0x0f, 0xa4 }, F_RR, 0, 1, S32 | S64, 0, 0, 0, 0 },
	{ "shrd_cl", 0, 2, { 0x0f, 0xad }, F_RR, 0, 0, S32 | S64, 0, 0, 0, 0 },
	{ "shld16", 0, 2, { 0x0f, 0xa4 }, F_RR, 0, 1, S16, 0, 0, 1, 0 },
	/* bit operations */
	{ "bt", 0, 2, { 0x0f, 0xa3 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "bts", 0, 2, { 0x0f, 0xab }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "btx_i", 0, 2, { 0x0f, 0xba }, F_EXT_R, 0x74, 1, SV, 0, 0, 0, 0 },
	{ "bsf", 0, 2, { 0x0f, 0xbc }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "bsr", 0, 2, { 0x0f, 0xbd }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "popcnt", 0xf3, 2, { 0x0f, 0xb8 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "lzcnt", 0xf3, 2, { 0x0f, 0xbd }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "tzcnt", 0xf3, 2, { 0x0f, 0xbc }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "bswap", 0, 2, { 0x0f, 0xc8 }, F_OPREG, 0, 0, S32 | S64, 0, 0, 0, 0 },
	{ "movbe", 0, 3, { 0x0f, 0x38, 0xf0 }, F_RM, 0, 0, SV, 0, 0, 0, 0 },
	{ "crc32", 0xf2, 3, { 0x0f, 0x38, 0xf1 }, F_RR, 0, 0, S32 | S64, 0, 0, 0, 0 },
	{ "adcx", 0x66, 3, { 0x0f, 0x38, 0xf6 }, F_RR, 0, 0, S32 | S64, 1, 0, 0, 0 },
	{ "adox", 0xf3, 3, { 0x0f, 0x38, 0xf6 }, F_RR, 0, 0, S32 | S64, 1, 0, 0, 0 },
	/* moves and conditionals */
	{ "mov", 0, 1, { 0x89 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "movm", 0, 1, { 0x89 }, F_RM, 0, 0, SV, 0, 0, 0, 0 },
	{ "movzx8", 0, 2, { 0x0f, 0xb6 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "movsx16", 0, 2, { 0x0f, 0xbf }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "movsxd", 0, 1, { 0x63 }, F_RR, 0, 0, S64, 0, 0, 0, 0 },
	{ "cmov", 0, 2, { 0x0f, 0x40 }, F_RR, 0, 0, SV, 1, 0, 0, 0 },
	{ "setcc", 0, 2, { 0x0f, 0x90 }, F_EXT_R, 0, 0, 8, 1, 0, 0, 0 },
	{ "xchg", 0, 1, { 0x87 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "xadd", 0, 2, { 0x0f, 0xc1 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "cmpxchg", 0, 2, { 0x0f, 0xb1 }, F_RR, 0, 0, SV, 0, 0, 0, 0 },
	{ "cbw", 0, 1, { 0x98 }, F_NONE, 0, 0, SV, 0, 0, 0, 0 },
	{ "cwd", 0, 1, { 0x99 }, F_NONE, 0, 0, SV, 0, 0, 0, 0 },
	{ "lea", 0, 1, { 0x8d }, F_RM, 0, 0, SV, 0, 0, 0, 0 },
	{ "cmc", 0, 1, { 0xf5 }, F_NONE, 0, 0, 0, 1, 0, 0, 0 },
	{ "lahf", 0, 1, { 0x9f }, F_NONE, 0, 0, 0, 1, 0, 0, 0 },
	{ "sahf", 0, 1, { 0x9e }, F_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "pushpop", 0, 1, { 0x50 }, F_OPREG, 0, 0, 0, 0, 0, 0, 0 },
	/* 32-bit only (compatibility-mode cases) */
	{ "daa", 0, 1, { 0x27 }, F_NONE, 0, 0, 0, 1, 0, 0, 1 },
	{ "das", 0, 1, { 0x2f }, F_NONE, 0, 0, 0, 1, 0, 0, 1 },
	{ "aaa", 0, 1, { 0x37 }, F_NONE, 0, 0, 0, 1, 0, 0, 1 },
	{ "aas", 0, 1, { 0x3f }, F_NONE, 0, 0, 0, 1, 0, 0, 1 },
	{ "aam", 0, 1, { 0xd4 }, F_NONE, 0, 1, 0, 0, 0, 0, 1 },
	{ "aad", 0, 1, { 0xd5 }, F_NONE, 0, 1, 0, 0, 0, 0, 1 },
	{ "inc_r", 0, 1, { 0x40 }, F_OPREG, 0, 0, S16 | S32, 1, 0, 0, 1 },
	{ "dec_r", 0, 1, { 0x48 }, F_OPREG, 0, 0, S16 | S32, 1, 0, 0, 1 },
	/* string instructions with REP prefixes and all three address sizes */
	{ "string", 0, 1, { 0xa4 }, F_NONE, 0, 0, SV | 8, 0, 0, 0, 0 },
	/* SSE integer */
	{ "paddb", 0x66, 2, { 0x0f, 0xfc }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "paddq", 0x66, 2, { 0x0f, 0xd4 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "psubusb", 0x66, 2, { 0x0f, 0xd8 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pmullw", 0x66, 2, { 0x0f, 0xd5 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pmuludq", 0x66, 2, { 0x0f, 0xf4 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pmaddwd", 0x66, 2, { 0x0f, 0xf5 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "psadbw", 0x66, 2, { 0x0f, 0xf6 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pxor", 0x66, 2, { 0x0f, 0xef }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pcmpgtd", 0x66, 2, { 0x0f, 0x66 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "punpcklbw", 0x66, 2, { 0x0f, 0x60 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "packsswb", 0x66, 2, { 0x0f, 0x63 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pshufd", 0x66, 2, { 0x0f, 0x70 }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
	{ "psrlq_i", 0x66, 2, { 0x0f, 0x73 }, F_EXT_R, 0x22, 1, 0, 0, 1, 0, 0 },
	{ "psraw", 0x66, 2, { 0x0f, 0xe1 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pshufb", 0x66, 3, { 0x0f, 0x38, 0x00 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pmulld", 0x66, 3, { 0x0f, 0x38, 0x40 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "pminsd", 0x66, 3, { 0x0f, 0x38, 0x39 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "ptest", 0x66, 3, { 0x0f, 0x38, 0x17 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "palignr", 0x66, 3, { 0x0f, 0x3a, 0x0f }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
	{ "pcmpistri", 0x66, 3, { 0x0f, 0x3a, 0x63 }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
	{ "pcmpgtq", 0x66, 3, { 0x0f, 0x38, 0x37 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	/* SSE floating point */
	{ "addps", 0, 2, { 0x0f, 0x58 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "mulsd", 0xf2, 2, { 0x0f, 0x59 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "divpd", 0x66, 2, { 0x0f, 0x5e }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "subss", 0xf3, 2, { 0x0f, 0x5c }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "sqrtpd", 0x66, 2, { 0x0f, 0x51 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "minps", 0, 2, { 0x0f, 0x5d }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "maxsd", 0xf2, 2, { 0x0f, 0x5f }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "cmpps", 0, 2, { 0x0f, 0xc2 }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
	{ "ucomisd", 0x66, 2, { 0x0f, 0x2e }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "comiss", 0, 2, { 0x0f, 0x2f }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "cvtps2pd", 0, 2, { 0x0f, 0x5a }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "cvtsd2ss", 0xf2, 2, { 0x0f, 0x5a }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "cvtdq2ps", 0, 2, { 0x0f, 0x5b }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "cvttps2dq", 0xf3, 2, { 0x0f, 0x5b }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "shufps", 0, 2, { 0x0f, 0xc6 }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
	{ "unpcklpd", 0x66, 2, { 0x0f, 0x14 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "andnps", 0, 2, { 0x0f, 0x55 }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "haddps", 0xf2, 2, { 0x0f, 0x7c }, F_RR, 0, 0, 0, 0, 1, 0, 0 },
	{ "roundsd", 0x66, 3, { 0x0f, 0x3a, 0x0b }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
	{ "dpps", 0x66, 3, { 0x0f, 0x3a, 0x40 }, F_RR, 0, 1, 0, 0, 1, 0, 0 },
};
#define NTMPL (sizeof tmpls / sizeof tmpls[0])

struct emit {
	struct dcase *dc;
};

static void put8(struct dcase *dc, uint8_t b)
{
	if (dc->len < DIFF_MAX_CODE - 16)
		dc->code[dc->len++] = b;
}

static void put_imm(struct dcase *dc, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		put8(dc, (uint8_t)(v >> (8 * i)));
}

/* a general register usable as an operand: never RBX (data base) or RSP,
 * and for byte operands without REX never BH (code 7) */
static bool mode32; /* generating 32-bit code for the current case */

static int pick_gpr(struct rng *r, bool byte_norex)
{
	for (;;) {
		int g = (int)rnd(r, byte_norex || mode32 ? 8 : 16);
		if (g == 3 || g == 4 || (byte_norex && g == 7))
			continue;
		return g;
	}
}

static void begin_insn(struct dcase *dc)
{
	if (dc->ninsns < 64)
		dc->insn_off[dc->ninsns] = dc->len;
	dc->ninsns++;
}

/* MOV r32, imm32 (B8+r), used to set up DIV operands */
static void mov_imm32(struct dcase *dc, int reg, uint32_t v)
{
	begin_insn(dc);
	if (reg >= 8 && !mode32)
		put8(dc, 0x41);
	put8(dc, (uint8_t)(0xb8 + (reg & 7)));
	put_imm(dc, v, 4);
}

static void emit_div_setup(struct rng *r, struct dcase *dc, bool byte, int divreg)
{
	mov_imm32(dc, 0, byte ? (uint32_t)rng_next(r) & 0x1f1f : (uint32_t)rng_next(r));
	mov_imm32(dc, 2, 0);
	mov_imm32(dc, divreg, 0x40404040u | ((uint32_t)rng_next(r) & 0x3f3f3f3fu));
}

static int pick_size(struct rng *r, uint8_t sizes)
{
	int opts[3], n = 0;
	if (sizes & S16)
		opts[n++] = 2;
	if (sizes & S32)
		opts[n++] = 4;
	if ((sizes & S64) && !mode32)
		opts[n++] = 8;
	if (sizes & 8)
		return 1;
	return n ? opts[rnd(r, (unsigned)n)] : 4;
}

/* LEA r64, [rbx+disp32] */
static void lea_rbx(struct dcase *dc, int reg, uint32_t disp)
{
	begin_insn(dc);
	if (!mode32)
		put8(dc, 0x48);
	put8(dc, 0x8d);
	put8(dc, (uint8_t)(0x80 | (reg << 3) | 3));
	put_imm(dc, disp, 4);
}

/* RSI/RDI inside the buffer, a small count in RCX, then one string
 * instruction (MOVS, CMPS, STOS, LODS, SCAS) with optional REP/REPcc,
 * operand size and 32-bit address size (the buffer is below 4 GiB). */
static void emit_string(struct rng *r, struct dcase *dc)
{
	static const uint8_t ops[5] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
	uint8_t op = ops[rnd(r, 5)];
	lea_rbx(dc, 6, 1024 + rnd(r, 2048));
	lea_rbx(dc, 7, 1024 + rnd(r, 2048));
	mov_imm32(dc, 1, rnd(r, 40));
	begin_insn(dc);
	unsigned rep = rnd(r, 3);
	if (rep == 1 || (rep == 2 && (op == 0xa6 || op == 0xae)))
		put8(dc, rep == 1 ? 0xf3 : 0xf2);
	if (rnd(r, 4) == 0 && !mode32)
		put8(dc, 0x67); /* 32-bit addressing; in 32-bit code 67 would mean SI/DI */
	unsigned sz = rnd(r, mode32 ? 3 : 4);
	if (sz == 1)
		put8(dc, 0x66);
	if (sz == 3)
		put8(dc, 0x48);
	put8(dc, (uint8_t)(op + (sz ? 1 : 0)));
}

static void emit_tmpl(struct rng *r, struct dcase *dc, const struct tmpl *t)
{
	if (!strcmp(t->name, "string")) {
		emit_string(r, dc);
		return;
	}
	int size = pick_size(r, t->sizes);
	bool is_div = !strncmp(t->name, "div", 3);
	bool byte = size == 1;
	/* registers: REX.R / REX.B extensions chosen at random */
	int reg = t->xmm ? (int)rnd(r, 16) : pick_gpr(r, byte);
	int rm = t->xmm ? (int)rnd(r, 16) : pick_gpr(r, byte);
	int ext = t->ext == 8 ? (int)rnd(r, 8) : ((t->ext & 15) + (int)rnd(r, (unsigned)((t->ext >> 4) - (t->ext & 15) + 1)));
	if (is_div) {
		static const int div32[4] = { 1, 5, 6, 7 };
		/* never RAX/RDX (nor BX/SP): r8..r15, or ECX/EBP/ESI/EDI in 32-bit code */
		rm = mode32 ? div32[rnd(r, 4)] : 8 + (int)rnd(r, 8);
		emit_div_setup(r, dc, byte, rm);
	}
	bool mem = t->form == F_RM || t->form == F_EXT_M;
	if (t->form == F_OPREG)
		reg = rm;
	bool force_rex = byte && rnd(r, 2) && !t->xmm && !mode32;
	if (byte && !force_rex) { /* without REX only the low 8 registers exist */
		reg &= 7;
		rm &= 7;
		if (reg == 7 || reg == 4 || reg == 3)
			reg = 1;
		if (rm == 7 || rm == 4 || rm == 3)
			rm = 2;
	}
	begin_insn(dc);
	if (size == 2 && !t->xmm)
		put8(dc, 0x66);
	if (t->pfx)
		put8(dc, t->pfx);
	uint8_t rex = 0x40 | (size == 8 ? 8 : 0);
	if (t->form == F_RR || t->form == F_RM)
		rex |= (uint8_t)((reg & 8) >> 1);
	if (!mem)
		rex |= (uint8_t)((rm & 8) >> 3);
	if (rex != 0x40 || force_rex)
		put8(dc, rex);
	uint8_t last = t->opc[t->nopc - 1];
	if (!strcmp(t->name, "cmov") || !strcmp(t->name, "setcc"))
		last = (uint8_t)(last + rnd(r, 16));
	for (int i = 0; i < t->nopc - 1; i++)
		put8(dc, t->opc[i]);
	if (t->form == F_OPREG) {
		put8(dc, (uint8_t)(last + (rm & 7)));
		if (!strcmp(t->name, "pushpop")) { /* push r; pop r2 */
			int r2 = pick_gpr(r, false);
			begin_insn(dc);
			if (r2 >= 8 && !mode32)
				put8(dc, 0x41);
			put8(dc, (uint8_t)(0x58 + (r2 & 7)));
		}
		return;
	}
	put8(dc, last);
	int regf = (t->form == F_EXT_R || t->form == F_EXT_M) ? ext : (reg & 7);
	if (t->form == F_NONE) {
		/* no ModRM */
	} else if (mem) {
		put8(dc, (uint8_t)(0x40 | (regf << 3) | 3)); /* [rbx+disp8] */
		put8(dc, (uint8_t)rnd(r, 120));
	} else {
		put8(dc, (uint8_t)(0xc0 | (regf << 3) | (rm & 7)));
	}
	int ib = t->imm == IMMZ ? (size == 2 ? 2 : 4) : t->imm;
	put_imm(dc, !strcmp(t->name, "aam") ? 1 + rnd(r, 255) : rng_next(r), ib); /* AAM 0 is #DE */
}

static const uint64_t interesting[] = {
	0, 1, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0x3ff0000000000000ull /* 1.0 */, 0x7ff0000000000000ull /* inf */, 0xfff8000000000000ull,
	0x7ff4000000000000ull /* sNaN */, 0x000fffffffffffffull /* denormal */,
	0x3f8000003f800000ull /* 1.0f x2 */, 0x7f8000007fc00000ull, 0x0000000180000000ull,
	0x4f0000004effffffull, 0xc1e0000000000000ull,
};

static uint64_t rand_val(struct rng *r)
{
	switch (rnd(r, 4)) {
	case 0: return interesting[rnd(r, sizeof interesting / sizeof interesting[0])];
	case 1: return rng_next(r) & 0xff;
	default: return rng_next(r);
	}
}

unsigned gen_classes = GEN_INT | GEN_SSE;

void gen_case(struct rng *r, struct dcase *dc, struct dstate *in, bool exact_host)
{
	memset(dc, 0, sizeof *dc);
	memset(in, 0, sizeof *in);
	for (int i = 0; i < 16; i++)
		in->gpr[i] = rand_val(r);
	in->gpr[3] = DIFF_DATA_ADDR;
	in->gpr[4] = DIFF_STACK_ADDR + DIFF_STACK_SIZE - 64;
	in->rflags = 0x202 | (rng_next(r) & 0xcd5); /* arithmetic flags and DF */
	for (int i = 0; i < 16; i++)
		for (int k = 0; k < 2; k++) {
			uint64_t v = rand_val(r);
			memcpy(&in->xmm[i][8 * k], &v, 8);
		}
	in->mxcsr = 0x1f80 | ((uint32_t)rnd(r, 4) << 13) | (rnd(r, 4) == 0 ? 0x8040 : 0);
	for (unsigned i = 0; i < DIFF_DATA_SIZE; i += 8) {
		uint64_t v = rand_val(r);
		memcpy(&in->data[i], &v, 8);
	}
	mode32 = (gen_classes & GEN_COMPAT) && rnd(r, 4) == 0;
	dc->mode32 = mode32;
	unsigned n = 1 + rnd(r, 4);
	for (unsigned k = 0; k < n; k++) {
		const struct tmpl *t;
		for (;;) {
			t = &tmpls[rnd(r, NTMPL)];
			if (t->exact_only && !exact_host)
				continue;
			if (!(gen_classes & (t->xmm ? GEN_SSE : GEN_INT)))
				continue;
			if (mode32 ? (t->xmm || (t->sizes && !(t->sizes & (S16 | S32 | 8))) ||
				      !strcmp(t->name, "movsxd"))
				   : t->only32)
				continue;
			/* on hosts of another vendor, undefined flags must not feed later results */
			if (t->reads_flags && !exact_host && emu_undef_flags(dc->code, dc->len, mode32 ? 32 : 64))
				continue;
			break;
		}
		emit_tmpl(r, dc, t);
	}
	dc->undef = emu_undef_flags(dc->code, dc->len, mode32 ? 32 : 64);
}
