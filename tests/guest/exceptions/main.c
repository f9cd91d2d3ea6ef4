/* Exceptions from inside a 64-bit guest: vector, error code, reported RIP
 * (fault: the faulting instruction; trap: the next one), CR2, DR6, nested
 * delivery (#DF, benign + contributory), and a few priorities.
 * APM vol. 2, 8.2 (each vector) and 8.5 (priorities), Table 8-7 (#DF). */
#include "rt.h"

#define X(n) extern char n[], n##_at[], n##_after[];
X(x_div0) X(x_idivovf) X(x_div8ovf) X(x_ud2) X(x_pushes) X(x_daa) X(x_into64) X(x_aam)
X(x_callfar) X(x_ud0) X(x_locknop) X(x_lockreg) X(x_lockmov) X(x_ncread) X(x_ncstack)
X(x_badmsr) X(x_cr4rsvd) X(x_cr4la57) X(x_loadds) X(x_loadss) X(x_int40) X(x_int81) X(x_int3) X(x_intn3)
X(x_iretnt) X(x_ljmpdata)
X(x_cx16) X(x_jmpnc) X(x_iretnc) X(x_dsbase)
X(c_into) X(c_intono) X(c_bound) X(c_boundok) X(c_daa)
#undef X
extern volatile uint32_t c_result;

typedef void snip_fn(uint64_t arg);
#define CALL(fn, arg) ((snip_fn *)(void *)(fn))(arg)

/* One row: run a snippet, expect (vector, error code, rip). */
struct erow {
	const char *name;
	void *fn;
	uint64_t arg;
	int vec;		/* -1: no exception */
	int64_t err;		/* -1: don't check */
	const char *rip;	/* expected RIP (NULL: don't check) */
	const char *qemu;	/* documented QEMU deviation */
};

#define QEMU_IDT16 \
	"QEMU 7.2 reports vector*16+2 as the IDT error code in long mode and never sets EXT; APM vol. 2, 8.4.1: bits 15:3 = IDT index (the vector)"
#define QEMU_NOLOCK "QEMU 7.2 ignores LOCK on instructions that do not allow it (APM vol. 3, 1.2.5: #UD)"

#define QEMU_NCBRANCH "QEMU 7.2 completes the branch and faults on the fetch (RIP = the " \
	"non-canonical target); APM vol. 3 JMP/IRET: #GP(0) raised by the instruction itself"

#define SEL_NP_DATA 0x58	/* data segment, not present */
#define SEL_XO_CODE 0x60	/* execute-only code */
#define SEL_DPL3_DATA 0x68
#define SEL_NP_DATA2 0x70

static void setup_gdt(void)
{
	__asm__ volatile("lldt %w0" :: "r"(0));	/* null LDT: TI=1 selectors fault */
	gdt[SEL_NP_DATA / 8] = seg_desc(0, 0xfffff, 0x13, 0, 0xc) & ~(1ull << 47);
	gdt[SEL_XO_CODE / 8] = seg_desc(0, 0xfffff, 0x19, 0, 0xc);
	gdt[SEL_DPL3_DATA / 8] = seg_desc(0, 0xfffff, 0x13, 3, 0xc);
	gdt[SEL_NP_DATA2 / 8] = seg_desc(0, 0xfffff, 0x13, 0, 0xc) & ~(1ull << 47);
}

static struct { uint32_t off; uint16_t sel; } __attribute__((packed)) far_to_data = { 0, SEL_DATA };

static uint64_t scratch;
static uint64_t cx16_buf[4] __attribute__((aligned(16)));

