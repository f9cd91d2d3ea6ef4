/* 32-bit runtime core: IDT with 32-bit interrupt gates, the TSS (ring-0
 * stack for ring-3 and virtual-8086 tests), exception capture. */
#include "rt32.h"

struct tss32 tss __attribute__((aligned(16)));
static uint64_t idt[256] __attribute__((aligned(16)));
static uint8_t ring0_stack[16384] __attribute__((aligned(16)));
static exc_handler handlers[256];
volatile struct exc_record last_exc = { .vector = -1 };
struct jctx *volatile rt_catch;

uint64_t seg_desc(uint32_t base, uint32_t limit, unsigned type, unsigned dpl, unsigned flags)
{
	return (limit & 0xffffull) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)(type & 0x1f) << 40) | ((uint64_t)(dpl & 3) << 45) |
	       (1ull << 47) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

void idt_set(int vec, uint32_t handler, uint16_t sel, int dpl, int type)
{
	/* APM vol. 2, 4.8.3: 8-byte legacy gate */
	idt[vec] = (handler & 0xffff) | ((uint64_t)sel << 16) | ((uint64_t)(type & 0xf) << 40) |
		   ((uint64_t)(dpl & 3) << 45) | (1ull << 47) | ((uint64_t)(handler >> 16) << 48);
}

void idt_set_stub(int vec, int dpl)
{
	idt_set(vec, (uint32_t)(isr_stubs + 16 * vec), SEL_CODE, dpl, 0xe);
}

void set_exc_handler(int vec, exc_handler h)
{
	handlers[vec] = h;
}

void reload_segments(void)
{
	__asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs" :: "r"(SEL_DATA));
}

static void init_tables(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr;

	tss.esp0 = (uint32_t)(ring0_stack + sizeof ring0_stack);
	tss.ss0 = SEL_DATA;
	tss.iomap = sizeof tss;
	gdt[SEL_TSS / 8] = seg_desc((uint32_t)&tss, sizeof tss - 1, 0x9, 0, 0);
	__asm__ volatile("ltr %w0" :: "r"(SEL_TSS));
	for (int v = 0; v < 256; v++)
		idt_set_stub(v, (v == 3 || v == 4 || v >= 0x80) ? 3 : 0);
	idtr.limit = sizeof idt - 1;
	idtr.base = (uint32_t)idt;
	__asm__ volatile("lidt %0" :: "m"(idtr));
}

void exc_dispatch(struct frame32 *f)
{
	int v = (int)f->vector;
	uint32_t cr2;

	if (handlers[v] && handlers[v](f))
		return;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	last_exc.vector = v;
	last_exc.error = f->error;
	last_exc.eip = f->eip;
	last_exc.cs = f->cs;
	last_exc.eflags = f->eflags;
	bool outer = (f->cs & 3) || (f->eflags & 0x20000);
	last_exc.esp = outer ? f->esp : 0;
	last_exc.ss = outer ? f->ss : 0;
	last_exc.cr2 = cr2;
	last_exc.count++;
	struct jctx *j = rt_catch;
	if (j) {
		rt_catch = 0;
		ctx_restore(j);
	}
	printf("not ok - unexpected exception %d err %#x at %#x:%#x\n", v, f->error, f->cs, f->eip);
	rt_exit(1);
}

void rt32_main(void)
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
