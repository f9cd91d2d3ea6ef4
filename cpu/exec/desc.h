/* SPDX-License-Identifier: MIT */
/* Segment descriptors: reading GDT/LDT entries (8-byte and long-mode 16-byte
 * system descriptors), decoding them into segment caches and gates, setting
 * the accessed and busy bits (APM vol. 2, 4.7-4.8). Shared by segment loads,
 * far transfers, IRET, interrupt delivery and LAR/LSL/VERR/VERW. */
#ifndef PAC_DESC_H
#define PAC_DESC_H
#include "../core/cpu.h"

#define SEL_RPL(s) ((s) & 3)
#define SEL_TI 4u
#define SEL_NULL(s) (((s) & 0xfffc) == 0) /* GDT index 0, any RPL */
#define SEL_ERR(s) ((uint32_t)(s) & 0xfffc) /* selector error code (APM 8.4.1) */

/* system descriptor types (S = 0), APM Table 4-5 / 4-6 */
enum {
	DT_TSS16 = 1, DT_LDT = 2, DT_TSS16_BUSY = 3, DT_CALL16 = 4, DT_TASK = 5,
	DT_INT16 = 6, DT_TRAP16 = 7, DT_TSS = 9, DT_TSS_BUSY = 11, DT_CALL = 12,
	DT_INT = 14, DT_TRAP = 15
};

struct desc {
	uint32_t lo, hi;   /* bytes 0-7 */
	uint32_t hi2, hi3; /* bytes 8-15 of a 16-byte descriptor (else 0) */
	gla_t addr;        /* linear address of the entry */
	uint64_t base;
	uint32_t limit;    /* byte granular */
	uint16_t attr;     /* VMCB attribute format */
	uint8_t type, dpl;
	bool s, p;
	bool wide;         /* read as a 16-byte descriptor */
};

/* S=1 type helpers */
static inline bool desc_is_code(const struct desc *d) { return d->s && (d->type & 8); }
static inline bool desc_is_data(const struct desc *d) { return d->s && !(d->type & 8); }
static inline bool desc_conforming(const struct desc *d) { return desc_is_code(d) && (d->type & 4); }
static inline bool desc_readable(const struct desc *d) { return !desc_is_code(d) || (d->type & 2); }
static inline bool desc_writable_data(const struct desc *d) { return desc_is_data(d) && (d->type & 2); }
static inline bool desc_is64(const struct desc *d) { return (d->attr & SA_L) && !(d->attr & SA_DB); }

/* gate fields (call, interrupt, trap, task gates) */
static inline uint16_t gate_sel(const struct desc *d) { return (uint16_t)(d->lo >> 16); }
static inline uint64_t gate_offset(const struct desc *d)
{
	return (d->lo & 0xffff) | (d->hi & 0xffff0000u) | ((uint64_t)d->hi2 << 32);
}
static inline unsigned gate_params(const struct desc *d) { return d->hi & 0x1f; }
static inline unsigned gate_ist(const struct desc *d) { return d->hi & 7; }

/* Reads the 8-byte descriptor of sel (GDT or LDT by TI). False if the entry
 * lies outside the table limit (the caller raises its own fault). */
MAYFAULT bool desc_read(struct cpu *c, uint16_t sel, struct desc *d);
/* Same for a 16-byte long-mode system descriptor; the upper type field must
 * be 0 (checked by the caller through desc_upper_ok). */
MAYFAULT bool desc_read16(struct cpu *c, uint16_t sel, struct desc *d);
bool desc_upper_ok(const struct desc *d);
/* Decodes raw lo/hi(/hi2) into the other fields. */
void desc_decode(struct desc *d, bool wide);
/* Sets the accessed bit (type bit 0) of a code/data descriptor in memory. */
MAYFAULT void desc_set_accessed(struct cpu *c, struct desc *d);
/* Sets or clears the TSS busy bit (type bit 1) in memory. */
MAYFAULT void desc_set_busy(struct cpu *c, struct desc *d, bool busy);
/* A segment cache loaded from d with selector sel. */
void desc_to_seg(struct seg *s, uint16_t sel, const struct desc *d);
/* Reads an interrupt/trap/task gate from the IDT; false outside the limit. */
MAYFAULT bool idt_read(struct cpu *c, int vector, struct desc *d);

#endif