static const struct erow rows[] = {
	{ "#DE div by zero", x_div0, 0, 0, 0, x_div0_at, 0 },
	{ "#DE idiv INT64_MIN/-1", x_idivovf, 0, 0, 0, x_idivovf_at, 0 },
	{ "#DE div8 quotient too big", x_div8ovf, 0, 0, 0, x_div8ovf_at, 0 },
	{ "#UD ud2", x_ud2, 0, 6, 0, x_ud2_at, 0 },
	{ "#UD push es in 64-bit mode", x_pushes, 0, 6, 0, x_pushes_at, 0 },
	{ "#UD daa in 64-bit mode", x_daa, 0, 6, 0, x_daa_at, 0 },
	{ "#UD into in 64-bit mode", x_into64, 0, 6, 0, x_into64_at, 0 },
	{ "#UD aam in 64-bit mode", x_aam, 0, 6, 0, x_aam_at, 0 },
	{ "#UD call far direct in 64-bit mode", x_callfar, 0, 6, 0, x_callfar_at, 0 },
	{ "#UD ud0", x_ud0, 0, 6, 0, x_ud0_at, 0 },
	{ "#UD lock nop", x_locknop, 0, 6, 0, x_locknop_at, 0 },
	{ "#UD lock add with register destination", x_lockreg, 0, 6, 0, x_lockreg_at, 0 },
	{ "#UD lock mov to memory", x_lockmov, (uint64_t)&scratch, 6, 0, x_lockmov_at,
	  QEMU_NOLOCK },
	{ "#GP(0) non-canonical load", x_ncread, 0, 13, 0, x_ncread_at, 0 },
	{ "#SS(0) non-canonical RBP-based load", x_ncstack, 0, 12, 0, x_ncstack_at,
	  "QEMU 7.2 raises #GP(0) for every non-canonical address; APM vol. 2, 8.2.12: "
	  "#SS(0) when the reference uses SS (RSP/RBP base)" },
	{ "#GP(0) rdmsr of a missing MSR", x_badmsr, 0, 13, 0, x_badmsr_at,
	  "QEMU 7.2 (TCG) reads unknown MSRs as 0 instead of #GP(0)" },
	{ "#GP(0) CR4 reserved bit 40", x_cr4rsvd, 0, 13, 0, x_cr4rsvd_at,
	  "!QEMU 7.2 accepts the write and then hangs" },
	{ "#GP(0) toggling CR4.LA57 in long mode", x_cr4la57, 0, 13, 0, x_cr4la57_at, 0 },
	{ "#NP(sel) mov ds, not-present segment", x_loadds, SEL_NP_DATA, 11, SEL_NP_DATA, x_loadds_at, 0 },
	{ "#GP(sel) mov ds, execute-only code", x_loadds, SEL_XO_CODE, 13, SEL_XO_CODE, x_loadds_at, 0 },
	{ "#GP(sel) mov ds, selector past GDT limit", x_loadds, 0x100, 13, 0x100, x_loadds_at, 0 },
	{ "#GP(sel) mov ds, RPL 3 > DPL 0", x_loadds, SEL_DATA | 3, 13, SEL_DATA, x_loadds_at, 0 },
	{ "#GP(sel) mov ds, LDT selector without LDT", x_loadds, 0x0c, 13, 0x0c, x_loadds_at, 0 },
	{ "mov ds, null selector is fine", x_loadds, 0, -1, 0, 0, 0 },
	{ "#GP(sel) mov ss, DPL 3 data at CPL 0", x_loadss, SEL_DPL3_DATA, 13, SEL_DPL3_DATA, x_loadss_at, 0 },
	{ "#SS(sel) mov ss, not-present segment", x_loadss, SEL_NP_DATA2, 12, SEL_NP_DATA2, x_loadss_at, 0 },
	{ "#GP(sel) mov ss, code segment", x_loadss, SEL_CODE64, 13, SEL_CODE64, x_loadss_at, 0 },
	{ "#GP(sel) far jmp to a data segment", x_ljmpdata, (uint64_t)&far_to_data, 13, SEL_DATA,
	  x_ljmpdata_at, 0 },
	{ "#BP int3 is a trap", x_int3, 0, 3, 0, x_int3_after, 0 },
	{ "#BP int $3 is a trap", x_intn3, 0, 3, 0, x_intn3_after, 0 },
	{ "int 0x81 reaches its handler", x_int81, 0, 0x81, 0, x_int81_after, 0 },
	{ "#GP(0) iretq with NT=1 in long mode", x_iretnt, 0, 13, 0, x_iretnt_at, 0 },
	{ "#GP(0) cmpxchg16b on a misaligned operand", x_cx16, (uint64_t)cx16_buf, 13, 0, x_cx16_at, 0 },
	{ "#GP(0) jmp to a non-canonical address, RIP at the jmp", x_jmpnc, 0, 13, 0, x_jmpnc_at,
	  QEMU_NCBRANCH },
	{ "#GP(0) iretq to a non-canonical RIP", x_iretnc, 0, 13, 0, x_iretnc_at, QEMU_NCBRANCH },
};

