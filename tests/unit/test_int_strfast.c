/* SPDX-License-Identifier: MIT */
/* Long REP MOVS/STOS runs (the RAM fast path of cpu/exec/string_fast.c and
 * its fall-back): a #PF in the middle of a run with 32-bit paging, MMIO
 * destinations seeing every element at its own size, and long runs of every
 * size, direction and overlap compared with a C model. */
#include "int_harness.h"

#define SRC 0x3000u
#define HLT 0xf4

static uint64_t rd(uint64_t at, unsigned n)
{
	uint64_t v = 0;
	pac_phys_read(emu_machine(), at, &v, n);
	return v;
}

/* 32-bit paging: identity map of 0..4 MB except one non-present page */
#define PD 0x100000u
#define PT 0x101000u
#define HOLE 0x8000u
static void paging32(struct pac_regs *r)
{
	r->cr0 = 0x80000011;
	r->cr3 = PD;
	r->cr4 = 0;
}

static void build_tables(void)
{
	uint32_t pde = PT | 3;
	pac_phys_write(emu_machine(), PD, &pde, 4);
	for (uint32_t i = 0; i < 1024; i++) {
		uint32_t pte = i * 4096 == HOLE ? 0 : (i * 4096) | 3;
		pac_phys_write(emu_machine(), PT + i * 4, &pte, 4);
	}
}

/* #PF in the middle of long REP runs (fast path up to the page end, then the
 * per-iteration path faults): registers at the first byte of the hole */
static void t_page_fault_mid_rep(void)
{
	build_tables();
	emu_tweak = paging32;
	static const uint8_t stos[] = { 0xf3, 0xaa, HLT };
	struct xr x = { .g = { [0] = 0x6b, [1] = 0x300, [7] = HOLE - 0x100 } };
	int vec = emu_run(32, stos, sizeof stos, &x);
	CHECK_EQ(vec, EXC_PF, "rep stosb into a hole: #PF");
	struct pac_regs after;
	pac_get_regs(emu_machine(), 0, &after); /* CR2 is written after the event hook ran */
	CHECK_EQ(after.cr2, HOLE, "rep stosb: CR2 = first byte of the hole");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RCX], 0x200, "rep stosb: ecx = iterations left");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RDI], HOLE, "rep stosb: edi at the hole");
	CHECK_EQ(rd(HOLE - 1, 1), 0x6b, "rep stosb: bytes before the hole stored");
	/* movsd backwards whose source runs into the hole from above */
	static const uint8_t movs[] = { 0xfd, 0xf3, 0xa5, HLT };
	x = (struct xr){ .g = { [1] = 0x100, [6] = HOLE + 0x1040, [7] = 0x20000 } };
	vec = emu_run(32, movs, sizeof movs, &x);
	pac_get_regs(emu_machine(), 0, &after);
	CHECK_EQ(vec, EXC_PF, "std rep movsd down into a hole: #PF");
	CHECK_EQ(after.cr2, HOLE + 0xffc, "std rep movsd: CR2 = the dword at the top of the hole");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RCX], 0x100 - 17, "std rep movsd: 17 dwords done");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RSI], HOLE + 0xffc, "std rep movsd: esi at the dword in the hole");
	CHECK_EQ(emu_ev.regs.gpr[PAC_RDI], 0x20000 - 17 * 4, "std rep movsd: edi moved down 17 dwords");
	emu_tweak = NULL;
}

/* an MMIO destination sees every element with its own size */
static unsigned mmio_writes, mmio_bad;
static uint64_t mm_read(void *ctx, uint64_t off, unsigned size, unsigned mt)
{
	(void)ctx; (void)size; (void)mt;
	return off;
}
static void mm_write(void *ctx, uint64_t off, unsigned size, uint64_t v, unsigned mt)
{
	(void)ctx; (void)mt;
	if (size != 4 || v != 0xcafe0000u + (off & 0xff) / 4)
		mmio_bad++;
	mmio_writes++;
}
static const struct pac_mmio_ops mm_ops = { mm_read, mm_write };

static void t_mmio(void)
{
	pac_map_mmio(emu_machine(), 0x2000000, 0x1000, &mm_ops, NULL);
	/* rep movsd from RAM holding 0xcafe0000+i to MMIO: 40 dword writes */
	for (uint32_t i = 0; i < 40; i++) {
		uint32_t v = 0xcafe0000u + i;
		pac_phys_write(emu_machine(), SRC + i * 4, &v, 4);
	}
	static const uint8_t movs[] = { 0xf3, 0xa5, HLT };
	struct xr x = { .g = { [1] = 40, [6] = SRC, [7] = 0x2000000 } };
	emu_run(32, movs, sizeof movs, &x);
	CHECK(mmio_writes == 40 && mmio_bad == 0, "rep movsd to MMIO: 40 dword writes in order");
	/* rep lodsd from MMIO reads each element */
	static const uint8_t lods[] = { 0xf3, 0xad, HLT };
	x = (struct xr){ .g = { [1] = 20, [6] = 0x2000000 } };
	emu_run(32, lods, sizeof lods, &x);
	CHECK_EQ(x.g[0], 19 * 4, "rep lodsd from MMIO: last element read");
}

/* long runs compared with a C model: every size, both directions, overlap */
static void t_fast_runs(void)
{
	static uint8_t img[0x3000], ref[0x3000];
	unsigned bad = 0;
	for (int sz = 1; sz <= 4; sz *= 2) {
		for (int df = 0; df < 2; df++) {
			for (int ov = 0; ov < 2; ov++) {
				for (size_t i = 0; i < sizeof img; i++)
					img[i] = (uint8_t)(i * 13 + 7);
				pac_phys_write(emu_machine(), 0x40000, img, sizeof img);
				memcpy(ref, img, sizeof ref);
				/* 1500 elements between offsets 0x100.. of the image, crossing pages */
				uint32_t n = 1500, so = df ? 0x100 + (n - 1) * sz : 0x100;
				uint32_t dof = so + (ov ? (df ? -(uint32_t)sz : (uint32_t)sz) * 3 : 0x1000);
				for (uint32_t i = 0; i < n; i++) {
					int64_t d = df ? -(int64_t)i * sz : (int64_t)i * sz;
					memmove(ref + dof + d, ref + so + d, (size_t)sz);
				}
				uint8_t code[5];
				unsigned k = 0;
				if (df)
					code[k++] = 0xfd;
				if (sz == 2)
					code[k++] = 0x66;
				code[k++] = 0xf3;
				code[k++] = sz == 1 ? 0xa4 : 0xa5;
				code[k++] = HLT;
				struct xr x = { .g = { [1] = n, [6] = 0x40000 + so, [7] = 0x40000 + dof } };
				emu_run(32, code, k, &x);
				pac_phys_read(emu_machine(), 0x40000, img, sizeof img);
				if (memcmp(img, ref, sizeof img) || x.g[1] != 0)
					bad++;
			}
		}
	}
	CHECK_EQ(bad, 0, "long rep movs runs (sizes, DF, overlapping) match a C model");
}

int main(void)
{
	t_page_fault_mid_rep();
	t_mmio();
	t_fast_runs();
	return test_done("int_strfast");
}
