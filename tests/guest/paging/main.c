/* 4-level paging seen from a 64-bit guest: permission checks as a table
 * (P, R/W with CR0.WP, U/S, NX with EFER.NXE, SMEP, SMAP, reserved bits)
 * with #PF error codes and CR2, then A/D bits, INVLPG, global pages across
 * CR3 reloads, 2 MiB / 1 GiB pages and CR2 for a page-straddling access.
 * APM vol. 2, 5.6 (protection), 5.4 (A/D), 5.5 (TLB), 8.2.15 (#PF). */
#include "rt.h"

#define VA_T 0x40000000ull		/* test alias; its 2 MiB page is split */
#define PFE_P 0x1
#define PFE_W 0x2
#define PFE_U 0x4
#define PFE_RSV 0x8
#define PFE_I 0x10
#define NX (1ull << 63)

static uint8_t frames[4][4096] __attribute__((aligned(4096)));
static volatile uint64_t u_addr;

static void map(uint64_t va, void *frame, uint64_t flags)
{
	*pte_4k(va) = (uint64_t)frame | flags;
	invlpg((void *)va);
}

/* APM vol. 2, 8.4.2: a reserved-bit fault is a protection fault of a
 * present entry, so P=1 with RSV (Linux oopses show error code 0x9). */
#define QEMU_RSV "QEMU 7.2 reports reserved-bit #PF without the P bit (error code 0x8)"

enum { RD, WR, EX };
struct prow {
	const char *name;
	uint64_t pte;		/* flags of the test page (frame added) */
	uint64_t cr4;		/* CR4 bits set for the access */
	bool wp_off, nxe_off, user, ac;
	int access;
	int vec;		/* -1: no fault */
	uint32_t err;
	const char *qemu;
};

#define P PTE_P
#define W PTE_RW
#define U PTE_US
static const struct prow rows[] = {
	{ "not present, supervisor read", 0, 0, 0, 0, 0, 0, RD, 14, 0, 0 },
	{ "not present, supervisor write", 0, 0, 0, 0, 0, 0, WR, 14, PFE_W, 0 },
	{ "not present, user read", U, 0, 0, 0, 1, 0, RD, 14, PFE_U, 0 },
	{ "read-only, supervisor write, WP=1", P, 0, 0, 0, 0, 0, WR, 14, PFE_P | PFE_W, 0 },
	{ "read-only, supervisor write, WP=0", P, 0, 1, 0, 0, 0, WR, -1, 0, 0 },
	{ "read-only user page, user write", P | U, 0, 0, 0, 1, 0, WR, 14, PFE_P | PFE_W | PFE_U, 0 },
	{ "read-only user page, user write, WP=0", P | U, 0, 1, 0, 1, 0, WR, 14,
	  PFE_P | PFE_W | PFE_U, 0 },
	{ "supervisor page, user read", P | W, 0, 0, 0, 1, 0, RD, 14, PFE_P | PFE_U, 0 },
	{ "user page, user read", P | U, 0, 0, 0, 1, 0, RD, -1, 0, 0 },
	{ "user page, user write", P | W | U, 0, 0, 0, 1, 0, WR, -1, 0, 0 },
	{ "NX page, supervisor fetch", P | W | NX, 0, 0, 0, 0, 0, EX, 14, PFE_P | PFE_I, 0 },
	{ "NX page, user fetch", P | U | NX, 0, 0, 0, 1, 0, EX, 14, PFE_P | PFE_I | PFE_U, 0 },
	{ "NX page, supervisor read is fine", P | NX, 0, 0, 0, 0, 0, RD, -1, 0, 0 },
	{ "executable page, supervisor fetch", P, 0, 0, 0, 0, 0, EX, -1, 0, 0 },
	{ "not present, supervisor fetch", 0, 0, 0, 0, 0, 0, EX, 14, PFE_I, 0 },
	{ "NX bit with EFER.NXE=0 is reserved", P | NX, 0, 0, 1, 0, 0, RD, 14, PFE_P | PFE_RSV,
	  QEMU_RSV },
	{ "SMEP: supervisor fetch from user page", P | U, CR4_SMEP, 0, 0, 0, 0, EX, 14,
	  PFE_P | PFE_I, 0 },
	{ "SMEP: supervisor read of user page is fine", P | U, CR4_SMEP, 0, 0, 0, 0, RD, -1, 0, 0 },
	{ "SMAP: supervisor read of user page, AC=0", P | U, CR4_SMAP, 0, 0, 0, 0, RD, 14, PFE_P, 0 },
	{ "SMAP: supervisor write of user page, AC=0", P | W | U, CR4_SMAP, 0, 0, 0, 0, WR, 14,
	  PFE_P | PFE_W, 0 },
	{ "SMAP: supervisor read of user page, AC=1", P | U, CR4_SMAP, 0, 0, 0, 1, RD, -1, 0, 0 },
	{ "SMAP: supervisor fetch from user page is not SMAP's business", P | U, CR4_SMAP, 0, 0, 0,
	  0, EX, -1, 0, 0 },
};
#undef P
#undef W
#undef U

