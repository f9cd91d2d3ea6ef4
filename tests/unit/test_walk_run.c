/* SPDX-License-Identifier: MIT */
/* Paging seen from running code: 32-bit paging and 4-level paging set up
 * through the API, loads/stores through mapped pages (A/D bits written by
 * the walker, TLB fast path on repeat), and a #PF delivered in long mode
 * (error code pushed, CR2). */
#include "walk_helpers.h"

static uint64_t r32(uint64_t a)
{
	uint32_t v = 0;
	pac_phys_read(m, a, &v, 4);
	return v;
}

static void t_run32(void)
{
	struct pac_regs r;
	clear_tables(0x10000, 0x2000);
	w32(0x10000, 0x0 | P | RW | PS);           /* 0-4 MiB identity (PSE) */
	w32(0x10004, 0x11000 | P | RW);            /* 4-8 MiB through a PT */
	w32(0x11000, 0x800000 | P | RW);
	w32(0x11004, 0x801000 | P | RW);
	w32(0x800010, 41);
	/* mov eax,[0x400010]; inc eax; mov [0x401020],eax; mov ebx,[0x401020]; hlt */
	static const uint8_t code[] = { 0xa1, 0x10, 0x00, 0x40, 0x00, 0x40, 0xa3, 0x20, 0x10, 0x40,
					0x00, 0x8b, 0x1d, 0x20, 0x10, 0x40, 0x00, 0xf4 };
	tm_prot32(m, &r, 0x1000);
	r.cr0 = 0x80010011;
	r.cr3 = 0x10000;
	r.cr4 = 0x10;
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x1000), PAC_EXIT_HLT, "32-bit paging run");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.gpr[PAC_RBX] & 0xffffffff, 42, "value through the mapping");
	CHECK_EQ(r32(0x801020), 42, "store landed at the mapped frame");
	CHECK_EQ(r32(0x11000), 0x800000 | P | RW | A, "read page: A only");
	CHECK_EQ(r32(0x11004), 0x801000 | P | RW | A | D, "written page: A and D");
	CHECK_EQ(r32(0x10000) & (A | D), A, "4 MiB code page: A, no D (no stores there)");
}

#define PML4 0x10000ull
static void t_run64_pf(void)
{
	struct pac_regs r;
	clear_tables(PML4, 0x7000);
	w64(PML4, 0x11000 | P | RW);
	w64(0x11000, 0x12000 | P | RW);
	w64(0x12000, 0x0 | P | RW | PS);               /* 0-2 MiB identity */
	w64(PML4 + 8 * 256, 0x13000 | P | RW);         /* 0xffff800000000000 */
	w64(0x13000, 0x14000 | P | RW);
	w64(0x14000, 0x15000 | P | RW);
	w64(0x15000, 0x900000 | P | RW);               /* page 0 -> 0x900000 */
	w64(0x15008, 0x901000 | P);                    /* page 1 read-only */
	w64(0x3000, 0);
	w64(0x3008, 0x00209a0000000000ull);            /* 64-bit code */
	w64(0x3010, 0x0000920000000000ull);
	const uint64_t h = 0x2000;
	w64(0x4000 + 16 * 14, (h & 0xffff) | (0x08ull << 16) | (0x8e00ull << 32) | (((h >> 16) & 0xffff) << 48));
	w64(0x4000 + 16 * 14 + 8, h >> 32);
	static const uint8_t handler[] = { 0x58, 0xf4 }; /* pop rax; hlt */
	pac_phys_write(m, h, handler, sizeof handler);
	w64(0x900000, 0x1234);
	/* mov rbx,0xffff800000000000; mov rax,[rbx]; inc rax; mov [rbx+0x1000],rax; hlt */
	static const uint8_t code[] = { 0x48, 0xbb, 0, 0, 0, 0, 0, 0x80, 0xff, 0xff, 0x48, 0x8b, 0x03,
					0x48, 0xff, 0xc0, 0x48, 0x89, 0x83, 0x00, 0x10, 0x00, 0x00, 0xf4 };
	pac_get_regs(m, 0, &r);
	for (int i = 0; i < 6; i++)
		tm_seg(&r.seg[i], i == PAC_CS ? 0x08 : 0x10, i == PAC_CS ? 0x29b : 0x93);
	r.gdtr.base = 0x3000;
	r.gdtr.limit = 0x17;
	r.idtr.base = 0x4000;
	r.idtr.limit = 0xfff;
	r.cr0 = 0x80010011;
	r.cr3 = PML4;
	r.cr4 = 0x20;
	r.efer = 0x500;
	r.rip = 0x1000;
	r.rflags = 2;
	r.gpr[PAC_RSP] = 0x80000;
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x1000), PAC_EXIT_HLT, "long mode run");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.rip, 0x2002, "#PF handler reached");
	CHECK_EQ(r.gpr[PAC_RAX], PFEC_P | PFEC_W, "error code: write to read-only page (WP)");
	CHECK_EQ(r.cr2, 0xffff800000001000ull, "CR2");
	CHECK_EQ(r64(0x901000), 0, "faulting store did not land");
	CHECK_EQ(r64(0x15000), 0x900000 | P | RW | A, "read page A");
	CHECK_EQ(r64(0x15008), 0x901000 | P, "no A/D on the faulting page");
	CHECK_EQ(r64(0x7ffd8), 0x1010, "pushed RIP = faulting instruction");
	CHECK_EQ(r.gpr[PAC_RSP], 0x7ffd8, "RSP after popping the error code");
	CHECK_EQ(r.gpr[PAC_RBX], 0xffff800000000000ull, "RBX");
}

