/* SPDX-License-Identifier: MIT */
/* x87 control path, checked against values derived from the APM (not the
 * host): FNSTENV/FLDENV/FNSAVE/FRSTOR layouts in protected and real mode,
 * FIP/FCS/FOP/FDP/FDS, FLDCW/FNSTCW/FNSTSW, #NM (CR0.EM/TS/MP), #MF at the
 * next waiting instruction (CR0.NE), stack faults, condition codes,
 * precision control, #UD encodings and the disassembler's x87 rows. */
#include <math.h>
#include "test.h"
#include "machine_helpers.h"

#define CR0_BASE 0x11u /* PE | ET */
#define MP 0x2u
#define EM 0x4u
#define TS 0x8u
#define NE 0x20u
#define HANDLERS 0x4000u

static pac_machine *m;

/* GDT (null, flat code 08, flat data 10) and an IDT whose gate v points
 * at a HLT at HANDLERS + 16 v. */
static void setup_tables(struct pac_regs *r)
{
	static const uint64_t gdt[3] = { 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull };
	pac_phys_write(m, 0x3000, gdt, sizeof gdt);
	for (unsigned v = 0; v < 32; v++) {
		uint32_t off = HANDLERS + 16 * v;
		uint64_t gate = (off & 0xffffull) | 0x08ull << 16 | 0x8e00ull << 32 |
				(uint64_t)(off >> 16) << 48;
		pac_phys_write(m, 0x3100 + 8 * v, &gate, 8);
		uint8_t hlt = 0xf4;
		pac_phys_write(m, off, &hlt, 1);
	}
	r->gdtr.base = 0x3000;
	r->gdtr.limit = 0x17;
	r->idtr.base = 0x3100;
	r->idtr.limit = 0xff;
}

struct outcome {
	int vector;      /* -1: reached the HLT of the snippet */
	uint32_t ret_eip; /* pushed EIP when a vector was taken */
	struct pac_regs r;
};

/* the first exception seen by the event hook (delivery itself may not be
 * available for every mode yet: the hook reports vector and faulting RIP) */
static int seen_vector;
static uint64_t seen_rip;
static void on_event(void *ctx, int cpu, int vector, bool is_int, bool has_err, uint32_t err,
		     uint64_t rip)
{
	(void)ctx, (void)cpu, (void)is_int, (void)has_err, (void)err;
	if (seen_vector < 0) {
		seen_vector = vector;
		seen_rip = rip;
	}
}
static const struct pac_hooks hooks = { .event = on_event };

static struct outcome run32(const uint8_t *code, size_t n, uint32_t cr0)
{
	struct outcome o;
	memset(&o, 0, sizeof o);
	o.vector = -1;
	struct pac_regs r;
	tm_prot32(m, &r, 0x1000);
	setup_tables(&r);
	r.cr0 = cr0;
	r.efer = 0;
	seen_vector = -1;
	pac_set_hooks(m, &hooks, NULL);
	enum pac_exit_reason e = tm_run(m, &r, code, n, 0x1000);
	pac_set_hooks(m, NULL, NULL);
	pac_get_regs(m, 0, &o.r);
	CHECK(e == PAC_EXIT_HLT || (seen_vector >= 0 && e == PAC_EXIT_UNIMPLEMENTED),
	      "exit reason %d (vector %d at %#llx)", (int)e, seen_vector, (unsigned long long)seen_rip);
	o.vector = seen_vector;
	o.ret_eip = (uint32_t)seen_rip;
	if (e == PAC_EXIT_HLT && seen_vector >= 0)
		CHECK_EQ(o.r.rip, HANDLERS + 16 * (unsigned)seen_vector + 1, "handler reached");
	return o;
}

static uint32_t rd32(uint64_t a) { uint32_t v = 0; pac_phys_read(m, a, &v, 4); return v; }
static uint16_t rd16(uint64_t a) { uint16_t v = 0; pac_phys_read(m, a, &v, 2); return v; }
static void wr32(uint64_t a, uint32_t v) { pac_phys_write(m, a, &v, 4); }
static void wr16(uint64_t a, uint16_t v) { pac_phys_write(m, a, &v, 2); }

