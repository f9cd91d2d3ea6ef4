/* SPDX-License-Identifier: MIT */
/* String instructions: MOVS CMPS STOS LODS SCAS INS OUTS, with and without
 * REP/REPE/REPNE, DF = 0/1, 16/32/64-bit address sizes (CX/ECX/RCX and
 * SI/DI wrap-around), source segment override, ES fixed destination,
 * resumption after the per-step iteration budget, and a fault in the middle
 * of a REP leaving rCX/rSI/rDI at the completed iterations. Expected values
 * are worked out by hand from the APM rules. */
#include "int_harness.h"

#define SRC 0x3000u
#define DST 0x5000u
#define HLT 0xf4

static void fill(uint64_t at, uint8_t seed, size_t n)
{
	uint8_t b[256];
	for (size_t i = 0; i < n && i < sizeof b; i++)
		b[i] = (uint8_t)(seed + i * 7);
	pac_phys_write(emu_machine(), at, b, n);
}

static uint64_t rd(uint64_t at, unsigned n)
{
	uint64_t v = 0;
	pac_phys_read(emu_machine(), at, &v, n);
	return v;
}

static void clear(uint64_t at, size_t n)
{
	static const uint8_t z[512];
	pac_phys_write(emu_machine(), at, z, n);
}

static void t_movs(void)
{
	/* rep movsd (32-bit mode, DF = 0) */
	static const uint8_t code[] = { 0xf3, 0xa5, HLT };
	fill(SRC, 1, 64);
	clear(DST, 64);
	struct xr x = { .g = { [1] = 5, [6] = SRC, [7] = DST } };
	CHECK_EQ(emu_run(32, code, sizeof code, &x), -1, "rep movsd: no exception");
	CHECK_EQ(x.g[1], 0, "rep movsd: ecx");
	CHECK_EQ(x.g[6], SRC + 20, "rep movsd: esi");
	CHECK_EQ(x.g[7], DST + 20, "rep movsd: edi");
	CHECK_EQ(rd(DST + 16, 4), rd(SRC + 16, 4), "rep movsd: last dword copied");
	CHECK_EQ(rd(DST + 20, 4), 0, "rep movsd: no extra dword");
	/* DF = 1: rep movsw backwards, 3 words ending at SRC+4 */
	static const uint8_t back[] = { 0xfd, 0x66, 0xf3, 0xa5, 0xfc, HLT };
	clear(DST, 64);
	x = (struct xr){ .g = { [1] = 3, [6] = SRC + 4, [7] = DST + 4 } };
	emu_run(32, back, sizeof back, &x);
	CHECK_EQ(x.g[6], SRC - 2, "std rep movsw: esi");
	CHECK_EQ(x.g[7], DST - 2, "std rep movsw: edi");
	CHECK_EQ(rd(DST, 6), rd(SRC, 6), "std rep movsw: data");
	/* single movsb, no REP: ECX untouched */
	static const uint8_t one[] = { 0xa4, HLT };
	x = (struct xr){ .g = { [1] = 77, [6] = SRC, [7] = DST } };
	emu_run(32, one, sizeof one, &x);
	CHECK_EQ(x.g[1], 77, "movsb: ecx untouched");
	CHECK_EQ(x.g[6], SRC + 1, "movsb: esi");
	/* rep with count 0 does nothing */
	x = (struct xr){ .g = { [1] = 0, [6] = SRC, [7] = DST } };
	emu_run(32, code, sizeof code, &x);
	CHECK(x.g[6] == SRC && x.g[7] == DST, "rep movsd with ecx=0 is a no-op");
}