static void run_rows(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct erow *r = &rows[i];
		if (r->qemu && r->qemu[0] == '!' && under_qemu()) {
			skip(r->name, r->qemu + 1);
			continue;
		}
		int v = TRY(((snip_fn *)r->fn)(r->arg));
		reload_segments();
		bool ok = v == r->vec;
		if (v >= 0 && r->err >= 0)
			ok = ok && last_exc.error == (uint64_t)r->err;
		if (v >= 0 && r->rip)
			ok = ok && last_exc.rip == (uint64_t)r->rip;
		if (!ok)
			note("%s: got vector %d err %#lx rip %#lx (want %d %#lx %p)", r->name, v,
			     last_exc.error, last_exc.rip, r->vec, r->err, r->rip);
		report_q(r->name, ok, r->qemu);
	}
}

/* Reports whether vector v (and, if err >= 0, its error code) is as expected. */
static void expect(const char *name, int v, int vec, int64_t err, const char *qemu)
{
	bool ok = v == vec && (err < 0 || last_exc.error == (uint64_t)err);
	if (!ok)
		note("%s: got vector %d err %#lx rip %#lx (want %d err %#lx)", name, v,
		     last_exc.error, last_exc.rip, vec, err);
	report_q(name, ok, qemu);
}

static void segment_tests(void)
{
	static volatile uint32_t var = 0x600df00d;
	uint32_t v;
	gdt[0x78 / 8] = seg_desc(0x1000, 0xfffff, 0x13, 0, 0xc);	/* base 0x1000 */
	__asm__ volatile("push %%rbx; mov %%ds, %%ebx; mov %2, %%ds; mov (%1), %0; mov %%ebx, %%ds; pop %%rbx"
			 : "=r"(v) : "r"(&var), "r"(0x78) : "memory");
	report("64-bit mode ignores the DS base", v == 0x600df00d);
	uint64_t fsb = rdmsr(0xC0000100);
	__asm__ volatile("mov %0, %%fs" :: "r"(0x78));
	uint64_t loaded = rdmsr(0xC0000100);
	__asm__ volatile("mov %0, %%fs" :: "r"(SEL_DATA));
	wrmsr(0xC0000100, fsb);
	report("mov fs loads the descriptor base into FS.base", loaded == 0x1000);
}

static void nested_tests(void)
{
	int v;

	idt_set_present(13, false);
	v = TRY(CALL(x_ncread, 0));
	idt_set_present(13, true);
	expect("#DF: #GP whose gate is not present (#NP) becomes a double fault", v, 8, 0, 0);

	idt_set_present(6, false);
	v = TRY(CALL(x_ud2, 0));
	idt_set_present(6, true);
	expect("benign #UD + #NP on its gate: #NP(6*8+IDT+EXT), no #DF", v, 11, 6 * 8 + 2 + 1, QEMU_IDT16);

	idt_set_present(0x81, false);
	v = TRY(CALL(x_int81, 0));
	idt_set_present(0x81, true);
	expect("int 0x81 through a not-present gate: #NP(0x81*8+IDT), EXT clear", v, 11, 0x81 * 8 + 2,
	       QEMU_IDT16);

	v = TRY(CALL(x_int40, 0));
	expect("int 0x40 (gate DPL 0) at CPL 0 is delivered", v, 0x40, -1, 0);
}