static void u_read(void) { (void)*(volatile uint64_t *)u_addr; }
static void u_write(void) { *(volatile uint64_t *)u_addr = 1; }
static void u_fetch(void) { ((void (*)(void))u_addr)(); }

static bool cr4_supported(uint64_t bits)
{
	if ((bits & CR4_SMEP) && !cpu_has(7, EBX, 7))
		return false;
	if ((bits & CR4_SMAP) && !cpu_has(7, EBX, 20))
		return false;
	return true;
}

static int do_access(const struct prow *r)
{
	static void (*const ufn[])(void) = { u_read, u_write, u_fetch };
	int v;

	u_addr = VA_T;
	if (r->user) {
		v = user_call(ufn[r->access], 0x2);
		return v == 0x80 ? -1 : v;
	}
	if (r->ac)
		write_flags(read_flags() | 0x40000);
	v = TRY(ufn[r->access]());
	write_flags(read_flags() & ~0x40000ull);
	return v;
}

static void run_row(const struct prow *r)
{
	char name[100];
	snprintf(name, sizeof name, "paging: %s", r->name);
	if (!cr4_supported(r->cr4)) {
		skip(name, "feature not in CPUID");
		return;
	}
	frames[0][0] = 0xc3;	/* ret, for fetches */
	map(VA_T, frames[0], r->pte);
	uint64_t cr0 = read_cr0(), cr4 = read_cr4(), efer = rdmsr(MSR_EFER);
	if (r->wp_off)
		write_cr0(cr0 & ~(uint64_t)CR0_WP);
	if (r->nxe_off)
		wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_NXE);
	write_cr4(cr4 | r->cr4);
	int v = do_access(r);
	write_cr4(cr4);
	wrmsr(MSR_EFER, efer);
	write_cr0(cr0);
	bool ok = v == r->vec;
	if (v == 14)
		ok = ok && last_exc.error == r->err && last_exc.cr2 == VA_T;
	if (!ok)
		note("%s: got vector %d err %#lx cr2 %#lx (want %d err %#x)", r->name, v,
		     last_exc.error, last_exc.cr2, r->vec, r->err);
	report_q(name, ok, r->qemu);
}

static void reserved_bit_test(void)
{
	uint32_t r[4];
	cpuid(0x80000008, 0, r);
	unsigned maxphy = r[0] & 0xff;
	if (maxphy >= 52) {
		skip("paging: PTE bit above MAXPHYADDR is reserved", "MAXPHYADDR is 52");
		return;
	}
	map(VA_T, frames[0], PTE_P | PTE_RW | (1ull << maxphy));
	int v = TRY((void)*(volatile uint64_t *)VA_T);
	bool ok = v == 14 && last_exc.error == (PFE_P | PFE_RSV) && last_exc.cr2 == VA_T;
	if (!ok)
		note("got vector %d err %#lx cr2 %#lx", v, last_exc.error, last_exc.cr2);
	report_q("paging: PTE bit MAXPHYADDR is reserved: #PF P|RSV", ok, QEMU_RSV);
}

static void ad_tests(void)
{
	uint64_t *pte = pte_4k(VA_T), *pde = pde_2m(VA_T);
	map(VA_T, frames[0], PTE_P | PTE_RW);
	*pde &= ~(uint64_t)PTE_A;
	boot_pml4[0] &= ~(uint64_t)PTE_A;
	flush_tlb();
	(void)*(volatile uint64_t *)VA_T;
	report("paging: a read sets A, not D", (*pte & (PTE_A | PTE_D)) == PTE_A);
	report("paging: the walk sets A in the PDE and PML4E",
	       (*pde & PTE_A) && (boot_pml4[0] & PTE_A));
	*(volatile uint64_t *)VA_T = 5;
	report("paging: a write sets D", (*pte & (PTE_A | PTE_D)) == (PTE_A | PTE_D));
	*pte &= ~(uint64_t)(PTE_A | PTE_D);
	invlpg((void *)VA_T);
	*(volatile uint64_t *)VA_T = 6;
	report("paging: a write to a fresh entry sets A and D", (*pte & (PTE_A | PTE_D)) == (PTE_A | PTE_D));
	*pte = (uint64_t)frames[0] | PTE_P | PTE_A;	/* read-only */
	invlpg((void *)VA_T);
	int v = TRY(*(volatile uint64_t *)VA_T = 7);
	report("paging: a faulting write does not set D", v == 14 && !(*pte & PTE_D));
}