static void t_cmps_scas(void)
{
	uint8_t a[16] = "abcdefgh", b[16] = "abcdXfgh";
	pac_phys_write(emu_machine(), SRC, a, 16);
	pac_phys_write(emu_machine(), DST, b, 16);
	/* repe cmpsb: stops after comparing 'e' with 'X' (5th byte) */
	static const uint8_t repe[] = { 0xf3, 0xa6, HLT };
	struct xr x = { .g = { [1] = 8, [6] = SRC, [7] = DST } };
	emu_run(32, repe, sizeof repe, &x);
	CHECK_EQ(x.g[1], 3, "repe cmpsb: ecx");
	CHECK_EQ(x.g[6], SRC + 5, "repe cmpsb: esi");
	CHECK_EQ(x.fl & 0x41, 0, "repe cmpsb: ZF=0, CF=0 ('e' > 'X')");
	/* all equal: runs out the count with ZF = 1 */
	x = (struct xr){ .g = { [1] = 4, [6] = SRC, [7] = DST } };
	emu_run(32, repe, sizeof repe, &x);
	CHECK(x.g[1] == 0 && (x.fl & 0x40), "repe cmpsb equal: ecx=0, ZF=1");
	/* repne scasb for 'f' */
	static const uint8_t scas[] = { 0xf2, 0xae, HLT };
	x = (struct xr){ .g = { [0] = 'f', [1] = 100, [7] = DST } };
	emu_run(32, scas, sizeof scas, &x);
	CHECK_EQ(x.g[7], DST + 6, "repne scasb: edi past the match");
	CHECK_EQ(x.g[1], 94, "repne scasb: ecx");
	CHECK(x.fl & 0x40, "repne scasb: ZF=1 on match");
	/* scasd with a 32-bit value below: CF from the subtraction */
	static const uint8_t scasd[] = { 0xaf, HLT };
	x = (struct xr){ .g = { [0] = 1, [7] = DST } };
	emu_run(32, scasd, sizeof scasd, &x);
	CHECK((x.fl & 0x81) == 0x81, "scasd: 1 - 'abcX' sets CF and SF");
}

static void fs_base(struct pac_regs *r) { r->seg[PAC_FS].base = 0x100000; }

static void t_stos_lods_segments(void)
{
	/* lodsb with FS override reads FS:ESI */
	uint8_t v = 0x5a, w = 0x11;
	pac_phys_write(emu_machine(), 0x100000 + SRC, &v, 1);
	pac_phys_write(emu_machine(), SRC, &w, 1);
	static const uint8_t lods[] = { 0x64, 0xac, HLT };
	struct xr x = { .g = { [6] = SRC } };
	emu_tweak = fs_base;
	emu_run(32, lods, sizeof lods, &x);
	CHECK_EQ(x.g[0] & 0xff, 0x5a, "fs: lodsb reads the overridden segment");
	/* stosb ignores the override: always ES:EDI */
	clear(DST, 4);
	clear(0x100000 + DST, 4);
	static const uint8_t stos[] = { 0x64, 0xaa, HLT };
	x = (struct xr){ .g = { [0] = 0x77, [7] = DST } };
	emu_run(32, stos, sizeof stos, &x);
	emu_tweak = NULL;
	CHECK_EQ(rd(DST, 1), 0x77, "fs stosb writes ES:EDI");
	CHECK_EQ(rd(0x100000 + DST, 1), 0, "fs stosb does not write FS:EDI");
	/* rep stosw then rep lodsw: AX ends as the last word */
	static const uint8_t sw[] = { 0x66, 0xf3, 0xab, HLT };
	x = (struct xr){ .g = { [0] = 0xbeef, [1] = 10, [7] = DST } };
	emu_run(32, sw, sizeof sw, &x);
	CHECK(rd(DST, 2) == 0xbeef && rd(DST + 18, 2) == 0xbeef && x.g[7] == DST + 20,
	      "rep stosw fills 10 words");
}