/* 32-bit protected-mode environment (APM vol. 1, Fig. 6-9) */
static void t_env32(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3,                         /* 1000 fninit */
		0xd9, 0xe8,                         /* 1002 fld1 */
		0xd8, 0x05, 0x00, 0x20, 0, 0,       /* 1004 fadd dword [2000] */
		0xd9, 0xee,                         /* 100a fldz */
		0xd9, 0x2d, 0x10, 0x20, 0, 0,       /* 100c fldcw [2010] (control: not recorded) */
		0xd9, 0x35, 0x00, 0x21, 0, 0,       /* 1012 fnstenv [2100] */
		0xd9, 0x3d, 0x20, 0x20, 0, 0,       /* 1018 fnstcw [2020] */
		0x66, 0xd9, 0x35, 0x00, 0x22, 0, 0, /* 101e fnstenv [2200] (14 bytes) */
		0xf4 };
	wr32(0x2000, 0x40000000); /* 2.0f */
	wr16(0x2010, 0x0360);
	struct outcome o = run32(code, sizeof code, CR0_BASE | MP | NE);
	CHECK_EQ(o.vector, -1, "no exception");
	CHECK_EQ(rd32(0x2100), 0xffff0360, "env32 FCW");
	CHECK_EQ(rd32(0x2104), 0xffff3000, "env32 FSW (TOP 6)");
	CHECK_EQ(rd32(0x2108), 0xffff1fff, "env32 FTW (R7 valid, R6 zero)");
	CHECK_EQ(rd32(0x210c), 0x100a, "env32 FIP = fldz");
	CHECK_EQ(rd32(0x2110), 0x01ee0008, "env32 FOP:FCS");
	CHECK_EQ(rd32(0x2114), 0x2000, "env32 FDP from the fadd");
	CHECK_EQ(rd32(0x2118), 0xffff0010, "env32 FDS");
	CHECK_EQ(rd16(0x2020), 0x037f, "FNSTENV masks all exceptions");
	CHECK_EQ(rd16(0x2200), 0x037f, "env16 FCW");
	CHECK_EQ(rd16(0x2202), 0x3000, "env16 FSW");
	CHECK_EQ(rd16(0x2204), 0x1fff, "env16 FTW");
	CHECK_EQ(rd16(0x2206), 0x100a, "env16 FIP");
	CHECK_EQ(rd16(0x2208), 0x0008, "env16 FCS");
	CHECK_EQ(rd16(0x220a), 0x2000, "env16 FDP");
	CHECK_EQ(rd16(0x220c), 0x0010, "env16 FDS");
}

/* real-mode layouts (Fig. 6-10/6-12): linear FIP/FDP and FOP */
static void t_env_real(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3,                         /* 0c00 fninit */
		0xd9, 0xe8,                         /* 0c02 fld1 */
		0xd8, 0x06, 0x00, 0x05,             /* 0c04 fadd dword [0500] */
		0xd9, 0x36, 0x00, 0x06,             /* 0c08 fnstenv [0600] (14 bytes) */
		0x66, 0xd9, 0x36, 0x20, 0x06,       /* 0c0c fnstenv [0620] (28 bytes) */
		0xf4 };
	struct pac_regs r;
	tm_real(m, &r, 0x0c00);
	r.seg[PAC_CS].sel = 0x0700;
	r.seg[PAC_CS].base = 0x7000;
	r.seg[PAC_DS].sel = 0x0010;
	r.seg[PAC_DS].base = 0x100;
	r.cr0 = 0x10 | MP | NE;
	r.efer = 0;
	wr32(0x600, 0x3f800000);
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x7c00), PAC_EXIT_HLT, "real exit");
	CHECK_EQ(rd16(0x706), 0x7c04, "real env16 FIP[15:0] (linear)");
	CHECK_EQ(rd16(0x708), 0x0006, "real env16 FIP[19:16]:FOP");
	CHECK_EQ(rd16(0x70a), 0x0600, "real env16 FDP[15:0] (linear)");
	CHECK_EQ(rd16(0x70c), 0x0000, "real env16 FDP[19:16]");
	CHECK_EQ(rd32(0x72c), 0xffff7c04, "real env32 FIP[15:0]");
	CHECK_EQ(rd32(0x730), 0x00000006, "real env32 FIP[31:16]:FOP");
	CHECK_EQ(rd32(0x734), 0xffff0600, "real env32 FDP[15:0]");
	CHECK_EQ(rd32(0x738), 0, "real env32 FDP[31:16]");
}

