/* SPDX-License-Identifier: MIT */
/* Long-mode variant of test_seg_fuzz.c: random descriptors and 64-bit
 * selector / far-transfer / SYSCALL / IRETQ sequences. No internal errors,
 * and CS.RPL == SS.DPL == CPL before every 64-bit or compatibility-mode
 * instruction. */
#include "segtest.h"
#include "../../cpu/core/cpu.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static uint16_t rsel(void) { return (uint16_t)((rnd() % 32) * 8 + (rnd() & 7)); }

#define TPL 32 /* template size */
#define NTPL 64
static uint32_t rtarget(void) { return ST_CODE + (uint32_t)(rnd() % NTPL) * TPL; }

static struct cpu *hc;
static int violations;
static uint64_t user_insns, compat_insns;
static void on_insn(void *ctx, int cpu, uint64_t cs_base, uint64_t rip, const uint8_t *bytes,
		    unsigned len, int mode_bits)
{
	(void)ctx; (void)cpu; (void)cs_base; (void)rip; (void)bytes; (void)len; (void)mode_bits;
	if (hc->mode != MODE_LONG && hc->mode != MODE_COMPAT)
		return;
	user_insns += hc->cpl == 3;
	compat_insns += hc->mode == MODE_COMPAT;
	if ((hc->seg[SEG_CS].sel & 3) != hc->cpl || ((hc->seg[SEG_SS].attr >> 5) & 3) != hc->cpl)
		violations++;
}
static const struct pac_hooks fuzz_hooks = { .insn = on_insn };

static uint64_t rdesc(void)
{
	static const uint16_t attrs[] = { 0xa9b, 0xafb, 0xc9b, 0xcfb, 0xc93, 0xcf3, 0xa9f, 0xe9b,
					  0xc13, 0xc91, 0x089, 0x082, 0x0ec, 0x08c, 0x0e5 };
	if (rnd() % 4 == 0)
		return rnd();
	uint16_t a = attrs[rnd() % (sizeof attrs / sizeof attrs[0])];
	if ((a & 0x1f) == 0x0c) /* 64-bit call gate: the next slot holds the upper half */
		return st_gate(rsel(), rtarget(), (uint8_t)a, 0);
	return st_desc(0, 0xfffff, a);
}

static void put_sel_load(uint8_t *p, uint16_t s)
{
	static const uint8_t sreg_modrm[] = { 0xd8, 0xc0, 0xe0, 0xe8, 0xd0 };
	p[0] = 0x66; p[1] = 0xb8; p[2] = (uint8_t)s; p[3] = (uint8_t)(s >> 8);
	p[4] = 0x8e; p[5] = sreg_modrm[rnd() % 5];
}

