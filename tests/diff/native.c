/* SPDX-License-Identifier: MIT */
/* Native side: maps the code/data/stack at the fixed addresses, loads the
 * initial state with a small trampoline, runs the body and captures the
 * final state. The body ends with `jmp qword [rip+0]` to diff_exit. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "diff.h"

#if defined(__x86_64__)
#include <cpuid.h>

struct dstate diff_in, diff_out;
uint64_t diff_host_rsp, diff_target;
struct __attribute__((packed)) { uint32_t off; uint16_t sel; } diff_far32 = { 0, 0x23 };
void diff_enter(void);
void diff_enter32(void);
void diff_exit(void);

/* diff_enter: save callee-saved registers and RSP, load diff_in, jump to
 * diff_target. diff_exit: store everything into diff_out, restore, return. */
#define DIFF_LOAD_STATE \
	"  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n" \
	"  mov %rsp, diff_host_rsp(%rip)\n" \
	"  lea diff_in(%rip), %rax\n" \
	"  movdqu 136+0*16(%rax), %xmm0\n  movdqu 136+1*16(%rax), %xmm1\n" \
	"  movdqu 136+2*16(%rax), %xmm2\n  movdqu 136+3*16(%rax), %xmm3\n" \
	"  movdqu 136+4*16(%rax), %xmm4\n  movdqu 136+5*16(%rax), %xmm5\n" \
	"  movdqu 136+6*16(%rax), %xmm6\n  movdqu 136+7*16(%rax), %xmm7\n" \
	"  movdqu 136+8*16(%rax), %xmm8\n  movdqu 136+9*16(%rax), %xmm9\n" \
	"  movdqu 136+10*16(%rax), %xmm10\n  movdqu 136+11*16(%rax), %xmm11\n" \
	"  movdqu 136+12*16(%rax), %xmm12\n  movdqu 136+13*16(%rax), %xmm13\n" \
	"  movdqu 136+14*16(%rax), %xmm14\n  movdqu 136+15*16(%rax), %xmm15\n" \
	"  ldmxcsr 392(%rax)\n" \
	"  mov 4*8(%rax), %rsp\n" \
	"  pushq 128(%rax)\n  popfq\n" \
	"  mov 1*8(%rax), %rcx\n  mov 2*8(%rax), %rdx\n  mov 3*8(%rax), %rbx\n" \
	"  mov 5*8(%rax), %rbp\n  mov 6*8(%rax), %rsi\n  mov 7*8(%rax), %rdi\n" \
	"  mov 8*8(%rax), %r8\n  mov 9*8(%rax), %r9\n  mov 10*8(%rax), %r10\n" \
	"  mov 11*8(%rax), %r11\n  mov 12*8(%rax), %r12\n  mov 13*8(%rax), %r13\n" \
	"  mov 14*8(%rax), %r14\n  mov 15*8(%rax), %r15\n" \
	"  mov 0*8(%rax), %rax\n" \

__asm__(
	".text\n"
	".globl diff_enter\n"
	"diff_enter:\n"
	DIFF_LOAD_STATE
	"  jmp *diff_target(%rip)\n"
	".globl diff_enter32\n"
	"diff_enter32:\n"
	"  mov $0x2b, %eax; mov %eax, %ds; mov %eax, %es\n" /* 32-bit code needs usable DS/ES */
	DIFF_LOAD_STATE
	"  ljmpl *diff_far32(%rip)\n"   /* to 0x23:code, Linux's 32-bit user CS */
	".globl diff_exit\n"
	"diff_exit:\n"
	"  mov %rax, diff_out+0*8(%rip)\n  mov %rcx, diff_out+1*8(%rip)\n"
	"  mov %rdx, diff_out+2*8(%rip)\n  mov %rbx, diff_out+3*8(%rip)\n"
	"  mov %rsp, diff_out+4*8(%rip)\n  mov %rbp, diff_out+5*8(%rip)\n"
	"  mov %rsi, diff_out+6*8(%rip)\n  mov %rdi, diff_out+7*8(%rip)\n"
	"  mov %r8, diff_out+8*8(%rip)\n  mov %r9, diff_out+9*8(%rip)\n"
	"  mov %r10, diff_out+10*8(%rip)\n  mov %r11, diff_out+11*8(%rip)\n"
	"  mov %r12, diff_out+12*8(%rip)\n  mov %r13, diff_out+13*8(%rip)\n"
	"  mov %r14, diff_out+14*8(%rip)\n  mov %r15, diff_out+15*8(%rip)\n"
	"  pushfq\n  popq diff_out+128(%rip)\n"
	"  movdqu %xmm0, diff_out+136+0*16(%rip)\n  movdqu %xmm1, diff_out+136+1*16(%rip)\n"
	"  movdqu %xmm2, diff_out+136+2*16(%rip)\n  movdqu %xmm3, diff_out+136+3*16(%rip)\n"
	"  movdqu %xmm4, diff_out+136+4*16(%rip)\n  movdqu %xmm5, diff_out+136+5*16(%rip)\n"
	"  movdqu %xmm6, diff_out+136+6*16(%rip)\n  movdqu %xmm7, diff_out+136+7*16(%rip)\n"
	"  movdqu %xmm8, diff_out+136+8*16(%rip)\n  movdqu %xmm9, diff_out+136+9*16(%rip)\n"
	"  movdqu %xmm10, diff_out+136+10*16(%rip)\n  movdqu %xmm11, diff_out+136+11*16(%rip)\n"
	"  movdqu %xmm12, diff_out+136+12*16(%rip)\n  movdqu %xmm13, diff_out+136+13*16(%rip)\n"
	"  movdqu %xmm14, diff_out+136+14*16(%rip)\n  movdqu %xmm15, diff_out+136+15*16(%rip)\n"
	"  stmxcsr diff_out+392(%rip)\n"
	"  cld\n"
	"  mov diff_host_rsp(%rip), %rsp\n"
	"  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
	"  ret\n");

