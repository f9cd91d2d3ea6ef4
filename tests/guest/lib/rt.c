/* Runtime core: descriptor tables, exception dispatch and capture, the
 * table-driven test runner. */
#include "rt.h"

struct tss_block tss_block __attribute__((aligned(16)));
static uint64_t idt[256 * 2] __attribute__((aligned(16)));
static uint8_t ist_stacks[3][8192] __attribute__((aligned(16)));
static uint8_t rsp0_stack[16384] __attribute__((aligned(16)));
static exc_handler handlers[256];
volatile struct exc_record last_exc = { .vector = -1 };
struct jctx *volatile rt_catch;
static struct jctx *volatile runner_ctx;
static const char *volatile current_test;

uint64_t seg_desc(uint32_t base, uint32_t limit, unsigned type, unsigned dpl, unsigned flags)
{
	/* APM vol. 2, 4.7 "Legacy Segment Descriptors"; flags = G|D/B|L|AVL nibble */
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)(type & 0x1f) << 40) | ((uint64_t)(dpl & 3) << 45) |
	       (1ull << 47) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

void gate_desc(uint64_t out[2], uint16_t sel, uint64_t off, unsigned type, unsigned dpl, unsigned ist)
{
	/* APM vol. 2, 4.8.3 / 8.9.1: 16-byte long-mode gate */
	out[0] = (off & 0xffff) | ((uint64_t)sel << 16) | ((uint64_t)(ist & 7) << 32) |
		 ((uint64_t)(type & 0xf) << 40) | ((uint64_t)(dpl & 3) << 45) | (1ull << 47) |
		 ((off >> 16) & 0xffff) << 48;
	out[1] = off >> 32;
}

void idt_set(int vec, uint64_t handler, int dpl, int ist, int type)
{
	gate_desc(&idt[vec * 2], SEL_CODE64, handler, type, dpl, ist);
}

void idt_set_stub(int vec, int dpl, int ist)
{
	idt_set(vec, (uint64_t)(isr_stubs + 16 * vec), dpl, ist, 0xe);
}

void idt_set_present(int vec, bool present)
{
	if (present)
		idt[vec * 2] |= 1ull << 47;
	else
		idt[vec * 2] &= ~(1ull << 47);
}

void set_exc_handler(int vec, exc_handler h)
{
	handlers[vec] = h;
}

static void init_tables(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr;
	uint64_t base = (uint64_t)&tss;

	tss.rsp[0] = (uint64_t)(rsp0_stack + sizeof rsp0_stack);
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)(ist_stacks[i] + sizeof ist_stacks[i]);
	tss.iomap = sizeof tss;
	memset(tss_block.io_bitmap, 0xff, sizeof tss_block.io_bitmap);
	gdt[SEL_TSS / 8] = seg_desc((uint32_t)base, sizeof tss_block - 1, 0x9, 0, 0);
	gdt[SEL_TSS / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" :: "r"(SEL_TSS));

	for (int v = 0; v < 256; v++)
		idt_set_stub(v, (v == 3 || v == 4 || v >= 0x80) ? 3 : 0,
			     v == 8 ? 1 : v == 2 ? 2 : v == 18 ? 3 : 0);
	idtr.limit = sizeof idt - 1;
	idtr.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" :: "m"(idtr));
}

static void resume_at(struct frame *f, const struct jctx *j)
{
	f->rip = j->rip;
	f->rsp = j->rsp;
	f->rbx = j->rbx;
	f->rbp = j->rbp;
	f->r12 = j->r12;
	f->r13 = j->r13;
	f->r14 = j->r14;
	f->r15 = j->r15;
	f->rax = 1;
	f->cs = SEL_CODE64;
	f->ss = SEL_DATA;
	f->rflags = 0x2;
}

void exc_dispatch(struct frame *f)
{
	int v = (int)f->vector;
	struct jctx *j;

	if (handlers[v] && handlers[v](f))
		return;
	last_exc.vector = v;
	last_exc.error = f->error;
	last_exc.rip = f->rip;
	last_exc.cs = f->cs;
	last_exc.rflags = f->rflags;
	last_exc.rsp = f->rsp;
	last_exc.ss = f->ss;
	last_exc.cr2 = read_cr2();
	last_exc.dr6 = v == 1 ? read_dr6() : 0;
	last_exc.count++;
	j = rt_catch;
	if (!j)
		j = runner_ctx;
	if (j) {
		rt_catch = 0;
		runner_ctx = 0;
		resume_at(f, j);
		return;
	}
	printf("not ok - %s: unexpected exception %d err %#lx at %#lx:%#lx cr2 %#lx\n",
	       current_test ? current_test : "kernel", v, f->error, f->cs, f->rip, last_exc.cr2);
	rt_exit(1);
}

void reload_segments(void)
{
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs"
			 :: "r"(SEL_DATA));
}

void load_ds(uint16_t sel)
{
	__asm__ volatile("mov %0, %%ds" :: "r"(sel));
}

static __attribute__((noinline)) void run_one(const struct gtest *t)
{
	struct gres r;
	struct jctx j;

	memset(&r, 0, sizeof r);
	current_test = t->name;
	if (t->prepare)
		t->prepare();
	last_exc.vector = -1;
	if (ctx_save(&j) == 0) {
		runner_ctx = &j;
		t->run(&r);
		runner_ctx = 0;
	} else {
		reload_segments();
		r.faulted = true;
		r.exc = last_exc;
	}
	rt_catch = 0;
	if (t->restore)
		t->restore();
	bool ok = t->check(&r);
	if (!ok && r.faulted)
		note("%s: exception %d err %#lx at %#lx", t->name, r.exc.vector,
		     r.exc.error, r.exc.rip);
	report(t->name, ok);
}

void run_gtests(const struct gtest *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_one(&t[i]);
	current_test = 0;
}

void rt_main(void)
{
	serial_init();
	(void)under_qemu();
	/* firmware may leave the 8259A unmasked with the PIT running (vector
	 * base 8): mask it so no stray IRQ0 lands on an exception vector */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	init_tables();
	main();
	rt_exit(0);
}
