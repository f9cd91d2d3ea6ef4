/* SPDX-License-Identifier: MIT */
/* Internals of the MSR table (msr.def): row descriptor, handler and
 * validity-check prototypes generated from the rows. */
#ifndef PAC_MSR_IMPL_H
#define PAC_MSR_IMPL_H
#include <stddef.h>
#include "msr.h"
#include "../decode/insn.h"
#include "../cpuid/cpuid.h"

typedef bool (*msr_rd_fn)(struct cpu *c, uint32_t index, uint64_t *val, bool host);
typedef bool (*msr_wr_fn)(struct cpu *c, uint32_t index, uint64_t val, bool host);
typedef bool (*msr_valid_fn)(const struct cpu *c, uint64_t val);

struct msr_desc {
	uint32_t first, last;
	const char *name;
	uint8_t feat;        /* enum feat; FEAT_NONE = always present */
	msr_rd_fn rd;        /* NULL for FIELD rows */
	msr_wr_fn wr;
	size_t off;          /* FIELD rows: offsetof(struct cpu, field) */
	msr_valid_fn valid;  /* FIELD rows */
};

#define MSR(a, b, n, ft, rd, wr)                                              \
	bool rd(struct cpu *c, uint32_t index, uint64_t *val, bool host);     \
	bool wr(struct cpu *c, uint32_t index, uint64_t val, bool host);
#define FIELD(a, n, ft, fld, chk) bool chk(const struct cpu *c, uint64_t val);
#include "msr.def"
#undef MSR
#undef FIELD

/* canonical for the model's linear-address width (MSR writes, APM 2.2.1) */
static inline bool msr_canonical(const struct cpu *c, uint64_t v)
{
	return is_canonical(v, c->model->virt_bits);
}
#endif
