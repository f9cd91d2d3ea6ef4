/* External interrupts from a 64-bit guest: 8259A PIC + 8254 PIT channel 0
 * (IRQ0 -> vector 0x20): HLT wakes up, IF=0 holds a pending interrupt, the
 * STI shadow, PIC masking, interrupt vs trap gates (IF in the handler).
 * Needs the PC platform devices in the front end. */
#include "rt.h"

#define PIC1 0x20
#define PIC2 0xa0
#define VEC_TIMER 0x20

static volatile unsigned ticks;
static volatile uint64_t tick_rip, tick_rflags_in, tick_rflags_saved;

static bool timer_handler(struct frame *f)
{
	ticks++;
	tick_rip = f->rip;
	tick_rflags_saved = f->rflags;
	tick_rflags_in = read_flags();
	outb(PIC1, 0x20);	/* EOI */
	return true;
}

static void pic_init(uint8_t mask)
{
	outb(PIC1, 0x11); outb(PIC2, 0x11);	/* ICW1: edge, cascade, ICW4 */
	outb(PIC1 + 1, 0x20); outb(PIC2 + 1, 0x28);	/* ICW2: vector bases */
	outb(PIC1 + 1, 0x04); outb(PIC2 + 1, 0x02);	/* ICW3 */
	outb(PIC1 + 1, 0x01); outb(PIC2 + 1, 0x01);	/* ICW4: 8086 mode */
	outb(PIC1 + 1, mask); outb(PIC2 + 1, 0xff);
}

static void pit_start(uint16_t count)
{
	outb(0x43, 0x34);	/* channel 0, lo/hi, mode 2 */
	outb(0x40, count & 0xff);
	outb(0x40, count >> 8);
}

static bool irr_timer(void)
{
	outb(PIC1, 0x0a);	/* OCW3: read IRR */
	return inb(PIC1) & 1;
}

extern char sti_shadow[], sti_after_one[];

int main(void)
{
	set_exc_handler(VEC_TIMER, timer_handler);
	pic_init(0xfe);
	pit_start(1193);	/* about 1 ms */

	__asm__ volatile("sti; hlt; cli");
	report("irq: hlt wakes up on IRQ0 (vector 0x20)", ticks >= 1);
	report("irq: interrupt gate clears IF in the handler, frame has IF=1",
	       !(tick_rflags_in & 0x200) && (tick_rflags_saved & 0x200));

	unsigned before = ticks;
	for (int i = 0; i < 2000000 && !irr_timer(); i++)
		;
	bool pending = irr_timer();
	report("irq: with IF=0 the interrupt stays pending in the PIC", pending && ticks == before);
	((void (*)(void))sti_shadow)();
	report("irq: STI shadow: the pending interrupt comes after one more instruction",
	       ticks == before + 1 && tick_rip == (uint64_t)sti_after_one);

	outb(PIC1 + 1, 0xff);	/* mask IRQ0 */
	before = ticks;
	__asm__ volatile("sti");
	for (volatile int i = 0; i < 300000; i++)
		;
	__asm__ volatile("cli");
	report("irq: a masked IRQ is not delivered", ticks == before);

	idt_set(VEC_TIMER, (uint64_t)(isr_stubs + 16 * VEC_TIMER), 0, 0, 0xf);	/* trap gate */
	outb(PIC1 + 1, 0xfe);
	__asm__ volatile("sti; hlt; cli");
	report("irq: trap gate keeps IF set in the handler", (tick_rflags_in & 0x200) != 0);
	outb(PIC1 + 1, 0xff);
	return 0;
}
