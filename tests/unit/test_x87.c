/* SPDX-License-Identifier: MIT */
/* x87 against the host CPU: every register and memory form of every x87
 * row that executes arithmetic (op_x87_host) runs in the emulator and
 * natively on the host from the same state, over special and ordinary
 * operands and a rotation of control words (precision, rounding, masks);
 * the FNSAVE images (registers, tags, status word, condition codes),
 * memory results and RFLAGS must match bit for bit. */
#include "x87_harness.h"
#include "decode/insn.h"
#include "exec/handlers.h"

struct f80 {
	uint64_t m;
	uint16_t se;
};
static const struct f80 vals[] = {
	{ 0, 0 }, { 0, 0x8000 },                                      /* +-0 */
	{ 1ull << 63, 0x3fff }, { 1ull << 63, 0xbfff },               /* +-1 */
	{ 0xc90fdaa22168c235ull, 0x4000 },                            /* pi */
	{ 0xaaaaaaaaaaaaaaabull, 0x3ffd },                            /* 1/3 */
	{ 0xc000000000000000ull, 0x4001 },                            /* 6 */
	{ 0xffffffffffffffffull, 0x7ffe }, { 1ull << 63, 1 },          /* max, min normal */
	{ 0x0000000012345678ull, 0 }, { 0x8000000000000001ull, 0 },   /* denormal, pseudo-denormal */
	{ 0x4000000000000000ull, 0x3fff },                            /* unnormal */
	{ 1ull << 63, 0x7fff }, { 1ull << 63, 0xffff },               /* +-inf */
	{ 0xc000000000000001ull, 0x7fff }, { 0xa000000000000000ull, 0xffff }, /* QNaN, SNaN */
	{ 0xc000000000000000ull, 0xffff },                            /* real indefinite */
	{ 0x4000000000000000ull, 0x7fff },                            /* pseudo-NaN (unsupported) */
	{ 0x8000000000000123ull, 0x403e }, { 0xfedcba9876543210ull, 0xc01d }, /* integers */
	{ 0x8000000000000000ull, 0x4ffe }, { 0x8000000000000000ull, 0x3001 }, /* huge, tiny */
	{ 0x9b5e2a1f00c3b7d1ull, 0x3ffe },                            /* ~0.6 */
};
#define NV ((int)(sizeof vals / sizeof vals[0]))
static const uint16_t cws[] = { 0x037f, 0x027f, 0x007f, 0x077f, 0x0b7f, 0x0f7f, 0x0360, 0x037e,
				0x0377, 0x036f, 0x035f, 0x033f, 0x0340 };
#define NCW ((int)(sizeof cws / sizeof cws[0]))

static void put80(uint8_t *d, int off, struct f80 v)
{
	memcpy(d + 0x80 + off, &v.m, 8);
	memcpy(d + 0x80 + off + 8, &v.se, 2);
}

static int cases, mismatches;

/* The reserved aliases (FCOM2, FCOMP3/5, FXCH4/7, FSTP1/8/9) run natively
 * as their documented twins, so the test does not depend on the host
 * accepting them; the emulator runs the alias bytes. */
static void canonical(uint8_t *opc, uint8_t *modrm)
{
	uint8_t i = *modrm & 7;
	switch ((unsigned)*opc << 8 | (*modrm & 0xf8u)) {
	case 0xdcd0: *opc = 0xd8; *modrm = (uint8_t)(0xd0 + i); break;
	case 0xdcd8: case 0xded0: *opc = 0xd8; *modrm = (uint8_t)(0xd8 + i); break;
	case 0xddc8: case 0xdfc8: *opc = 0xd9; *modrm = (uint8_t)(0xc8 + i); break;
	case 0xd9d8: case 0xdfd0: case 0xdfd8: *opc = 0xdd; *modrm = (uint8_t)(0xd8 + i); break;
	default: break;
	}
}