static uint16_t fsw_after(const uint8_t *code, size_t n, uint32_t cr0, struct outcome *po)
{
	struct outcome o = run32(code, n, cr0);
	if (po)
		*po = o;
	return (uint16_t)o.r.gpr[PAC_RAX];
}

/* FNSAVE stores and reinitialises; FRSTOR brings it all back */
static void t_save_restore(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3, 0xd9, 0xeb, 0xd9, 0xe8,   /* fninit; fldpi; fld1 */
		0xdd, 0x35, 0x00, 0x22, 0, 0,         /* fnsave [2200] */
		0xd9, 0x3d, 0x20, 0x20, 0, 0,         /* fnstcw [2020] */
		0xdd, 0x3d, 0x22, 0x20, 0, 0,         /* fnstsw [2022] */
		0xdd, 0x25, 0x00, 0x22, 0, 0,         /* frstor [2200] */
		0xd8, 0xc1,                           /* fadd st0, st1 */
		0xdb, 0x3d, 0x00, 0x23, 0, 0,         /* fstp tword [2300] */
		0xdf, 0xe0, 0xf4 };                   /* fnstsw ax; hlt */
	struct outcome o;
	uint16_t sw = fsw_after(code, sizeof code, CR0_BASE | MP | NE, &o);
	CHECK_EQ(rd32(0x2204), 0xffff3000, "save FSW");
	CHECK_EQ(rd32(0x2208), 0xffff0fff, "save FTW");
	CHECK_EQ(rd32(0x2200 + 28 + 4), 0x80000000, "save ST0 = 1.0 mantissa");
	CHECK_EQ(rd16(0x2200 + 28 + 8), 0x3fff, "save ST0 = 1.0 exponent");
	CHECK_EQ(rd32(0x2200 + 38 + 4), 0xc90fdaa2, "save ST1 = pi");
	CHECK_EQ(rd16(0x2020), 0x037f, "FNSAVE reinitialises FCW");
	CHECK_EQ(rd16(0x2022), 0, "FNSAVE reinitialises FSW");
	/* 1/4 + pi/4 = 8000..h/4 + C90FDAA22168C235h/4, the half rounded to even */
	CHECK_EQ(rd32(0x2304), 0x8487ed51, "1 + pi high mantissa");
	CHECK_EQ(rd32(0x2300), 0x10b4611a, "1 + pi low mantissa");
	CHECK_EQ(rd16(0x2308), 0x4001, "1 + pi exponent");
	CHECK_EQ(sw, 0x3820, "FSW after FSTP: TOP 7, PE from 1 + pi");
}

/* FRSTOR/FLDENV: non-empty tags recomputed from contents, ES/B from the
 * loaded flags and masks (pending #MF), pointers restored */