_Static_assert(offsetof(struct dstate, rflags) == 128, "trampoline offsets");
_Static_assert(offsetof(struct dstate, xmm) == 136, "trampoline offsets");
_Static_assert(offsetof(struct dstate, mxcsr) == 392, "trampoline offsets");

static uint8_t *code_page, *data_page;
static sigjmp_buf fault_jb;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)si; (void)uc;
	fault_sig = sig;
	siglongjmp(fault_jb, 1);
}

bool host_is_amd(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(0, &a, &b, &c, &d))
		return false;
	return b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163;
}

static bool map_fixed(uint64_t addr, size_t len, int prot, uint8_t **out)
{
	void *p = mmap((void *)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || p != (void *)addr)
		return false;
	*out = p;
	return true;
}

bool native_available(char *why, size_t n)
{
	if (code_page)
		return true;
	if (!map_fixed(DIFF_CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, &code_page) ||
	    !map_fixed(DIFF_DATA_ADDR, DIFF_DATA_SIZE + DIFF_STACK_SIZE, PROT_READ | PROT_WRITE, &data_page)) {
		snprintf(why, n, "cannot map the test pages at their fixed addresses");
		return false;
	}
	/* faults arrive while RSP is the guest's: deliver them on their own stack */
	static uint8_t altstack[1 << 16];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	if (sigaltstack(&ss, NULL)) {
		snprintf(why, n, "cannot set up the signal stack");
		return false;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	return true;
}

int native_run(const struct dcase *dc, const struct dstate *in, struct dstate *out)
{
	static const uint8_t jmp_exit[6] = { 0xff, 0x25, 0, 0, 0, 0 };
	uint64_t exit_addr = (uint64_t)(uintptr_t)&diff_exit;
	unsigned at = dc->len;
	memcpy(code_page, dc->code, dc->len);
	if (dc->mode32) {
		/* 32-bit code returns with ljmp 0x33:<next>, Linux's 64-bit user CS */
		uint32_t next = (uint32_t)(DIFF_CODE_ADDR + at + 7);
		uint16_t sel = 0x33;
		code_page[at] = 0xea;
		memcpy(code_page + at + 1, &next, 4);
		memcpy(code_page + at + 5, &sel, 2);
		at += 7;
	}
	memcpy(code_page + at, jmp_exit, 6);
	memcpy(code_page + at + 6, &exit_addr, 8);
	diff_far32.off = (uint32_t)DIFF_CODE_ADDR;
	memcpy(data_page, in->data, DIFF_DATA_SIZE);
	memset(data_page + DIFF_DATA_SIZE, 0, DIFF_STACK_SIZE);
	diff_in = *in;
	diff_target = DIFF_CODE_ADDR;
	fault_sig = 0;
	if (sigsetjmp(fault_jb, 1) == 0) {
		if (dc->mode32)
			diff_enter32();
		else
			diff_enter();
	} else {
		/* the signal arrived on the guest stack; the host frame is intact below */
		memset(out, 0, sizeof *out);
		out->faulted = fault_sig;
		__asm__ volatile("cld; ldmxcsr %0" : : "m"((uint32_t){ 0x1f80 }));
		return -1;
	}
	__asm__ volatile("ldmxcsr %0" : : "m"((uint32_t){ 0x1f80 }));
	*out = diff_out;
	memcpy(out->data, data_page, DIFF_DATA_SIZE);
	out->faulted = 0;
	return 0;
}
#else
bool host_is_amd(void) { return false; }
bool native_available(char *why, size_t n)
{
	snprintf(why, n, "host is not x86-64");
	return false;
}
int native_run(const struct dcase *dc, const struct dstate *in, struct dstate *out)
{
	(void)dc; (void)in; (void)out;
	return -1;
}
#endif