static void compare_at(struct xh *h, const struct snip *s, uint8_t *data, const char *what, int at)
{
	uint8_t nat[XH_SIZE], emu[XH_SIZE];
	struct snip ns = *s;
	if (at >= 0)
		canonical(&ns.b[at], &ns.b[at + 1]);
	memcpy(nat, data, XH_SIZE);
	memcpy(emu, data, XH_SIZE);
	xh_native(h, &ns, nat);
	enum pac_exit_reason e = xh_emul(h, s, emu, 0x33);
	cases++;
	if (e != PAC_EXIT_HLT || !xh_same(nat, emu)) {
		if (mismatches++ < 12) {
			printf("# mismatch %s exit %d, code:", what, (int)e);
			for (int i = 0; i < s->n; i++)
				printf(" %02x", s->b[i]);
			printf("\n");
			xh_dump("host", nat);
			xh_dump("emul", emu);
		}
	}
}

static void compare(struct xh *h, const struct snip *s, uint8_t *data, const char *what)
{
	compare_at(h, s, data, what, -1);
}

/* ST(0)=a, ST(1)=b, ST(2)=2.5, ST(3..7) empty; RFLAGS in from fl */
static void setup(uint8_t *data, struct f80 a, struct f80 b, uint16_t cw, unsigned fl)
{
	memset(data, 0xcc, XH_SIZE);
	put80(data, XA, a);
	put80(data, XB, b);
	put80(data, XC, (struct f80){ 0xa000000000000000ull, 0x4000 });
	memcpy(data + 0x80 + XCW, &cw, 2);
	uint64_t f = (fl & 0x8d5u) | 2;
	memcpy(data + 0x80 + XFLIN, &f, 8);
	memset(data + 0x80 + XFLOUT, 0, 8);
}

static void load3(struct snip *s)
{
	sn_mem(s, 0xdb, 5, XC);
	sn_mem(s, 0xdb, 5, XB);
	sn_mem(s, 0xdb, 5, XA);
}

static bool host_row(const struct oprow *r)
{
	return r->exec == op_x87_host && r->map == MAP_1B && r->opc >= 0xd8 && r->opc <= 0xdf;
}

static const struct oprow *find_row(int opc, int modrm)
{
	struct insn in;
	uint8_t b[4] = { (uint8_t)opc, (uint8_t)modrm, 0, 0 };
	if (!decode_bytes(b, sizeof b, 32, &in))
		return NULL;
	return in.row;
}

static void t_register_forms(struct xh *h)
{
	uint8_t data[XH_SIZE];
	char what[64];
	int k = 0, forms = 0;
	for (int opc = 0xd8; opc <= 0xdf; opc++) {
		for (int modrm = 0xc0; modrm <= 0xff; modrm++) {
			const struct oprow *r = find_row(opc, modrm);
			if (!r || !host_row(r))
				continue;
			forms++;
			int i = modrm & 7;
			for (int a = 0; a < NV; a++) {
				for (int b = 0; b < NV; b++) {
					/* full cross product for ST(1), a diagonal band otherwise */
					if (i != 1 && (a + b + i) % 5)
						continue;
					k++;
					setup(data, vals[a], vals[b], cws[k % NCW], (uint8_t)(k * 0x45) | (k & 8) << 8);
					struct snip s;
					sn_prologue(&s);
					load3(&s);
					int at = s.n;
					sn2(&s, (uint8_t)opc, (uint8_t)modrm);
					sn_epilogue(&s);
					snprintf(what, sizeof what, "%s %02x %02x a%d b%d", r->name, opc, modrm, a, b);
					compare_at(h, &s, data, what, at);
				}
			}
		}
	}
	CHECK(forms >= 400, "register forms found: %d", forms);
}

/* memory operand patterns, by operand size */
static const uint64_t m16s[] = { 0, 1, 0x7fff, 0x8000, 0xffff, 0x1234, 0xfffe };
static const uint64_t m32s[] = { 0, 0x80000000, 0x3f800000, 0x7f800000, 0xff800000, 0x7fc00001,
				 0x7fa00000, 0x00000001, 0x007fffff, 0x7f7fffff, 0x40490fdb, 0x12345678,
				 0xcf000000, 0x4f000000, 0xffffffff };
