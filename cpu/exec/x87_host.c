/* SPDX-License-Identifier: MIT */
/* The x87 execution engine: the guest instruction runs on the host's own
 * x87 unit. The guest state is loaded with FXRSTOR (exception flags cleared,
 * the guest's control word as is), one stub holding the same escape byte and
 * ModRM runs, and FXSAVE takes the state back. Unmasked exceptions therefore
 * get the hardware's unmasked response (no store, no pop, bias-adjusted
 * results): the host only signals them at its next *waiting* x87
 * instruction, and the engine's next x87 instructions are the non-waiting
 * FXSAVE and FNINIT. No host state leaks from
 * one instruction to the next.
 *
 * APPROX: results are those of the host CPU's x87 unit. Basic arithmetic,
 * conversions, compares, FPREM, FSQRT, FRNDINT, FSCALE, FXTRACT are exact
 * IEEE/x87 operations and equal on every vendor; the transcendental
 * instructions (FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1)
 * may differ from AMD hardware in the last bit (docs/deviations.md). */
#include "x87.h"

#if !defined(__x86_64__) || !defined(__GNUC__)
#error "cpu/exec/x87_host.c needs an x86-64 host and GCC-style inline assembly (the x87 engine runs guest x87 instructions on the host FPU)"
#endif

/* 8 escape bytes x 128 stubs of 8 bytes: endbr64; <esc> <modrm>; ret; int3.
 * Stub 0..63 of an escape byte: memory form with ModRM.reg = n >> 3 and
 * r/m = 7 ([rdi]); stub 64..127: register form ModRM = 0xC0 + (n - 64). */
__asm__(".pushsection .text\n"
	".balign 16\n"
	".globl pac_x87_stubs\n"
	".hidden pac_x87_stubs\n"
	"pac_x87_stubs:\n"
	".irp esc, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf\n"
	".set pac_x87_m, 0\n"
	".rept 64\n"
	".byte 0xf3, 0x0f, 0x1e, 0xfa, \\esc, (pac_x87_m & 0x38) | 7, 0xc3, 0xcc\n"
	".set pac_x87_m, pac_x87_m + 1\n"
	".endr\n"
	".set pac_x87_m, 0xc0\n"
	".rept 64\n"
	".byte 0xf3, 0x0f, 0x1e, 0xfa, \\esc, pac_x87_m, 0xc3, 0xcc\n"
	".set pac_x87_m, pac_x87_m + 1\n"
	".endr\n"
	".endr\n"
	".popsection\n");
extern const unsigned char pac_x87_stubs[] __attribute__((visibility("hidden")));

/* FXSAVE image (APM vol. 5, FXSAVE): FCW, FSW, abridged FTW, MXCSR, then
 * ST(0)..ST(7) in 16-byte slots. FXSAVE/FXRSTOR cost about half of
 * FNSAVE/FRSTOR; full tags are recomputed from the contents, as FNSAVE
 * would. The XMM area is loaded into the host's XMM registers (declared
 * clobbered); MXCSR is the host's own. */
enum { IMG_CW = 0, IMG_SW = 2, IMG_TW = 4, IMG_MXCSR = 24, IMG_REGS = 32, IMG_SIZE = 512 };

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void image_from_guest(const struct fpu *f, uint8_t *img)
{
	uint32_t mxcsr;
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	memset(img, 0, IMG_REGS + 16 * 8);
	put16(img + IMG_CW, f->fcw);
	put16(img + IMG_SW, f->fsw & FSW_KEEP);
	img[IMG_TW] = x87_abridged_tags(f); /* by physical register, as FTW */
	memcpy(img + IMG_MXCSR, &mxcsr, 4);
	for (int i = 0; i < 8; i++) {
		const struct fpreg *r = &f->st[x87_phys(f, i)];
		uint8_t *p = img + IMG_REGS + 16 * i;
		memcpy(p, &r->mant, 8); /* the host is little-endian x86-64 */
		memcpy(p + 8, &r->sexp, 2);
	}
}

static void image_to_guest(struct fpu *f, const uint8_t *img)
{
	uint16_t sw = get16(img + IMG_SW);
	f->fsw = (uint16_t)((sw & FSW_KEEP) | ((f->fsw | sw) & (FSW_EXC | FSW_SF)));
	x87_update_es(f);
	for (int i = 0; i < 8; i++) {
		struct fpreg *r = &f->st[x87_phys(f, i)];
		const uint8_t *p = img + IMG_REGS + 16 * i;
		memcpy(&r->mant, p, 8);
		memcpy(&r->sexp, p + 8, 2);
	}
	f->ftw = x87_tags_from_empty(f, (uint8_t)~img[IMG_TW]);
}

/* Runs one stub. The host x87 stack is empty here (no long double in this
 * file; ABI: empty at calls); FXRSTOR replaces the x87 state, FXSAVE (non-
 * waiting, like FNSAVE) takes it back and FNINIT plus the host's control
 * word leave the host FPU as it was. The red zone is skipped before the
 * call. SAHF/LAHF carry CF/PF/ZF (FCMOVcc in, FCOMI out). */
__attribute__((noinline)) static void run_stub(const unsigned char *stub, uint8_t *img,
					       void *mem, uint32_t *ah)
{
	uint16_t host_cw;
	uint32_t a = *ah;
	__asm__ volatile("fnstcw %[hcw]\n\t"
			 "fxrstor %[img]\n\t"
			 "movl %[a], %%eax\n\t"
			 "sahf\n\t"
			 "lea -128(%%rsp), %%rsp\n\t"
			 "call *%[fn]\n\t"
			 "lea 128(%%rsp), %%rsp\n\t"
			 "lahf\n\t"
			 "movl %%eax, %[a]\n\t"
			 "fxsave %[img]\n\t"
			 "fninit\n\t"
			 "fldcw %[hcw]\n\t"
			 : [img] "+m"(*(uint8_t(*)[IMG_SIZE])img), [a] "+r"(a), [hcw] "=m"(host_cw)
			 : [fn] "r"(stub), "D"(mem)
			 : "rax", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			   "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
			   "xmm14", "xmm15");
	*ah = a;
}

void x87_host_exec(struct fpu *f, uint8_t opc, uint8_t modrm, void *mem, uint64_t *fl)
{
	_Alignas(16) uint8_t img[IMG_SIZE];
	unsigned idx = (opc & 7u) * 128u + (modrm >= 0xc0 ? 64u + (modrm & 0x3fu) : (modrm & 0x38u));
	uint32_t ah = (uint32_t)(*fl & (FL_CF | FL_PF | FL_ZF | FL_SF | FL_AF)) << 8;
	image_from_guest(f, img);
	run_stub(pac_x87_stubs + 8u * idx, img, mem, &ah);
	image_to_guest(f, img);
	*fl = (ah >> 8) & 0xff;
}