static void t_restore_fields(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3, 0xdd, 0x25, 0x00, 0x21, 0, 0, /* 1000 fninit; frstor [2100] */
		0xdf, 0xe0,                               /* 1008 fnstsw ax */
		0xd9, 0x35, 0x00, 0x22, 0, 0,             /* 100a fnstenv [2200] */
		0xd9, 0x25, 0x00, 0x21, 0, 0,             /* 1010 fldenv [2100] (waiting, ES clear) */
		0xd9, 0xe8, 0xf4 };                       /* 1016 fld1: #MF */
	uint8_t img[108];
	memset(img, 0, sizeof img);
	const uint32_t env[7] = { 0xffff0360, 0xffff3804, 0xffff3fff, 0x1234, 0x01230008, 0x5678,
				  0xffff0010 };
	memcpy(img, env, sizeof env); /* ST0 (= R7) is +0 but tagged valid */
	pac_phys_write(m, 0x2100, img, sizeof img);
	struct outcome o;
	uint16_t sw = fsw_after(code, sizeof code, CR0_BASE | MP | NE, &o);
	CHECK_EQ(sw, 0xb884, "FRSTOR: TOP 7, ZE unmasked -> ES, B");
	CHECK_EQ(rd32(0x2200), 0xffff0360, "FCW restored");
	CHECK_EQ(rd32(0x2208), 0xffff7fff, "R7 holds +0: tag recomputed as zero");
	CHECK_EQ(rd32(0x220c), 0x1234, "FIP restored");
	CHECK_EQ(rd32(0x2210), 0x01230008, "FOP:FCS restored");
	CHECK_EQ(rd32(0x2214), 0x5678, "FDP restored");
	CHECK_EQ(rd32(0x2218), 0xffff0010, "FDS restored");
	CHECK_EQ(o.vector, 16, "FLDENV made the exception pending again");
	CHECK_EQ(o.ret_eip, 0x1016, "#MF at fld1");

	/* real-mode 14-byte FLDENV, stored back in the 28-byte real layout */
	static const uint8_t rcode[] = { 0xdb, 0xe3,                   /* fninit (#MF pending) */
					 0xd9, 0x26, 0x00, 0x06,       /* fldenv [0600] */
					 0x66, 0xd9, 0x36, 0x20, 0x06, /* fnstenv [0620] */
					 0xf4 };
	const uint16_t renv[7] = { 0x037f, 0, 0xffff, 0x2345, 0x51ab, 0x6789, 0x3000 };
	struct pac_regs r;
	tm_real(m, &r, 0x7c00);
	r.cr0 = 0x10 | MP | NE;
	r.efer = 0;
	pac_phys_write(m, 0x600, renv, sizeof renv);
	CHECK_EQ(tm_run(m, &r, rcode, sizeof rcode, 0x7c00), PAC_EXIT_HLT, "real fldenv exit");
	CHECK_EQ(rd32(0x62c), 0xffff2345, "real FIP[15:0]");
	CHECK_EQ(rd32(0x630), 0x000051ab, "real FIP[31:16]:FOP");
	CHECK_EQ(rd32(0x634), 0xffff6789, "real FDP[15:0]");
	CHECK_EQ(rd32(0x638), 0x00003000, "real FDP[31:16]");
	CHECK_EQ(rd32(0x628), 0xffffffff, "all empty");
}

/* FLDCW keeps bits 0-5, 8-12 and reads bit 6 as 1 */
static void t_control_word(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3, 0xd9, 0x2d, 0x10, 0x20, 0, 0,  /* fninit; fldcw [2010] */
		0xd9, 0x3d, 0x20, 0x20, 0, 0, 0xf4 };      /* fnstcw [2020] */
	wr16(0x2010, 0xffff);
	run32(code, sizeof code, CR0_BASE | MP | NE);
	CHECK_EQ(rd16(0x2020), 0x1f7f, "FLDCW ffff / FNSTCW");
	wr16(0x2010, 0x0000);
	run32(code, sizeof code, CR0_BASE | MP | NE);
	CHECK_EQ(rd16(0x2020), 0x0040, "FLDCW 0 / FNSTCW");
}

/* #NM: ESC with CR0.EM or CR0.TS; WAIT only with MP and TS (APM vol. 2, 8.2.8) */
static void t_nm(void)
{
	static const uint8_t fld1[] = { 0xd9, 0xe8, 0xf4 };
	static const uint8_t fwait[] = { 0x9b, 0xf4 };
	CHECK_EQ(run32(fld1, 3, CR0_BASE | MP | TS).vector, 7, "fld1 with TS");
	CHECK_EQ(run32(fld1, 3, CR0_BASE | EM).vector, 7, "fld1 with EM");
	CHECK_EQ(run32(fld1, 3, CR0_BASE | MP).vector, -1, "fld1 without EM/TS");
	CHECK_EQ(run32(fwait, 2, CR0_BASE | TS).vector, -1, "fwait with TS, MP=0");
	CHECK_EQ(run32(fwait, 2, CR0_BASE | MP | TS).vector, 7, "fwait with MP and TS");
	CHECK_EQ(run32(fwait, 2, CR0_BASE | EM).vector, -1, "fwait with EM");
	struct outcome o = run32(fld1, 3, CR0_BASE | TS);
	CHECK_EQ(o.ret_eip, 0x1000, "#NM is a fault");
}

