/* SPDX-License-Identifier: MIT */
/* Seeded random descriptor tables and selector/far-transfer sequences:
 * whatever the guest does, the emulator must not crash or report an
 * internal error, and in protected mode the invariants CS.RPL == CPL and
 * SS.DPL == CPL (legacy mode) must hold after every run. */
#include "segtest.h"
#include "../../cpu/core/cpu.h"

/* invariants checked before every instruction through the insn hook */
static struct cpu *hc;
static int violations;
static uint64_t user_insns, total_insns;
static void on_insn(void *ctx, int cpu, uint64_t cs_base, uint64_t rip, const uint8_t *bytes,
		    unsigned len, int mode_bits)
{
	(void)ctx; (void)cpu; (void)cs_base; (void)rip; (void)bytes; (void)len; (void)mode_bits;
	total_insns++;
	if (hc->mode != MODE_PROT)
		return;
	user_insns += hc->cpl == 3;
	if ((hc->seg[SEG_CS].sel & 3) != hc->cpl || ((hc->seg[SEG_SS].attr >> 5) & 3) != hc->cpl)
		violations++;
}
static const struct pac_hooks fuzz_hooks = { .insn = on_insn };

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A selector biased towards the populated GDT/LDT range and all RPLs. */
static uint16_t rsel(void)
{
	return (uint16_t)((rnd() % 32) * 8 + (rnd() & 7));
}

/* A descriptor biased towards plausible code/data/system types. */
static uint64_t rdesc(void)
{
	static const uint16_t attrs[] = { 0xc9b, 0xcfb, 0xc93, 0xcf3, 0xc9f, 0xcb3, 0x09b, 0x093,
					  0xc13, 0xc91, 0x089, 0x08b, 0x082, 0x0e4, 0x0ec, 0x08c,
					  0x0e5, 0x497, 0xcdb, 0xcd3 };
	if (rnd() % 4 == 0)
		return rnd();
	uint16_t a = attrs[rnd() % (sizeof attrs / sizeof attrs[0])];
	uint32_t base = rnd() % 4 ? 0 : (uint32_t)(rnd() & 0xfff000);
	uint32_t limit = rnd() % 3 ? 0xfffff : (uint32_t)(rnd() & 0xfffff);
	if ((a & 0x1f) == 0x04 || (a & 0x1f) == 0x0c) /* gate: selector and offset */
		return st_gate(rsel(), ST_CODE + (uint32_t)(rnd() % 64) * 16, (uint8_t)a, (uint8_t)(rnd() & 3));
	return st_desc(base, limit, a);
}

/* One 16-byte template at p (padded with NOPs): a selector operation. */
static void emit(uint8_t *p)
{
	memset(p, 0x90, 16);
	uint16_t s = rsel();
	uint32_t off = ST_CODE + (uint32_t)(rnd() % 64) * 16;
	static const uint8_t sreg_modrm[] = { 0xd8, 0xc0, 0xe0, 0xe8, 0xd0 };
	switch (rnd() % 24) {
	case 0: /* mov ax, s; mov sreg, ax */
		p[0] = 0x66; p[1] = 0xb8; p[2] = (uint8_t)s; p[3] = (uint8_t)(s >> 8);
		p[4] = 0x8e; p[5] = sreg_modrm[rnd() % 5];
		break;
	case 1: /* jmp far / call far s:off */
		p[0] = rnd() & 1 ? 0xea : 0x9a;
		memcpy(p + 1, &off, 4);
		memcpy(p + 5, &s, 2);
		break;
	case 2: case 3: { /* push off-ish values; retf / iretd */
		uint32_t v[3] = { (uint32_t)(rnd() & 0x3ff7d7), s, off };
		for (int i = 0; i < 3; i++) {
			p[5 * i] = 0x68;
			memcpy(p + 5 * i + 1, &v[i], 4);
		}
		p[15] = rnd() & 1 ? 0xcb : 0xcf;
		break;
	}
	case 4: /* mov ax, s; lar/lsl/verr/verw/ltr/lldt */
		p[0] = 0x66; p[1] = 0xb8; p[2] = (uint8_t)s; p[3] = (uint8_t)(s >> 8);
		p[4] = 0x0f;
		switch (rnd() % 6) {
		case 0: p[5] = 0x02; p[6] = 0xc0; break;
		case 1: p[5] = 0x03; p[6] = 0xc0; break;
		case 2: p[5] = 0x00; p[6] = 0xe0; break;
		case 3: p[5] = 0x00; p[6] = 0xe8; break;
		case 4: p[5] = 0x00; p[6] = 0xd8; break;
		default: p[5] = 0x00; p[6] = 0xd0; break;
		}
		break;
	case 5: /* int n */
		p[0] = 0xcd;
		p[1] = (uint8_t)rnd();
		break;
	case 6: /* arpl / push+pop sreg */
		p[0] = 0x63; p[1] = 0xc3; p[2] = 0x1e; p[3] = 0x1f; p[4] = 0x06; p[5] = 0x07;
		break;
	case 7: /* lss / lfs / lgs eax, [0x700] (far pointer set per case) */
		p[0] = 0x0f;
		p[1] = (uint8_t[]){ 0xb2, 0xb4, 0xb5 }[rnd() % 3];
		p[2] = 0x05;
		memcpy(p + 3, "\x00\x07\x00\x00", 4);
		break;
	case 8:
		p[0] = 0xf4;
		break;
	case 9: case 10: case 11: { /* retf to CPL 3: push 0x23; push esp; push 0x1b; push off; retf */
		uint32_t sp = 0x6f000;
		p[0] = 0x6a; p[1] = 0x23;
		p[2] = 0x68; memcpy(p + 3, &sp, 4);
		p[7] = 0x6a; p[8] = 0x1b;
		p[9] = 0x68; memcpy(p + 10, &off, 4);
		p[14] = 0xcb;
		break;
	}
	default: /* more selector loads */
		p[0] = 0x66; p[1] = 0xb8; p[2] = (uint8_t)s; p[3] = (uint8_t)(s >> 8);
		p[4] = 0x8e; p[5] = sreg_modrm[rnd() % 5];
		break;
	}
}