static void user_int40(void) { __asm__ volatile("int $0x40"); }
static void user_int3(void) { __asm__ volatile("int3"); }
static void user_cli(void) { __asm__ volatile("cli"); }
static void user_hlt(void) { __asm__ volatile("hlt"); }
static void user_crread(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); }
static void user_inport(void) { inb(0x80); }
static void user_locked_hlt(void) { __asm__ volatile(".byte 0xf0; hlt"); }
static void user_nothing(void) {}
static volatile uint64_t user_seen;
static void user_popf_if(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; orq $0x200, (%%rsp); popfq; pushfq; popq %0" : "=r"(f));
	user_seen = f;
}
static void user_cli_sti(void) { __asm__ volatile("cli; sti; cli"); }

static void user_tests(void)
{
	int v = user_call(user_nothing, 0x2);
	report("ring 3: a function runs at CPL 3 and comes back through int 0x80",
	       v == 0x80 && (last_exc.cs & 3) == 3);
	v = user_call(user_int40, 0x2);
	expect("ring 3: int 0x40 through a DPL 0 gate is #GP(0x40*8+IDT)", v, 13, 0x40 * 8 + 2, QEMU_IDT16);
	v = user_call(user_int3, 0x2);
	report("ring 3: int3 through a DPL 3 gate is #BP", v == 3 && (last_exc.cs & 3) == 3);
	v = user_call(user_cli, 0x2);
	expect("ring 3: cli with IOPL 0 is #GP(0)", v, 13, 0, 0);
	v = user_call(user_hlt, 0x2);
	expect("ring 3: hlt is #GP(0)", v, 13, 0, 0);
	v = user_call(user_crread, 0x2);
	expect("ring 3: mov from CR0 is #GP(0)", v, 13, 0, 0);
	v = user_call(user_inport, 0x2);
	expect("ring 3: in with IOPL 0, port denied by the I/O bitmap is #GP(0)", v, 13, 0, 0);
	tss_block.io_bitmap[0x80 / 8] &= ~(1u << (0x80 % 8));
	v = user_call(user_inport, 0x2);
	tss_block.io_bitmap[0x80 / 8] |= 1u << (0x80 % 8);
	expect("ring 3: in allowed by a clear I/O bitmap bit", v, 0x80, -1, 0);
	v = user_call(user_inport, 0x3002);
	expect("ring 3: in allowed by IOPL 3", v, 0x80, -1, 0);
	v = user_call(user_cli_sti, 0x3002);
	expect("ring 3: cli/sti allowed by IOPL 3", v, 0x80, -1, 0);
	user_seen = 0;
	v = user_call(user_popf_if, 0x2);
	report("ring 3: popf cannot set IF with IOPL 0 (no fault)", v == 0x80 && user_seen &&
	       !(user_seen & 0x200));
	v = user_call(user_locked_hlt, 0x2);
	expect("priority: lock hlt at ring 3 is #UD before #GP", v, 6, -1, QEMU_NOLOCK);
}

static void compat_tests(void)
{
	int v = TRY(call_compat((uint32_t)(uint64_t)c_into, 0));
	report("#OF: into with OF=1 in compatibility mode (trap)",
	       v == 4 && last_exc.rip == (uint64_t)c_into_after && last_exc.cs == SEL_CODE32);
	v = TRY(call_compat((uint32_t)(uint64_t)c_intono, 0));
	report("into with OF=0 does nothing", v == -1);
	v = TRY(call_compat((uint32_t)(uint64_t)c_bound, 0));
	report("#BR: bound out of range in compatibility mode (fault)",
	       v == 5 && last_exc.rip == (uint64_t)c_bound_at);
	v = TRY(call_compat((uint32_t)(uint64_t)c_boundok, 0));
	report("bound in range does nothing", v == -1);
	c_result = 0;
	v = TRY(call_compat((uint32_t)(uint64_t)c_daa, 0));
	report("daa in compatibility mode: 0x19 + 0x28 -> 0x47", v == -1 && (c_result & 0xff) == 0x47);
}

int main(void)
{
	setup_gdt();
	run_rows();
	segment_tests();
	nested_tests();
	user_tests();
	compat_tests();
	return 0;
}