static const uint64_t m64s[] = { 0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0x7ff0000000000000ull,
				 0x7ff8000000000001ull, 0x7ff4000000000000ull, 1, 0x000fffffffffffffull,
				 0x7fefffffffffffffull, 0x400921fb54442d18ull, 0xc3e0000000000000ull,
				 0x43e0000000000000ull, 0x123456789abcdef0ull, 0xffffffffffffffffull };
static const uint64_t bcds[] = { 0, 0x9999999999999999ull, 0x123, 0x1234567890abcdefull /* invalid digits */ };

static void t_memory_forms(struct xh *h)
{
	uint8_t data[XH_SIZE];
	char what[64];
	int k = 0, forms = 0;
	for (int opc = 0xd8; opc <= 0xdf; opc++) {
		for (int reg = 0; reg < 8; reg++) {
			struct insn in;
			uint8_t b[4] = { (uint8_t)opc, (uint8_t)(0x43 | reg << 3), (uint8_t)XM, 0 };
			if (!decode_bytes(b, 3, 32, &in) || !host_row(in.row))
				continue;
			forms++;
			const char *ops = in.row->ops;
			int size = ops[1] == 'w' ? 2 : ops[1] == 'd' ? 4 : ops[1] == 'q' ? 8 : 10;
			bool intop = in.row->name[1] == 'i' && in.row->name[2] != 'l'; /* fiadd.., fist.. */
			const uint64_t *pats = size == 2 ? m16s : size == 4 ? m32s : m64s;
			int np = size == 2 ? 7 : size == 4 ? 15 : 14;
			if (size == 10 && !strcmp(in.row->name, "fbld")) {
				pats = bcds;
				np = 4;
			}
			for (int a = 0; a < NV; a++) {
				for (int p = 0; p < np + (size == 10 ? NV - np : 0); p++) {
					k++;
					setup(data, vals[a], vals[(a * 7 + 3) % NV], cws[k % NCW], 0);
					if (size == 10 && p >= np)
						put80(data, XM, vals[p]);
					else if (size == 10)
						put80(data, XM, (struct f80){ pats[p], (uint16_t)(p * 0x1111) });
					else
						memcpy(data + 0x80 + XM, &pats[p % np], (size_t)size);
					struct snip s;
					sn_prologue(&s);
					load3(&s);
					sn_mem(&s, (uint8_t)opc, reg, XM);
					sn_epilogue(&s);
					snprintf(what, sizeof what, "%s%s %02x /%d a%d p%d", in.row->name,
						 intop ? "(int)" : "", opc, reg, a, p);
					compare(h, &s, data, what);
				}
			}
		}
	}
	CHECK(forms == 53, "memory forms found: %d", forms);
}

/* After MMX instructions (TOS = 0, registers written with exponent FFFFh,
 * all marked non-empty) FNSAVE computes the tag word from the contents;
 * EMMS empties them again. */
static void t_mmx_tags(struct xh *h)
{
	uint8_t data[XH_SIZE];
	for (int v = 0; v < 2; v++) {
		setup(data, vals[4], vals[5], 0x037f, 0);
		struct snip s;
		sn_prologue(&s);
		for (int i = 0; i < 8; i++)
			sn2(&s, 0xd9, 0xee);                /* fldz x 8 */
		sn2(&s, 0xdb, 0xe3);                        /* fninit */
		sn_mem(&s, 0xd9, 5, XA);                    /* fld tword [XA] */
		static const uint8_t movq[] = { 0x0f, 0x6f, 0x4b, (uint8_t)XM }; /* movq mm1, [XM] */
		sn_bytes(&s, 4, movq);
		if (v) {
			static const uint8_t emms[] = { 0x0f, 0x77 };
			sn_bytes(&s, 2, emms);
		}
		sn_epilogue(&s);
		compare(h, &s, data, v ? "mmx + emms tags" : "mmx tags");
	}
}

int main(void)
{
	struct xh h;
	xh_init(&h);
	t_register_forms(&h);
	t_memory_forms(&h);
	t_mmx_tags(&h);
	CHECK(mismatches == 0, "%d of %d cases differ from the host", mismatches, cases);
	CHECK(cases > 10000, "cases run: %d", cases);
	printf("# %d cases compared with the host\n", cases);
	xh_fini(&h);
	return test_done("x87 vs host");
}
