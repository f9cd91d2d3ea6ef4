/* 32-bit protected-mode runtime for legacy-mode test kernels: the same
 * reports and TRY() as the 64-bit runtime, with 32-bit gates and a TSS. */
#ifndef GUEST_RT32_H
#define GUEST_RT32_H
#include "../lib/io.h"
#include "layout32.h"

struct frame32 {
	uint32_t es, ds;
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;		/* only from CPL 3 */
	uint32_t v86_es, v86_ds, v86_fs, v86_gs;	/* only from virtual-8086 mode */
};
struct exc_record {
	int vector;
	uint32_t error, eip, cs, eflags, esp, ss, cr2;
	uint64_t count;
};
extern volatile struct exc_record last_exc;

struct jctx { uint32_t eip, esp, ebx, esi, edi, ebp; };
int ctx_save(struct jctx *j) __attribute__((returns_twice));
_Noreturn void ctx_restore(struct jctx *j);
extern struct jctx *volatile rt_catch;

#define TRY(...) ({							\
	volatile int try_v_ = -1;					\
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

typedef bool (*exc_handler)(struct frame32 *f);
void set_exc_handler(int vec, exc_handler h);
void idt_set(int vec, uint32_t handler, uint16_t sel, int dpl, int type);
void idt_set_stub(int vec, int dpl);
extern uint8_t isr_stubs[];

extern uint64_t gdt[GDT_ENTRIES];
struct tss32 {
	uint16_t link, r0;
	uint32_t esp0; uint16_t ss0, r1;
	uint32_t esp1; uint16_t ss1, r2;
	uint32_t esp2; uint16_t ss2, r3;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10;
	uint16_t trap, iomap;
} __attribute__((packed));
_Static_assert(sizeof(struct tss32) == 104, "32-bit TSS is 104 bytes");
extern struct tss32 tss;
uint64_t seg_desc(uint32_t base, uint32_t limit, unsigned type, unsigned dpl, unsigned flags);
void reload_segments(void);

static inline uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline uint32_t read_flags(void) { uint32_t f; __asm__ volatile("pushfl; popl %0" : "=r"(f)); return f; }
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
#endif
