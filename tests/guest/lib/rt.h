/* Freestanding runtime for Pacifica's guest test kernels: serial printf,
 * TAP-style reports, exception capture, descriptor and paging helpers. */
#ifndef GUEST_RT_H
#define GUEST_RT_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "layout.h"

#include "io.h"

/* ---- exceptions ---- */
struct frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
struct exc_record {
	int vector;	/* -1: none */
	uint64_t error, rip, cs, rflags, rsp, ss, cr2, dr6;
	uint64_t count;	/* exceptions seen since boot */
};
extern volatile struct exc_record last_exc;

struct jctx { uint64_t rip, rsp, rbx, rbp, r12, r13, r14, r15; };
int ctx_save(struct jctx *j) __attribute__((returns_twice));
extern struct jctx *volatile rt_catch;

/* Runs the statement(s); evaluates to the vector of the first exception
 * they raised (then last_exc holds the details) or -1 if none. */
#define TRY(...) ({							\
	volatile int try_v_ = -1;						\
	struct jctx try_j_;						\
	last_exc.vector = -1;						\
	if (ctx_save(&try_j_) == 0) {					\
		rt_catch = &try_j_;					\
		__VA_ARGS__;						\
		rt_catch = 0;						\
	} else {							\
		try_v_ = last_exc.vector;				\
	}								\
	try_v_; })

/* A handler returns true if it handled the event (the frame resumes as
 * modified); false falls through to capture/redirect. */
typedef bool (*exc_handler)(struct frame *f);
void set_exc_handler(int vec, exc_handler h);
void idt_set(int vec, uint64_t handler, int dpl, int ist, int type);
void idt_set_stub(int vec, int dpl, int ist);	/* restore the runtime stub */
void idt_set_present(int vec, bool present);
extern uint8_t isr_stubs[];

/* ---- descriptors ---- */
extern uint64_t gdt[GDT_ENTRIES];
struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];	/* ist[n - 1] is ISTn */
	uint64_t rsvd2;
	uint16_t rsvd3, iomap;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 0x68, "64-bit TSS is 104 bytes");
/* The runtime's TSS with an I/O permission bitmap (all ports denied, one
 * bit per port, APM vol. 2, 13.3.2) and the terminating 0xff byte. */
struct tss_block { struct tss64 t; uint8_t io_bitmap[8192 + 1]; } __attribute__((packed));
extern struct tss_block tss_block;
#define tss (tss_block.t)
uint64_t seg_desc(uint32_t base, uint32_t limit, unsigned type, unsigned dpl, unsigned flags);
void gate_desc(uint64_t out[2], uint16_t sel, uint64_t off, unsigned type, unsigned dpl, unsigned ist);
void load_ds(uint16_t sel);
void reload_segments(void);

/* ---- tests ---- */
struct gres {			/* what a test observed */
	uint64_t v[8];
	bool faulted;		/* run() raised an exception it did not catch */
	struct exc_record exc;
};
struct gtest {
	const char *name;
	void (*prepare)(void);		/* optional */
	void (*run)(struct gres *r);	/* the guest action */
	bool (*check)(const struct gres *r);
	void (*restore)(void);		/* optional: undo prepare */
};
void run_gtests(const struct gtest *t, size_t n);

/* ---- paging ---- */
extern uint64_t boot_pml4[512], boot_pdpt[512], boot_pd[4 * 512];
/* Splits the 2 MiB page holding va into 4 KiB pages (once); returns its PTE. */
uint64_t *pte_4k(uint64_t va);
uint64_t *pde_2m(uint64_t va);
void *alloc_page(void);		/* zeroed 4 KiB page from a static pool */

/* ---- other modes ---- */
void call_compat(uint32_t fn32, uint32_t arg);	/* far call into .code32 code */
void enter_user(void (*fn)(void), uint64_t stack_top, uint64_t rflags);
/* Runs fn at CPL3 (TRY-wrapped): 0x80 if it returned, else the vector of
 * the exception it raised (details in last_exc). */
int user_call(void (*fn)(void), uint64_t rflags);
void set_user_range(uint64_t start, uint64_t end, bool user);

/* ---- CPU helpers ---- */
static inline uint64_t rdmsr(uint32_t m)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(m));
	return lo | (uint64_t)hi << 32;
}
static inline void wrmsr(uint32_t m, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(m), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
#define CRFN(n) \
static inline uint64_t read_cr##n(void) { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
CRFN(0) CRFN(2) CRFN(3) CRFN(4)
#undef CRFN
static inline void invlpg(const volatile void *p) { __asm__ volatile("invlpg (%0)" :: "r"(p) : "memory"); }
static inline void flush_tlb(void) { write_cr3(read_cr3()); }
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | (uint64_t)hi << 32;
}
static inline uint64_t read_flags(void) { uint64_t f; __asm__ volatile("pushfq; popq %0" : "=r"(f)); return f; }
static inline void write_flags(uint64_t f) { __asm__ volatile("pushq %0; popfq" :: "r"(f) : "memory", "cc"); }
static inline uint64_t read_dr6(void) { uint64_t v; __asm__ volatile("mov %%dr6, %0" : "=r"(v)); return v; }
static inline void write_dr6(uint64_t v) { __asm__ volatile("mov %0, %%dr6" :: "r"(v)); }
static inline void write_dr7(uint64_t v) { __asm__ volatile("mov %0, %%dr7" :: "r"(v)); }
static inline void write_dr0(uint64_t v) { __asm__ volatile("mov %0, %%dr0" :: "r"(v)); }
static inline bool cpu_has(uint32_t leaf, int reg, int bit)
{
	uint32_t r[4];
	cpuid(leaf & 0x80000000u, 0, r);
	if (r[0] < leaf)
		return false;
	cpuid(leaf, 0, r);
	return (r[reg] >> bit) & 1;
}
enum { EAX, EBX, ECX, EDX };

#endif