static void tlb_tests(void)
{
	volatile uint64_t *va = (volatile uint64_t *)VA_T;
	((volatile uint64_t *)frames[1])[0] = 0x1111;
	((volatile uint64_t *)frames[2])[0] = 0x2222;

	map(VA_T, frames[1], PTE_P | PTE_RW);
	uint64_t a = *va;
	*pte_4k(VA_T) = (uint64_t)frames[2] | PTE_P | PTE_RW;
	invlpg((void *)VA_T);
	report("tlb: INVLPG makes a changed PTE visible", a == 0x1111 && *va == 0x2222);

	map(VA_T, frames[1], PTE_P | PTE_RW);
	a = *va;
	*pte_4k(VA_T) = (uint64_t)frames[2] | PTE_P | PTE_RW;
	flush_tlb();
	report("tlb: a CR3 reload drops non-global entries", a == 0x1111 && *va == 0x2222);

	uint64_t cr4 = read_cr4();
	write_cr4(cr4 | CR4_PGE);
	map(VA_T, frames[1], PTE_P | PTE_RW | PTE_G);
	a = *va;
	*pte_4k(VA_T) = (uint64_t)frames[2] | PTE_P | PTE_RW | PTE_G;
	flush_tlb();
	uint64_t b = *va;
	report_q("tlb: a global entry survives a CR3 reload", a == 0x1111 && b == 0x1111,
		 "QEMU 7.2 flushes global entries on CR3 writes too (allowed: a TLB may "
		 "drop entries at any time; Pacifica keeps them, APM vol. 2, 5.5.2)");
	invlpg((void *)VA_T);
	report("tlb: INVLPG drops a global entry", *va == 0x2222);
	*pte_4k(VA_T) = (uint64_t)frames[1] | PTE_P | PTE_RW | PTE_G;
	(void)*va;
	write_cr4(cr4);	/* clearing PGE flushes everything */
	*pte_4k(VA_T) = (uint64_t)frames[2] | PTE_P | PTE_RW | PTE_G;
	write_cr4(cr4 | CR4_PGE);
	write_cr4(cr4);
	report("tlb: toggling CR4.PGE flushes global entries", *va == 0x2222);
}

#define CR4_PCIDE (1ull << 17)

static void invpcid(unsigned type, uint64_t pcid, uint64_t addr)
{
	struct { uint64_t pcid, addr; } d = { pcid, addr };
	__asm__ volatile("invpcid %0, %1" :: "m"(d), "r"((uint64_t)type) : "memory");
}

/* APM vol. 2, 5.5.1 (PCID) and INVPCID */
static void pcid_tests(void)
{
	if (!cpu_has(1, ECX, 17)) {
		skip("pcid: process-context identifiers", "no PCID");
		return;
	}
	volatile uint64_t *va = (volatile uint64_t *)VA_T;
	uint64_t cr3 = read_cr3(), cr4 = read_cr4();

	write_cr3(cr3 | PTE_PWT);
	int v = TRY(write_cr4(cr4 | CR4_PCIDE));
	write_cr3(cr3);
	report("pcid: setting CR4.PCIDE with CR3[11:0] != 0 is #GP(0)", v == 13);

	write_cr4(cr4 | CR4_PCIDE);
	map(VA_T, frames[1], PTE_P | PTE_RW);
	write_cr3(cr3 | 1);			/* PCID 1, its entries flushed */
	uint64_t a = *va;
	*pte_4k(VA_T) = (uint64_t)frames[2] | PTE_P | PTE_RW;
	write_cr3(cr3 | 1 | 1ull << 63);	/* no flush */
	uint64_t b = *va;
	report_q("pcid: CR3 write with bit 63 keeps the PCID's entries", a == 0x1111 && b == 0x1111,
		 "QEMU 7.2 flushes its whole TLB on every CR3 write (allowed: a TLB may drop "
		 "entries any time; Pacifica keeps them)");
	if (cpu_has(7, EBX, 10)) {
		invpcid(0, 1, VA_T);
		report("invpcid type 0 drops one address of the current PCID", *va == 0x2222);
		*pte_4k(VA_T) = (uint64_t)frames[1] | PTE_P | PTE_RW;
		invpcid(1, 1, 0);
		report("invpcid type 1 drops the PCID's entries", *va == 0x1111);
		v = TRY(invpcid(4, 0, 0));
		report("invpcid type 4 is #GP(0)", v == 13 && last_exc.error == 0);
	} else {
		skip("invpcid", "no INVPCID");
	}
	*pte_4k(VA_T) = (uint64_t)frames[2] | PTE_P | PTE_RW;
	write_cr3(cr3 | 1);
	report("pcid: CR3 write without bit 63 flushes the new PCID", *va == 0x2222);
	write_cr3(cr3);
	v = TRY(write_cr4(cr4));
	report("pcid: clearing CR4.PCIDE with PCID 0 is allowed", v == -1);
	flush_tlb();
}