/* #MF at the next waiting instruction when CR0.NE = 1 */
static void t_mf(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3, 0xd9, 0x2d, 0x10, 0x20, 0, 0,  /* 1000 fninit; fldcw [2010] */
		0xd9, 0xee, 0xd9, 0xe8,                    /* 1008 fldz; fld1 */
		0xd8, 0xf1,                                /* 100c fdiv st0, st1: 1/0 */
		0xdf, 0xe0,                                /* 100e fnstsw ax (no wait) */
		0x9b,                                      /* 1010 fwait */
		0xdd, 0x35, 0x00, 0x22, 0, 0, 0xf4 };      /* 1011 fnsave [2200] */
	wr16(0x2010, 0x037b); /* ZE unmasked */
	struct outcome o;
	uint16_t sw = fsw_after(code, sizeof code, CR0_BASE | MP | NE, &o);
	CHECK_EQ(o.vector, 16, "#MF on fwait");
	CHECK_EQ(o.ret_eip, 0x1010, "#MF points at the waiting instruction");
	CHECK_EQ(sw, 0xb084, "FSW: B, ES, ZE, TOP 6");
	uint16_t sw2 = fsw_after(code, sizeof code, CR0_BASE | MP, &o);
	CHECK_EQ(o.vector, -1, "CR0.NE = 0: no #MF (FERR# not modelled)");
	CHECK_EQ(sw2, 0xb084, "FSW with NE = 0");
	CHECK_EQ(rd32(0x2200 + 28 + 4), 0x80000000, "unmasked ZE: ST0 unchanged (1.0)");
	CHECK_EQ(rd16(0x2200 + 28 + 8), 0x3fff, "unmasked ZE: ST0 exponent");
	CHECK_EQ(rd32(0x2200 + 12), 0x100c, "FIP = faulting fdiv");
	CHECK_EQ(rd32(0x2200 + 16), 0x00f10008, "FOP = 0F1, FCS");

	/* masked ZE, then FLDCW unmasks it: pending at the next waiting insn */
	static const uint8_t code2[] = {
		0xdb, 0xe3, 0xd9, 0xee, 0xd9, 0xe8, 0xd8, 0xf1, /* 1000 fninit; fldz; fld1; fdiv */
		0xd9, 0x2d, 0x10, 0x20, 0, 0,                   /* 1008 fldcw [2010] */
		0xdf, 0xe0,                                     /* 100e fnstsw ax */
		0xd9, 0xe8, 0xf4 };                             /* 1010 fld1 */
	sw = fsw_after(code2, sizeof code2, CR0_BASE | MP | NE, &o);
	CHECK_EQ(o.vector, 16, "#MF after FLDCW unmasked a set flag");
	CHECK_EQ(o.ret_eip, 0x1010, "#MF at fld1");
	CHECK_EQ(sw, 0xb084, "ES set by FLDCW");

	/* FNCLEX clears it: no #MF */
	static const uint8_t code3[] = {
		0xdb, 0xe3, 0xd9, 0x2d, 0x10, 0x20, 0, 0, 0xd9, 0xee, 0xd9, 0xe8, 0xd8, 0xf1,
		0xdb, 0xe2, 0x9b, 0xdf, 0xe0, 0xf4 };   /* fnclex; fwait; fnstsw ax */
	sw = fsw_after(code3, sizeof code3, CR0_BASE | MP | NE, &o);
	CHECK_EQ(o.vector, -1, "no #MF after FNCLEX");
	CHECK_EQ(sw, 0x3000, "FNCLEX cleared flags, ES and B");
}

/* stack overflow / underflow: IE | SF, C1 = 1 on overflow (APM vol. 1, 6.4.2.1) */
static void t_stack_fault(void)
{
	static const uint8_t over[] = { 0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8,
					0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8,
					0xdf, 0xe0, 0xdb, 0x3d, 0x00, 0x23, 0, 0, 0xf4 };
	uint16_t sw = fsw_after(over, sizeof over, CR0_BASE | MP | NE, NULL);
	CHECK_EQ(sw, 0x3a41, "overflow: C1, SF, IE, TOP 7");
	CHECK_EQ(rd32(0x2304), 0xc0000000, "overflow loads the real indefinite");
	CHECK_EQ(rd16(0x2308), 0xffff, "real indefinite sign/exponent");
	static const uint8_t under[] = { 0xdb, 0xe3, 0xd8, 0xc1, 0xdf, 0xe0, 0xf4 };
	sw = fsw_after(under, sizeof under, CR0_BASE | MP | NE, NULL);
	CHECK_EQ(sw, 0x0041, "underflow: SF, IE, C1 = 0");
}

