/* Hardware task switches in 32-bit protected mode (APM vol. 2, 12.3):
 * CALL through a TSS and IRET with NT back, busy bits, the back link, the
 * saved EIP, #TS for a short TSS and #GP for a busy one. */
#include "rt32.h"

extern char x_ljmp[], x_ljmp_at[], x_lcall[], task2_entry[];
extern volatile uint32_t seen[16];

typedef uint32_t fn2(uint32_t a, uint32_t b);
#define CALL(f, a, b) ((fn2 *)(void *)(f))((a), (b))
#define SEL_SHORT_TSS 0x60

static void expect(const char *name, int v, int vec, int64_t err, const char *at)
{
	bool ok = v == vec && (err < 0 || last_exc.error == (uint32_t)err) &&
		  (!at || last_exc.eip == (uint32_t)at);
	if (!ok)
		note("%s: got vector %d err %#x eip %#x", name, v, last_exc.error, last_exc.eip);
	report(name, ok);
}

static struct tss32 tss2, tss_short;
static uint8_t task_stack[4096] __attribute__((aligned(16)));

static unsigned desc_type(uint16_t sel)
{
	return (unsigned)(gdt[sel / 8] >> 40) & 0xf;
}

static void task_tests(void)
{
	memset(&tss2, 0, sizeof tss2);
	tss2.eip = (uint32_t)task2_entry;
	tss2.esp = (uint32_t)(task_stack + sizeof task_stack);
	tss2.eflags = 2;
	tss2.cs = SEL_CODE;
	tss2.ss = tss2.ds = tss2.es = tss2.fs = tss2.gs = SEL_DATA;
	tss2.iomap = sizeof tss2;
	gdt[SEL_TSS2 / 8] = seg_desc((uint32_t)&tss2, sizeof tss2 - 1, 0x9, 0, 0);
	memset((void *)seen, 0, 64);
	int v = TRY(CALL(x_lcall, 0, SEL_TSS2));
	report("task: call through a TSS runs the task and IRET with NT returns", v == -1 &&
	       seen[9] == tss2.esp);
	report("task: the new task runs with EFLAGS.NT=1 and a back link",
	       (seen[8] & 0x4000) && tss2.link == SEL_TSS);
	report("task: busy bits after the return (old busy, new available)",
	       desc_type(SEL_TSS) == 0xb && desc_type(SEL_TSS2) == 0x9);
	report("task: the outgoing task's EIP was saved in its TSS",
	       tss2.eip > (uint32_t)task2_entry && tss2.eip < (uint32_t)task2_entry + 16);

	memset(&tss_short, 0, sizeof tss_short);
	gdt[SEL_SHORT_TSS / 8] = seg_desc((uint32_t)&tss_short, 0x50, 0x9, 0, 0);
	v = TRY(CALL(x_ljmp, 0, SEL_SHORT_TSS));
	expect("task: #TS(sel) for a TSS limit below 0x67", v, 10, SEL_SHORT_TSS, x_ljmp_at);
	v = TRY(CALL(x_ljmp, 0, SEL_TSS));
	expect("task: jmp to the busy current TSS is #GP(sel)", v, 13, SEL_TSS, x_ljmp_at);
}

int main(void)
{
	task_tests();
	return 0;
}
