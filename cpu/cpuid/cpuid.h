/* SPDX-License-Identifier: MIT */
/* CPUID models (models.def) and feature queries. */
#ifndef PAC_CPUID_H
#define PAC_CPUID_H
#include "../core/cpu.h"

struct cpuid_model {
	const char *name;
	const char *brand;      /* 48 chars max */
	uint32_t signature;     /* CPUID 1 EAX / 8000_0001 EAX */
	uint8_t phys_bits, virt_bits;
	uint64_t feats;         /* bit n = enum feat n */
};

const struct cpuid_model *cpuid_find_model(const char *name);
bool cpu_has(const struct cpu *c, int feat);
void cpuid_query(const struct cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4]);
uint32_t cpuid_reset_edx(const struct cpu *c);
/* features.c: applies "+feat,-feat,feat=on|off" to a feature mask; false
 * on an unknown name or syntax */
bool cpuid_apply_features(uint64_t *feats, const char *list);
static inline int cpu_phys_bits(const struct cpu *c) { return c->model->phys_bits; }
#endif
