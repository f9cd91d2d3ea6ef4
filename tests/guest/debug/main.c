/* Debug exceptions and alignment checks from a 64-bit guest: single-step
 * traps (RIP after the instruction; MOV SS delays the trap by one
 * instruction), INT1, DR0..DR3 data and instruction breakpoints with DR6,
 * and #AC at ring 3. APM vol. 2, 13.1 (debug), 8.2.18 (#AC). */
#include "rt.h"

#define X(n) extern char n[], n##_at[], n##_after[];
X(x_int1) X(x_tf) X(x_tffault) X(x_store) X(x_load) X(x_movss)
#undef X
typedef void snip_fn(uint64_t arg);
#define CALL(fn, arg) ((snip_fn *)(void *)(fn))(arg)

static void expect(const char *name, int v, int vec, int64_t err, const char *qemu)
{
	bool ok = v == vec && (err < 0 || last_exc.error == (uint64_t)err);
	if (!ok)
		note("%s: got vector %d err %#lx rip %#lx (want %d err %#lx)", name, v,
		     last_exc.error, last_exc.rip, vec, err);
	report_q(name, ok, qemu);
}

static void debug_tests(void)
{
	static volatile uint32_t watched;
	int v;

	write_dr6(0xffff0ff0);
	v = TRY(CALL(x_tf, 0));
	report("#DB single-step trap after the instruction following popf",
	       v == 1 && last_exc.rip == (uint64_t)x_tf_after && (last_exc.dr6 & 0x4000));

	write_dr6(0xffff0ff0);
	v = TRY(CALL(x_tffault, 0));
	report("single-step: a faulting instruction reports the fault, not #DB",
	       v == 6 && last_exc.rip == (uint64_t)x_tffault_at);

	write_dr6(0xffff0ff0);
	v = TRY(CALL(x_movss, 0));
	if (v != 1 || last_exc.rip != (uint64_t)x_movss_after)
		note("mov ss + TF: vector %d at %#lx (mov ss at %p, want %p)", v, last_exc.rip,
		     (void *)x_movss_at, (void *)x_movss_after);
	report("single-step: mov ss delays the trap by one instruction",
	       v == 1 && last_exc.rip == (uint64_t)x_movss_after);

	write_dr6(0xffff0ff0);
	write_dr0((uint64_t)&watched);
	write_dr7(0x000d0001);	/* L0, RW0 = write, LEN0 = 4 bytes */
	v = TRY(CALL(x_store, (uint64_t)&watched));
	write_dr7(0x400);
	if (v != 1)
		note("data breakpoint: vector %d", v);
	report("#DB data write breakpoint is a trap with DR6.B0",
	       v == 1 && last_exc.rip == (uint64_t)x_store_after && (last_exc.dr6 & 1) && watched == 1);

	write_dr6(0xffff0ff0);
	write_dr0((uint64_t)x_load_at);
	write_dr7(0x00000001);	/* L0, execute */
	v = TRY(CALL(x_load, (uint64_t)&watched));
	write_dr7(0x400);
	if (v != 1)
		note("instruction breakpoint: vector %d", v);
	report("#DB instruction breakpoint is a fault with DR6.B0",
	       v == 1 && last_exc.rip == (uint64_t)x_load_at && (last_exc.dr6 & 1));
}

static void int1_test(void)
{
	int v = TRY(CALL(x_int1, 0));
	report_q("#DB int1 (icebp) is a trap", v == 1 && last_exc.rip == (uint64_t)x_int1_after,
		 "QEMU 7.2 raises #UD for opcode F1 (APM vol. 3: INT1, #DB trap)");
}

static void user_misaligned(void)
{
	static volatile uint8_t buf[16] __attribute__((aligned(16)));
	__asm__ volatile("pushfq; orq $0x40000, (%%rsp); popfq; movl 1(%0), %%eax; "
			 "pushfq; andq $~0x40000, (%%rsp); popfq" :: "r"(buf) : "rax", "memory");
}
static void ac_tests(void)
{
	int v;
	v = user_call(user_misaligned, 0x2);
	expect("ring 3: misaligned load with AC=1, CR0.AM=0 does not fault", v, 0x80, -1, 0);
	write_cr0(read_cr0() | CR0_AM);
	v = user_call(user_misaligned, 0x2);
	write_cr0(read_cr0() & ~(uint64_t)CR0_AM);
	expect("#AC(0): misaligned load at ring 3 with AC=1, CR0.AM=1", v, 17, 0,
	       "QEMU 7.2 (TCG) does not implement alignment checking");
}

int main(void)
{
	debug_tests();
	int1_test();
	ac_tests();
	return 0;
}