/* address sizes: 16-bit in 32-bit code (67), wrap of SI/DI, CX counter */
static void t_addr16(void)
{
	/* 67 rep movsb: CX = 2, SI = 0xffff wraps to 0x0001, upper ESI kept */
	static const uint8_t code[] = { 0x67, 0xf3, 0xa4, HLT };
	uint8_t hi = 0xa1, lo = 0xa2;
	pac_phys_write(emu_machine(), 0xffff, &hi, 1);
	pac_phys_write(emu_machine(), 0x0000, &lo, 1);
	clear(DST, 4);
	struct xr x = { .g = { [1] = 0x77770002, [6] = 0x1234ffff, [7] = DST } };
	emu_run(32, code, sizeof code, &x);
	CHECK_EQ(x.g[1], 0x77770000, "a16: only CX counts");
	CHECK_EQ(x.g[6], 0x12340001, "a16: SI wraps, upper ESI preserved");
	CHECK_EQ(rd(DST, 2), 0xa2a1, "a16: bytes from DS:FFFF then DS:0000");
	/* real mode: rep stosw with CX/DI */
	static const uint8_t real[] = { 0xf3, 0xab, HLT };
	clear(DST, 16);
	x = (struct xr){ .g = { [0] = 0x4242, [1] = 3, [7] = DST } };
	emu_run(16, real, sizeof real, &x);
	CHECK(rd(DST + 4, 2) == 0x4242 && x.g[7] == DST + 6 && x.g[1] == 0, "real: rep stosw");
	/* real mode with 66 67: rep stosd using ECX/EDI */
	static const uint8_t real32[] = { 0x66, 0x67, 0xf3, 0xab, HLT };
	x = (struct xr){ .g = { [0] = 0x01020304, [1] = 3, [7] = DST } };
	emu_run(16, real32, sizeof real32, &x);
	CHECK(x.g[1] == 0 && x.g[7] == DST + 12 && rd(DST + 8, 4) == 0x01020304, "real a32: rep stosd");
}

static void t_addr64(void)
{
	/* rep movsq with RCX/RSI/RDI in 64-bit mode */
	static const uint8_t code[] = { 0xf3, 0x48, 0xa5, HLT };
	fill(SRC, 9, 64);
	clear(DST, 64);
	struct xr x = { .g = { [1] = 4, [6] = SRC, [7] = DST } };
	emu_run(64, code, sizeof code, &x);
	CHECK(x.g[6] == SRC + 32 && x.g[7] == DST + 32 && rd(DST + 24, 8) == rd(SRC + 24, 8),
	      "64: rep movsq");
	/* 67 in 64-bit mode: ECX/ESI/EDI, results zero-extended */
	static const uint8_t a32[] = { 0x67, 0xf3, 0xaa, HLT };
	x = (struct xr){ .g = { [0] = 0x33, [1] = 0xffffffff00000002ull, [7] = 0xaaaaaaaa00000000ull | DST } };
	emu_run(64, a32, sizeof a32, &x);
	CHECK_EQ(x.g[1], 0, "64 a32: ECX counter, RCX zero-extended");
	CHECK_EQ(x.g[7], DST + 2, "64 a32: EDI, upper half cleared");
	CHECK_EQ(rd(DST, 2), 0x3333, "64 a32: data");
	/* rep stosq with a 64-bit count above 2^32 is limited only by RCX */
	static const uint8_t lodsq[] = { 0x48, 0xad, HLT };
	x = (struct xr){ .g = { [6] = SRC } };
	emu_run(64, lodsq, sizeof lodsq, &x);
	CHECK_EQ(x.g[0], rd(SRC, 8), "64: lodsq");
}

/* the per-step budget: the instruction is resumed, rip stays on it */
static void t_budget(void)
{
	static const uint8_t code[] = { 0xf3, 0xaa, HLT };
	struct xr x = { .g = { [0] = 0x5c, [1] = 10000, [7] = 0x10000 } };
	enum pac_exit_reason why;
	emu_run_n(32, code, sizeof code, &x, 1, &why);
	struct pac_regs r;
	pac_get_regs(emu_machine(), 0, &r);
	CHECK_EQ(why, PAC_EXIT_LIMIT, "budget: stopped after one step");
	CHECK_EQ(r.rip, CODE_AT, "budget: rip still on the rep instruction");
	CHECK_EQ(x.g[1], 10000 - 4096, "budget: 4096 iterations done");
	CHECK_EQ(x.g[7], 0x10000 + 4096, "budget: edi advanced");
	x.g[1] = 10000;
	x.g[7] = 0x10000;
	emu_run(32, code, sizeof code, &x);
	CHECK(x.g[1] == 0 && x.g[7] == 0x10000 + 10000 && rd(0x10000 + 9999, 1) == 0x5c,
	      "budget: completes over several steps");
}

/* TF: a single-step trap after every iteration, RIP on the instruction */
static void set_tf(struct pac_regs *r) { r->rflags |= 0x100; }