/* condition codes per the APM tables for FCOM, FUCOM, FTST, FXAM */
static uint16_t cc_of(uint8_t op1, uint8_t op2, uint32_t a_bits, uint32_t b_bits)
{
	const uint8_t code[] = { 0xdb, 0xe3, 0xd9, 0x05, 0x04, 0x20, 0, 0, /* fld dword [2004] (b) */
				 0xd9, 0x05, 0x00, 0x20, 0, 0,               /* fld dword [2000] (a) */
				 op1, op2, 0xdf, 0xe0, 0xf4 };
	wr32(0x2000, a_bits);
	wr32(0x2004, b_bits);
	return (uint16_t)(fsw_after(code, sizeof code, CR0_BASE | MP | NE, NULL) & 0x4741);
}

static void t_condition_codes(void)
{
	const uint32_t one = 0x3f800000, two = 0x40000000, qnan = 0x7fc00000, ninf = 0xff800000;
	CHECK_EQ(cc_of(0xd8, 0xd1, two, one), 0x0000, "fcom 2 > 1");
	CHECK_EQ(cc_of(0xd8, 0xd1, one, two), 0x0100, "fcom 1 < 2: C0");
	CHECK_EQ(cc_of(0xd8, 0xd1, one, one), 0x4000, "fcom equal: C3");
	CHECK_EQ(cc_of(0xd8, 0xd1, qnan, one), 0x4501, "fcom QNaN: C3 C2 C0, IE");
	CHECK_EQ(cc_of(0xdd, 0xe1, qnan, one), 0x4500, "fucom QNaN: unordered, no IE");
	CHECK_EQ(cc_of(0xd9, 0xe4, ninf, one), 0x0100, "ftst -inf: C0");
	CHECK_EQ(cc_of(0xd9, 0xe5, ninf, one), 0x0700, "fxam -inf: C2 C0, C1 sign");
	CHECK_EQ(cc_of(0xd9, 0xe5, 0, one), 0x4000, "fxam +0: C3");
	CHECK_EQ(cc_of(0xd9, 0xe5, 1, one), 0x0400, "fxam: a float denormal is normal in extended: C2");
}

/* precision and rounding control on 1/3 */
static uint64_t third(uint16_t cw)
{
	static const uint8_t code[] = { 0xdb, 0xe3, 0xd9, 0x2d, 0x10, 0x20, 0, 0, /* fldcw [2010] */
					0xd9, 0x05, 0x00, 0x20, 0, 0,             /* fld dword [2000] = 3 */
					0xd9, 0xe8, 0xde, 0xf1,                   /* fld1; fdivrp */
					0xdb, 0x3d, 0x00, 0x23, 0, 0, 0xf4 };     /* fstp tword [2300] */
	wr16(0x2010, cw);
	wr32(0x2000, 0x40400000);
	run32(code, sizeof code, CR0_BASE | MP | NE);
	return (uint64_t)rd32(0x2304) << 32 | rd32(0x2300);
}

static void t_precision(void)
{
	CHECK_EQ(third(0x037f), 0xaaaaaaaaaaaaaaabull, "1/3 PC64 nearest");
	CHECK_EQ(third(0x027f), 0xaaaaaaaaaaaaa800ull, "1/3 PC53 nearest");
	CHECK_EQ(third(0x007f), 0xaaaaab0000000000ull, "1/3 PC24 nearest");
	CHECK_EQ(third(0x077f), 0xaaaaaaaaaaaaaaaaull, "1/3 PC64 down");
	CHECK_EQ(third(0x0f7f), 0xaaaaaaaaaaaaaaaaull, "1/3 PC64 chop");
	CHECK_EQ(third(0x0a7f), 0xaaaaaaaaaaaab000ull, "1/3 PC53 up");
	CHECK_EQ(third(0x0c7f), 0xaaaaaa0000000000ull, "1/3 PC24 chop");
}

/* 64-bit mode (entered as PE + EFER.LMA + CS.L with paging off, as the
 * integer tests do): RIP-relative m64, REX.B ignored for ST(i), REX.W
 * FNSTENV still the 28-byte format, FIP = low half of RIP */