static int one_case(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	for (uint16_t sel = 0x60; sel < 0x100; sel += 8)
		st_gdt_set(m, sel, rdesc());
	/* handlers jump back into the random code instead of halting */
	for (int v = 0; v < 256; v++) {
		uint32_t h = 0x8000u + 8u * (unsigned)v;
		uint8_t j[5] = { 0xe9 };
		int32_t rel = (int32_t)(ST_CODE + (uint32_t)(rnd() % 64) * 16) - (int32_t)(h + 5);
		memcpy(j + 1, &rel, 4);
		if (rnd() % 4 == 0)
			j[0] = 0xcf; /* IRETD: wrong for error-code frames, which is fine here */
		pac_phys_write(m, h, j, 5);
		st_idt_set(m, v, st_gate(SEL_C32, h, rnd() & 1 ? 0x8e : 0xef, 0));
	}
	for (int i = 0; i < 8; i++)
		st_idt_set(m, (int)(rnd() & 0xff), rdesc());
	static uint8_t code[64 * 16];
	for (int i = 0; i < 64; i++)
		emit(code + 16 * i);
	st_w32(m, 0x700, (uint32_t)rnd());
	st_w16(m, 0x704, rsel());
	if (rnd() & 1)
		st_user(&r);
	r.rflags = 0x2 | (rnd() & 0x3000);
	pac_phys_write(m, ST_CODE, code, sizeof code);
	pac_set_regs(m, 0, &r);
	hc = m->cpus[0];
	violations = 0;
	pac_set_hooks(m, &fuzz_hooks, NULL);
	struct pac_exit ex;
	pac_run(m, 2000, &ex);
	enum pac_exit_reason e = ex.reason;
	pac_get_regs(m, 0, &r);
	int bad = 0;
	if (e == PAC_EXIT_INTERNAL_ERROR)
		bad = 1;
	if (violations)
		bad = 4;
	if ((r.cr0 & 1) && !(r.rflags & 0x20000) && e != PAC_EXIT_SHUTDOWN) {
		if ((r.seg[PAC_CS].sel & 3) != r.cpl)
			bad = 2;
		if (((r.seg[PAC_SS].attr >> 5) & 3) != r.cpl)
			bad = 3;
	}
	if (getenv("SEG_FUZZ_STATS"))
		printf("# exit %d cpl %u cs %#x rip %#llx\n", e, r.cpl, r.seg[PAC_CS].sel,
		       (unsigned long long)r.rip);
	pac_destroy(m);
	return bad;
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
		printf("# %llu instructions, %llu at CPL 3\n", (unsigned long long)total_insns,
		       (unsigned long long)user_insns);
	return test_done("seg_fuzz");
}