static unsigned intc_calls;
static bool intc_pending(void *ctx, int cpu)
{
	(void)ctx; (void)cpu;
	return ++intc_calls >= 2; /* asserted after the first instruction boundary */
}
static int intc_ack(void *ctx, int cpu) { (void)ctx; (void)cpu; return 0x20; }
static const struct pac_intc_ops intc_ops = { intc_pending, intc_ack };
static void set_if(struct pac_regs *r) { r->rflags |= 0x200; }

static void t_interruptible(void)
{
	static const uint8_t code[] = { 0xf3, 0xaa, HLT };
	struct xr x = { .g = { [0] = 1, [1] = 3, [7] = DST } };
	emu_tweak = set_tf;
	int vec = emu_run(32, code, sizeof code, &x);
	emu_tweak = NULL;
	CHECK_EQ(vec, EXC_DB, "TF rep stosb: #DB");
	CHECK_EQ(emu_ev.rip, CODE_AT, "TF rep stosb: trap RIP is the instruction");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RCX], 2, "TF rep stosb: one iteration per trap");
	/* an external interrupt is taken between chunks of a long REP */
	intc_calls = 0;
	pac_set_intc(emu_machine(), &intc_ops, NULL);
	x = (struct xr){ .g = { [0] = 1, [1] = 10000, [7] = 0x10000 } };
	emu_tweak = set_if;
	vec = emu_run(32, code, sizeof code, &x);
	emu_tweak = NULL;
	pac_set_intc(emu_machine(), NULL, NULL);
	CHECK_EQ(vec, 0x20, "rep stosb: interrupt taken mid-instruction");
	CHECK_EQ(emu_ev.rip, CODE_AT, "rep stosb: interrupt RIP is the instruction");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RCX], 10000 - 4096, "rep stosb: ecx at the interrupt");
}

/* REPE CMPSB whose mismatch is the last iteration of a chunk must finish
 * there (not resume); virtual time advances per iteration */
static void t_chunk_edge(void)
{
	static uint8_t buf[8192];
	memset(buf, 0x3c, sizeof buf);
	pac_phys_write(emu_machine(), 0x20000, buf, sizeof buf);
	buf[4095] = 0x3d;
	pac_phys_write(emu_machine(), 0x30000, buf, sizeof buf);
	static const uint8_t code[] = { 0xf3, 0xa6, HLT };
	struct xr x = { .g = { [1] = 10000, [6] = 0x20000, [7] = 0x30000 } };
	emu_run(32, code, sizeof code, &x);
	CHECK(x.g[1] == 10000 - 4096 && x.g[6] == 0x20000 + 4096 && !(x.fl & 0x40),
	      "repe cmpsb: mismatch on the 4096th iteration ends the instruction");
	struct pac_stats a, b;
	static const uint8_t stos[] = { 0xf3, 0xaa, HLT };
	x = (struct xr){ .g = { [1] = 10000, [7] = 0x20000 } };
	pac_get_stats(emu_machine(), 0, &a);
	emu_run(32, stos, sizeof stos, &x);
	pac_get_stats(emu_machine(), 0, &b);
	CHECK(b.cycles - a.cycles >= 10000, "rep stosb x10000 costs at least 10000 cycles");
}

/* a #GP in the middle of rep movsb leaves the completed iterations visible */
static void small_ds(struct pac_regs *r) { r->seg[PAC_DS].limit = SRC + 15; }

static void t_fault_mid_rep(void)
{
	static const uint8_t code[] = { 0xf3, 0xa4, HLT };
	fill(SRC, 3, 32);
	clear(DST, 32);
	struct xr x = { .g = { [1] = 32, [6] = SRC, [7] = DST } };
	emu_tweak = small_ds;
	int vec = emu_run(32, code, sizeof code, &x);
	emu_tweak = NULL;
	CHECK_EQ(vec, EXC_GP, "mid-rep: #GP from the DS limit");
	CHECK_EQ(emu_ev.rip, CODE_AT, "mid-rep: fault RIP is the instruction");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RCX], 16, "mid-rep: ecx = remaining iterations");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RSI], SRC + 16, "mid-rep: esi at the faulting byte");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RDI], DST + 16, "mid-rep: edi advanced by 16");
	CHECK_EQ(rd(DST + 15, 1), rd(SRC + 15, 1), "mid-rep: completed bytes stored");
}