/* Code enables 32-bit paging itself (MOV CR3/CR4/CR0), sees a stale TLB
 * entry until INVLPG, then takes a #PF through a 32-bit interrupt gate. */
static void t_run32_invlpg_pf(void)
{
	struct pac_regs r;
	clear_tables(0x10000, 0x2000);
	w32(0x10000, 0x0 | P | RW | PS);
	w32(0x10004, 0x11000 | P | RW);
	w32(0x11000, 0x800000 | P | RW);
	w32(0x11004, 0x801000 | P | RW);
	w32(0x800010, 41);
	w32(0x802010, 99);
	w64(0x3000, 0);
	w64(0x3008, 0x00cf9a000000ffffull);
	w64(0x3010, 0x00cf92000000ffffull);
	w64(0x4000 + 8 * 14, 0x2000 | (0x08ull << 16) | (0x8e00ull << 32));
	static const uint8_t handler[] = { 0x5a, 0xf4 }; /* pop edx; hlt */
	pac_phys_write(m, 0x2000, handler, sizeof handler);
	static const uint8_t code[] = {
		0xb8, 0x00, 0x00, 0x01, 0x00,             /* mov eax,0x10000 */
		0x0f, 0x22, 0xd8,                         /* mov cr3,eax */
		0x0f, 0x20, 0xe0, 0x83, 0xc8, 0x10,       /* mov eax,cr4; or eax,PSE */
		0x0f, 0x22, 0xe0,                         /* mov cr4,eax */
		0x0f, 0x20, 0xc0,                         /* mov eax,cr0 */
		0x0d, 0x00, 0x00, 0x01, 0x80,             /* or eax,PG|WP */
		0x0f, 0x22, 0xc0,                         /* mov cr0,eax */
		0xa1, 0x10, 0x00, 0x40, 0x00,             /* mov eax,[0x400010] */
		0xc7, 0x05, 0x00, 0x10, 0x01, 0x00, 0x03, 0x20, 0x80, 0x00, /* PTE0 -> 0x802000 */
		0x8b, 0x1d, 0x10, 0x00, 0x40, 0x00,       /* mov ebx,[0x400010] (stale) */
		0x0f, 0x01, 0x3d, 0x10, 0x00, 0x40, 0x00, /* invlpg [0x400010] */
		0x8b, 0x0d, 0x10, 0x00, 0x40, 0x00,       /* mov ecx,[0x400010] */
		0xc7, 0x05, 0x04, 0x10, 0x01, 0x00, 0x01, 0x10, 0x80, 0x00, /* PTE1 read-only */
		0xa3, 0x00, 0x10, 0x40, 0x00,             /* mov [0x401000],eax: #PF */
		0xf4,
	};
	tm_prot32(m, &r, 0x1000);
	r.cr3 = r.cr4 = r.efer = 0;
	r.gdtr.base = 0x3000;
	r.gdtr.limit = 0x17;
	r.idtr.base = 0x4000;
	r.idtr.limit = 0x7ff;
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x1000), PAC_EXIT_HLT, "run");
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.cr0 & 0x80010001, 0x80010001, "paging enabled by the code");
	CHECK_EQ(r.gpr[PAC_RAX] & 0xffffffff, 41, "first read");
	CHECK_EQ(r.gpr[PAC_RBX] & 0xffffffff, 41, "stale TLB entry before INVLPG");
	CHECK_EQ(r.gpr[PAC_RCX] & 0xffffffff, 99, "new mapping after INVLPG");
	CHECK_EQ(r.rip, 0x2002, "#PF handler reached");
	CHECK_EQ(r.gpr[PAC_RDX] & 0xffffffff, PFEC_P | PFEC_W, "error code");
	CHECK_EQ(r.cr2, 0x401000, "CR2");
	CHECK_EQ(r32(0x801000), 0, "store suppressed");
}

int main(void)
{
	new_machine(NULL);
	t_run32();
	t_run64_pf();
	t_run32_invlpg_pf();
	pac_destroy(m);
	return test_done("test_walk_run");
}