static void t_long64(void)
{
	static const uint8_t code[] = {
		0xdb, 0xe3, 0xd9, 0xe8,                   /* 1000 fninit; fld1 */
		0xdc, 0x05, 0xf6, 0x0f, 0x00, 0x00,       /* 1004 fadd qword [rip+0ff6] = [2000] */
		0x41, 0xd8, 0xc0,                         /* 100a fadd st0, st0 (REX.B) */
		0x48, 0xd9, 0x33,                         /* 100d fnstenv [rbx] */
		0xdd, 0x5b, 0x40,                         /* 1010 fstp qword [rbx+40] */
		0xf4 };
	struct pac_regs r;
	tm_prot32(m, &r, 0x1000);
	r.efer = 0x500;
	r.seg[PAC_CS].attr = 0xa9b;
	r.cr0 = CR0_BASE | MP | NE;
	r.gpr[PAC_RBX] = 0x2100;
	uint64_t one = 0x3ff0000000000000ull, four = 0;
	pac_phys_write(m, 0x2000, &one, 8);
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x1000), PAC_EXIT_HLT, "64-bit exit");
	CHECK_EQ(rd32(0x2100 + 12), 0x100a, "64-bit FIP");
	CHECK_EQ(rd32(0x2100 + 16), 0x00c00008, "64-bit FOP:FCS");
	CHECK_EQ(rd32(0x2100 + 20), 0x2000, "64-bit FDP (RIP-relative)");
	pac_phys_read(m, 0x2140, &four, 8);
	CHECK_EQ(four, 0x4010000000000000ull, "(1 + 1) * 2 stored as m64");
}

static void t_ud(void)
{
	static const uint8_t a[] = { 0xd9, 0xd1, 0xf4 }, b[] = { 0xdb, 0xe5, 0xf4 },
			     c[] = { 0xd9, 0x08, 0xf4 }, d[] = { 0xdd, 0x28, 0xf4 };
	CHECK_EQ(run32(a, 3, CR0_BASE | MP | NE).vector, 6, "D9 D1 #UD");
	CHECK_EQ(run32(b, 3, CR0_BASE | MP | NE).vector, 6, "DB E5 #UD");
	CHECK_EQ(run32(c, 3, CR0_BASE | MP | NE).vector, 6, "D9 /1 mem #UD");
	CHECK_EQ(run32(d, 3, CR0_BASE | MP | NE).vector, 6, "DD /5 mem #UD");
}

static void t_disasm(void)
{
	static const struct { uint8_t b[4]; int n; const char *want; } cases[] = {
		{ { 0xd8, 0xc3 }, 2, "fadd st(0), st(3)" },
		{ { 0xdc, 0xeb }, 2, "fsub st(3), st(0)" },
		{ { 0xde, 0xf9 }, 2, "fdivp st(1), st(0)" },
		{ { 0xd9, 0xe8 }, 2, "fld1" },
		{ { 0xdf, 0xe0 }, 2, "fnstsw ax" },
		{ { 0xd9, 0xc9 }, 2, "fxch st(1)" },
		{ { 0xdb, 0xf1 }, 2, "fcomi st(0), st(1)" },
		{ { 0x9b }, 1, "fwait" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		int n = pac_disasm(cases[i].b, (size_t)cases[i].n, 32, buf, sizeof buf);
		CHECK(n == cases[i].n && !strcmp(buf, cases[i].want), "disasm: got '%s', want '%s'", buf,
		      cases[i].want);
	}
	char buf[64];
	static const uint8_t st[] = { 0xdd, 0x5d, 0x08 };
	pac_disasm(st, 3, 32, buf, sizeof buf);
	CHECK(!strncmp(buf, "fstp qword", 10), "disasm fstp m64: '%s'", buf);
}

int main(void)
{
	m = tm_new();
	t_env32();
	t_env_real();
	t_save_restore();
	t_restore_fields();
	t_control_word();
	t_nm();
	t_mf();
	t_stack_fault();
	t_condition_codes();
	t_precision();
	t_long64();
	t_ud();
	t_disasm();
	pac_destroy(m);
	return test_done("x87 control");
}
