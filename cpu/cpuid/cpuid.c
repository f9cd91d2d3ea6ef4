/* SPDX-License-Identifier: MIT */
/* CPUID instruction results computed from the model's feature set
 * (AMD CPUID Specification #25481; APM vol. 3 appendix E). Leaves above
 * the maximum return zeros, as on AMD. */
#include "cpuid.h"
#include "../svm/svm.h"
#include "../decode/insn.h"

#define B(f) (1ull << FEAT_##f)
static const struct cpuid_model models[] = {
#define MODEL(n, br, sig, pb, vb, f) { n, br, sig, pb, vb, f },
#include "models.def"
#undef MODEL
};
#undef B

static const char *const model_names[] = {
#define MODEL(n, br, sig, pb, vb, f) n,
#include "models.def"
#undef MODEL
	NULL
};

const char *const *pac_cpu_models(void) { return model_names; }

const struct cpuid_model *cpuid_find_model(const char *name)
{
	if (!name || !*name)
		return &models[0];
	for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

bool cpu_has(const struct cpu *c, int feat)
{
	return (c->model->feats >> feat) & 1;
}

uint32_t cpuid_reset_edx(const struct cpu *c) { return c->model->signature; }

#define H(f, bit) (cpu_has(c, FEAT_##f) ? 1u << (bit) : 0)

static void leaf1(const struct cpu *c, uint32_t o[4])
{
	o[0] = c->model->signature;
	o[1] = (8u << 8) | ((uint32_t)c->m->ncpus << 16) | ((uint32_t)c->index << 24);
	o[2] = H(SSE3, 0) | H(PCLMUL, 1) | H(MONITOR, 3) | H(SSSE3, 9) | H(CX16, 13) |
	       H(SSE41, 19) | H(SSE42, 20) | H(X2APIC, 21) | H(MOVBE, 22) | H(POPCNT, 23) |
	       H(TSC_DEADLINE, 24) | H(AES, 25) | H(XSAVE, 26) | H(RDRAND, 30) | H(PCID, 17);
	if (c->cr4 & CR4_OSXSAVE)
		o[2] |= 1u << 27;
	if (c->msr.hwcr & (1ull << 9))
		o[2] &= ~(1u << 3); /* HWCR.MonMwaitDis hides MONITOR (cpu/exec/cacheops.c) */
	o[3] = H(FPU, 0) | (1u << 1) | (1u << 2) | H(PSE, 3) | H(TSC, 4) | H(MSR, 5) | H(PAE, 6) |
	       (1u << 7) | H(CX8, 8) | H(APIC, 9) | H(SYSENTER, 11) | H(MTRR, 12) | H(PGE, 13) |
	       (1u << 14) | H(CMOV, 15) | H(PAT, 16) | (1u << 17) | H(CLFLUSH, 19) | H(MMX, 23) |
	       H(FXSR, 24) | H(SSE, 25) | H(SSE2, 26) | (c->m->ncpus > 1 ? 1u << 28 : 0);
	if (!(c->msr.apic_base & (1ull << 11)))
		o[3] &= ~(1u << 9); /* APIC globally disabled hides the bit */
}

static void leaf7(const struct cpu *c, uint32_t sub, uint32_t o[4])
{
	if (sub != 0)
		return;
	o[1] = H(FSGSBASE, 0) | H(BMI1, 3) | H(SMEP, 7) | H(BMI2, 8) | H(INVPCID, 10) |
	       H(RDSEED, 18) | H(ADX, 19) | H(SMAP, 20) | H(CLFLUSHOPT, 23) | H(CLWB, 24) | H(SHA, 29);
	o[2] = H(UMIP, 2) | H(PKU, 3) | H(LA57, 16) | H(RDPID, 22);
}

static void leafd(const struct cpu *c, uint32_t sub, uint32_t o[4])
{
	if (!cpu_has(c, FEAT_XSAVE))
		return;
	if (sub == 0) {
		o[0] = 3;            /* x87 | SSE */
		o[1] = 512 + 64;     /* size for XCR0 as set */
		o[2] = 512 + 64;     /* max size */
	} else if (sub == 1) {
		o[0] = H(XSAVEOPT, 0) | H(XSAVEC, 1) | H(XGETBV1, 2);
	}
}

static void brand(const struct cpu *c, uint32_t leaf, uint32_t o[4])
{
	char b[48] = { 0 };
	strncpy(b, c->model->brand, sizeof b - 1);
	memcpy(o, b + (leaf - 0x80000002u) * 16, 16);
}

static void leaf_ext1(const struct cpu *c, uint32_t o[4])
{
	o[0] = c->model->signature;
	/* AltMovCr8 (4) and 3DNowPrefetch (8) are implemented; MisAlignSse (7)
	 * is not (MXCSR.MM is not writable), so it stays clear */
	o[2] = H(LAHF64, 0) | (c->m->ncpus > 1 ? 1u << 1 : 0) | H(SVM, 2) | (1u << 4) | H(ABM, 5) |
	       H(SSE4A, 6) | (1u << 8) | H(MWAITX, 29);
	o[3] = H(FPU, 0) | (1u << 1) | (1u << 2) | H(PSE, 3) | H(TSC, 4) | H(MSR, 5) | H(PAE, 6) |
	       (1u << 7) | H(CX8, 8) | H(APIC, 9) | H(SYSCALL, 11) | H(MTRR, 12) | H(PGE, 13) |
	       (1u << 14) | H(CMOV, 15) | H(PAT, 16) | (1u << 17) | H(NX, 20) | (1u << 22) |
	       H(MMX, 23) | H(FXSR, 24) | (1u << 25) | H(PDPE1GB, 26) | H(RDTSCP, 27) | H(LM, 29);
}

void cpuid_query(const struct cpu *c, uint32_t leaf, uint32_t sub, uint32_t o[4])
{
	static const uint32_t vendor[3] = { 0x68747541, 0x444d4163, 0x69746e65 }; /* AuthenticAMD */
	o[0] = o[1] = o[2] = o[3] = 0;
	switch (leaf) {
	case 0:
		o[0] = 0xd;
		o[1] = vendor[0]; o[2] = vendor[1]; o[3] = vendor[2];
		break;
	case 1: leaf1(c, o); break;
	case 5: /* MONITOR/MWAIT: 64-byte lines, EMX and IBE (cpu/exec/cacheops.c) */
		if (cpu_has(c, FEAT_MONITOR)) {
			o[0] = o[1] = 64;
			o[2] = 3;
		}
		break;
	case 7: leaf7(c, sub, o); break;
	case 0xd: leafd(c, sub, o); break;
	case 0x80000000u:
		o[0] = cpu_has(c, FEAT_SVM) ? 0x8000000au : 0x80000008u;
		o[1] = vendor[0]; o[2] = vendor[1]; o[3] = vendor[2];
		break;
	case 0x80000001u: leaf_ext1(c, o); break;
	case 0x80000002u: case 0x80000003u: case 0x80000004u: brand(c, leaf, o); break;
	case 0x80000005u: /* L1 caches: 32 KiB 8-way, 64-byte lines */
		o[0] = 0xff48ff40; o[1] = 0xff48ff40; o[2] = 0x20080140; o[3] = 0x20080140;
		break;
	case 0x80000006u: o[2] = 0x04006140; break; /* L2 1 MiB */
	case 0x80000007u: o[3] = 1u << 8; break;    /* invariant TSC */
	case 0x80000008u:
		o[0] = c->model->phys_bits | ((uint32_t)c->model->virt_bits << 8);
		o[1] = H(CLZERO, 0) | (1u << 2) | H(RDPRU, 4);
		o[2] = c->m->ncpus - 1;
		break;
	case 0x8000000au: svm_cpuid_leaf(c, o); break;
	default: break;
	}
}