static void emit(uint8_t *p)
{
	memset(p, 0x90, TPL);
	uint16_t s = rsel();
	uint32_t off = rtarget();
	static const uint8_t abs700[] = { 0x25, 0x00, 0x07, 0x00, 0x00 };
	switch (rnd() % 16) {
	case 0: /* jmp far [0x700] / call far [0x700] */
		p[0] = 0xff; p[1] = rnd() & 1 ? 0x2c : 0x1c;
		memcpy(p + 2, abs700, 5);
		break;
	case 1: case 2: { /* iretq with a random-ish frame */
		uint8_t *q = p;
		*q++ = 0x6a; *q++ = (uint8_t)rsel();           /* ss */
		*q++ = 0x68; memcpy(q, "\x00\xf0\x06\x00", 4); q += 4; /* rsp */
		*q++ = 0x6a; *q++ = 0x02;                      /* rflags */
		*q++ = 0x6a; *q++ = (uint8_t)rsel();           /* cs */
		*q++ = 0x68; memcpy(q, &off, 4); q += 4;       /* rip */
		*q++ = 0x48; *q++ = 0xcf;
		break;
	}
	case 3: case 4: { /* retfq to CPL 3 (64-bit or compatibility code) */
		p[0] = 0x6a; p[1] = 0x23;
		p[2] = 0x68; memcpy(p + 3, "\x00\xf0\x06\x00", 4);
		p[7] = 0x6a; p[8] = rnd() & 1 ? 0x3b : 0x1b;
		p[9] = 0x68; memcpy(p + 10, &off, 4);
		p[14] = 0x48; p[15] = 0xcb;
		break;
	}
	case 5: /* mov ax, s; lar/lsl/verr/verw/ltr/lldt */
		p[0] = 0x66; p[1] = 0xb8; p[2] = (uint8_t)s; p[3] = (uint8_t)(s >> 8);
		p[4] = 0x0f;
		p[5] = (uint8_t[]){ 0x02, 0x03, 0x00, 0x00, 0x00, 0x00 }[rnd() % 6];
		p[6] = p[5] ? 0xc0 : (uint8_t[]){ 0xe0, 0xe8, 0xd8, 0xd0 }[rnd() % 4];
		break;
	case 6:
		p[0] = 0xcd; p[1] = (uint8_t)rnd();
		break;
	case 7: /* syscall / sysret / o64 sysret / swapgs */
		switch (rnd() % 4) {
		case 0: p[0] = 0x0f; p[1] = 0x05; break;
		case 1: p[0] = 0x0f; p[1] = 0x07; break;
		case 2: p[0] = 0x48; p[1] = 0x0f; p[2] = 0x07; break;
		default: p[0] = 0x0f; p[1] = 0x01; p[2] = 0xf8; break;
		}
		break;
	case 8: /* lss / lfs / lgs eax, [0x700] */
		p[0] = 0x0f; p[1] = (uint8_t[]){ 0xb2, 0xb4, 0xb5 }[rnd() % 3]; p[2] = 0x04;
		memcpy(p + 3, abs700, 5);
		break;
	case 9: /* mov rcx, off (a SYSRET target) */
		p[0] = 0xb9; memcpy(p + 1, &off, 4);
		break;
	case 10:
		p[0] = 0xf4;
		break;
	default:
		put_sel_load(p, s);
		break;
	}
}

static int one_case(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	hc = m->cpus[0];
	for (uint16_t sel = 0x60; sel < 0x100; sel += 8)
		st_gdt_set(m, sel, rdesc());
	for (int v = 0; v < 256; v++) {
		uint32_t h = 0x8000u + 16u * (unsigned)v;
		uint8_t j[5] = { 0xe9 };
		int32_t rel = (int32_t)rtarget() - (int32_t)(h + 5);
		memcpy(j + 1, &rel, 4);
		if (rnd() % 4 == 0) {
			j[0] = 0x48; j[1] = 0xcf; /* IRETQ */
		}
		pac_phys_write(m, h, j, 5);
		st_idt64_set(m, v, SEL_C64, h, rnd() & 1 ? 0x8e : 0xef, (uint8_t)(rnd() % 3));
	}
	st_w64(m, ST_TSS + 0x24, 0x50000); /* IST1 */
	st_w64(m, ST_TSS + 0x2c, 0x48000); /* IST2 */
	hc->msr.star = (0x18ull << 48) | ((uint64_t)SEL_C64 << 32);
	hc->msr.lstar = rtarget();
	hc->msr.sfmask = rnd() & 0x4700;
	static uint8_t code[NTPL * TPL];
	for (int i = 0; i < NTPL; i++)
		emit(code + TPL * i);
	st_w32(m, 0x700, rtarget());
	st_w16(m, 0x704, rsel());
	if (rnd() & 1)
		st_user64(&r);
	pac_phys_write(m, ST_CODE, code, sizeof code);
	pac_set_regs(m, 0, &r);
	violations = 0;
	pac_set_hooks(m, &fuzz_hooks, NULL);
	struct pac_exit ex;
	pac_run(m, 2000, &ex);
	pac_destroy(m);
	if (ex.reason == PAC_EXIT_INTERNAL_ERROR)
		return 1;
	return violations ? 4 : 0;
}

int main(void)
{
	int fails = 0;
	for (int i = 0; i < 200; i++) {
		int b = one_case();
		if (b && fails++ < 5)
			CHECK(0, "case %d: invariant %d broken", i, b);
		else if (!b)
			CHECK(1, "case");
	}
	if (getenv("SEG_FUZZ_STATS"))
		printf("# %llu at CPL 3, %llu in compatibility mode\n", (unsigned long long)user_insns,
		       (unsigned long long)compat_insns);
	return test_done("seg_fuzz64");
}