/* port I/O for INS/OUTS */
static uint8_t port_seq;
static uint32_t out_log[16];
static unsigned out_n;
static uint32_t p_in(void *ctx, uint16_t port, unsigned size)
{
	(void)ctx; (void)port;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)(port_seq++) << (8 * i);
	return v;
}
static void p_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	(void)ctx; (void)size;
	if (out_n < 16)
		out_log[out_n++] = v ^ ((uint32_t)port << 24);
}
static const struct pac_port_ops pops = { p_in, p_out };

static void t_ins_outs(void)
{
	pac_register_ports(emu_machine(), 0x300, 4, &pops, NULL);
	port_seq = 0x10;
	clear(DST, 16);
	static const uint8_t ins[] = { 0xf3, 0x66, 0x6d, HLT }; /* rep insw */
	struct xr x = { .g = { [1] = 3, [2] = 0x300, [7] = DST } };
	emu_run(32, ins, sizeof ins, &x);
	CHECK_EQ(rd(DST, 6), 0x151413121110ull, "rep insw: three words from the port");
	CHECK_EQ(x.g[7], DST + 6, "rep insw: edi");
	static const uint8_t outs[] = { 0xf3, 0x6e, HLT }; /* rep outsb */
	out_n = 0;
	x = (struct xr){ .g = { [1] = 2, [2] = 0x301, [6] = DST } };
	emu_run(32, outs, sizeof outs, &x);
	CHECK(out_n == 2 && out_log[0] == (0x10u ^ (0x01u << 24)) && out_log[1] == (0x11u ^ (0x01u << 24)),
	      "rep outsb: two bytes to port 0x301");
	static const uint8_t outsd[] = { 0x6f, HLT };
	out_n = 0;
	x = (struct xr){ .g = { [2] = 0x302, [6] = DST } };
	emu_run(64, outsd, sizeof outsd, &x);
	CHECK(out_n == 1 && out_log[0] == (0x13121110u ^ (0x02u << 24)) && x.g[6] == DST + 4,
	      "64: outsd");
}

static void set_df(struct pac_regs *r) { r->rflags |= 0x400; }

/* every string op at every operand size, DF = 0 and 1, in 64-bit mode:
 * pointer steps of +/-size and the data moved or compared */
static void t_all_sizes(void)
{
	static const uint8_t ops[] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae }; /* movs cmps stos lods scas */
	unsigned bad = 0;
	fill(SRC, 0x40, 32);
	fill(DST, 0x40, 32);
	for (int df = 0; df < 2; df++) {
		for (unsigned k = 0; k < sizeof ops; k++) {
			for (int sz = 1; sz <= 8; sz *= 2) {
				uint8_t code[4];
				unsigned n = 0;
				if (sz == 2)
					code[n++] = 0x66;
				if (sz == 8)
					code[n++] = 0x48;
				code[n++] = (uint8_t)(ops[k] + (sz > 1));
				code[n++] = HLT;
				struct xr x = { .g = { [0] = ops[k] == 0xac ? 0 : rd(SRC + 8, 8), [6] = SRC + 8,
						       [7] = DST + 8 } };
				emu_tweak = df ? set_df : NULL;
				emu_run(64, code, n, &x);
				int64_t step = df ? -sz : sz;
				bool uses_si = ops[k] != 0xaa && ops[k] != 0xae;
				bool uses_di = ops[k] != 0xac;
				if (uses_si && x.g[6] != (uint64_t)(SRC + 8 + step))
					bad++;
				if (uses_di && x.g[7] != (uint64_t)(DST + 8 + step))
					bad++;
				if ((ops[k] == 0xa6 || ops[k] == 0xae) && !(x.fl & 0x40))
					bad++; /* equal data: ZF = 1 */
				if (ops[k] == 0xac && x.g[0] != (rd(SRC + 8, 8) & size_mask(sz)))
					bad++;
			}
		}
	}
	emu_tweak = NULL;
	CHECK_EQ(bad, 0, "all string ops x sizes x DF: pointer steps, data, ZF");
}

int main(void)
{
	t_all_sizes();
	t_movs();
	t_cmps_scas();
	t_stos_lods_segments();
	t_addr16();
	t_addr64();
	t_budget();
	t_interruptible();
	t_chunk_edge();
	t_fault_mid_rep();
	t_ins_outs();
	return test_done("int_string");
}