static volatile uint64_t marker = 0x5a5a5a5a12345678ull;

static void large_page_tests(void)
{
	/* a 2 MiB page at VA 0x40200000 aliasing physical 0 */
	uint64_t *pde = pde_2m(0x40200000);
	uint64_t old = *pde;
	*pde = 0 | PTE_P | PTE_RW | PTE_PS;
	invlpg((void *)0x40200000);
	report("paging: 2 MiB page alias reads the same memory",
	       *(volatile uint64_t *)(0x40200000 + (uint64_t)&marker) == marker);
	*pde = old;
	invlpg((void *)0x40200000);

	if (!cpu_has(0x80000001, EDX, 26)) {
		skip("paging: 1 GiB page alias reads the same memory", "no 1 GiB pages");
		return;
	}
	boot_pdpt[4] = 0 | PTE_P | PTE_RW | PTE_PS;	/* VA 4 GiB -> PA 0 */
	flush_tlb();
	report("paging: 1 GiB page alias reads the same memory",
	       *(volatile uint64_t *)(0x100000000ull + (uint64_t)&marker) == marker);
	boot_pdpt[4] = 0;
	flush_tlb();
}

static void cr2_tests(void)
{
	map(VA_T, frames[0], PTE_P | PTE_RW);
	map(VA_T + 4096, frames[1], 0);
	int v = TRY((void)*(volatile uint64_t *)(VA_T + 4092));
	report("paging: page-straddling read faults with CR2 = start of the missing page",
	       v == 14 && last_exc.cr2 == VA_T + 4096 && last_exc.error == 0);
	map(VA_T + 4096, frames[1], PTE_P);
	frames[0][4095] = 0x11;
	v = TRY(*(volatile uint16_t *)(VA_T + 4095) = 0x2233);
	report("paging: straddling write to a read-only page writes nothing",
	       v == 14 && last_exc.cr2 == VA_T + 4096 && frames[0][4095] == 0x11);

	uint64_t *pde = pde_2m(VA_T);
	map(VA_T, frames[0], PTE_P | PTE_RW);
	*pde &= ~(uint64_t)PTE_RW;
	flush_tlb();
	v = TRY(*(volatile uint64_t *)VA_T = 1);
	*pde |= PTE_RW;
	flush_tlb();
	report("paging: R/W=0 in the PDE makes a writable PTE read-only",
	       v == 14 && last_exc.error == (PFE_P | PFE_W));
}

static volatile uint64_t pf_rcx, pf_rsi, pf_rdi;
static bool grab_regs(struct frame *f)
{
	pf_rcx = f->rcx;
	pf_rsi = f->rsi;
	pf_rdi = f->rdi;
	return false;	/* then the usual capture */
}

static void restart_tests(void)
{
	/* instruction fetch crossing into a not-present page */
	map(VA_T, frames[0], PTE_P | PTE_RW);
	map(VA_T + 4096, frames[1], 0);
	frames[0][4094] = 0xb8;	/* mov $imm32, %eax: 3 of its 5 bytes are missing */
	frames[0][4095] = 0x01;
	int v = TRY(((void (*)(void))(VA_T + 4094))());
	report("paging: fetch straddling into a missing page: #PF I, CR2 = that page, RIP = insn",
	       v == 14 && last_exc.error == PFE_I && last_exc.cr2 == VA_T + 4096 &&
	       last_exc.rip == VA_T + 4094);

	/* REP MOVSB faulting halfway leaves RCX/RSI/RDI at the faulting byte */
	static uint8_t src[16] = "0123456789abcdef";
	uint64_t c = 16, si = (uint64_t)src, di = VA_T + 4096 - 8;
	set_exc_handler(14, grab_regs);
	v = TRY(__asm__ volatile("rep movsb" : "+c"(c), "+S"(si), "+D"(di) :: "memory"));
	set_exc_handler(14, 0);
	report("paging: rep movsb faulting halfway is restartable (RCX, RSI, RDI updated)",
	       v == 14 && last_exc.cr2 == VA_T + 4096 && pf_rcx == 8 && pf_rsi == (uint64_t)src + 8 &&
	       pf_rdi == VA_T + 4096 && !memcmp(frames[0] + 4096 - 8, src, 8));
	map(VA_T + 4096, frames[1], PTE_P | PTE_RW);
}

int main(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++)
		run_row(&rows[i]);
	reserved_bit_test();
	ad_tests();
	tlb_tests();
	large_page_tests();
	cr2_tests();
	pcid_tests();
	restart_tests();
	return 0;
}
