/* SPDX-License-Identifier: MIT */
/* x87 FPU internals shared by cpu/exec/x87*.c (and readable by the SSE
 * state-save code): status/control word fields, tags, the pending-exception
 * check and the host execution engine. APM vol. 1 ch. 6, APM vol. 5. */
#ifndef PAC_X87_H
#define PAC_X87_H
#include "../core/cpu.h"
#include "../decode/insn.h"

/* status word (APM vol. 1, 6.2.2) */
#define FSW_IE 0x0001u
#define FSW_DE 0x0002u
#define FSW_ZE 0x0004u
#define FSW_OE 0x0008u
#define FSW_UE 0x0010u
#define FSW_PE 0x0020u
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_TOP 0x3800u
#define FSW_C3 0x4000u
#define FSW_B  0x8000u
#define FSW_EXC 0x003fu   /* the six exception flags */
#define FSW_KEEP 0x7f00u  /* condition codes and TOP */
/* control word (6.2.3): bits 6 reads as 1, 7 and 13-15 are reserved */
#define FCW_INIT 0x037fu
#define FCW_MASK 0x1f3fu
#define FCW_ONE  0x0040u

/* tag values (6.2.4) */
enum { TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3 };

static inline int x87_top(const struct fpu *f) { return (f->fsw >> 11) & 7; }
/* physical register of ST(i) */
static inline int x87_phys(const struct fpu *f, int i) { return (x87_top(f) + i) & 7; }
static inline int x87_tag(const struct fpu *f, int phys) { return (f->ftw >> (2 * phys)) & 3; }

/* Tag a register's contents would get if it were non-empty. */
int x87_tag_of(const struct fpreg *r);
/* Full tag word from an "empty" bit mask (bit i set: R[i] empty): what
 * FLDENV/FRSTOR/FXRSTOR compute. */
uint16_t x87_tags_from_empty(const struct fpu *f, uint8_t empty_mask);
/* Abridged tag byte (FXSAVE): bit i set when R[i] is not empty. */
uint8_t x87_abridged_tags(const struct fpu *f);
/* ES and B follow "an unmasked exception flag is set" (6.2.2.1). */
void x87_update_es(struct fpu *f);
/* A waiting x87 instruction: #MF if an unmasked exception is pending
 * and CR0.NE = 1 (APM vol. 2, 8.2.17). */
MAYFAULT void x87_check_pending(struct cpu *c);
/* Record FIP/FCS/FOP (and FDP/FDS for memory forms) for a non-control
 * instruction (APM vol. 1, 6.4.3). */
void x87_record_last(struct cpu *c, struct fpu *f, const struct insn *in, uint64_t mem_off);
/* FNINIT state */
void x87_init(struct fpu *f);

/* Host engine (x87_host.c): executes the x87 instruction with escape byte
 * `opc` and ModRM `modrm` (register form, or a memory form addressing
 * `mem`) on the host FPU loaded with state `f`. `fl` carries the guest
 * RFLAGS in (for FCMOVcc) and the host's RFLAGS out (for FCOMI). */
void x87_host_exec(struct fpu *f, uint8_t opc, uint8_t modrm, void *mem, uint64_t *fl);

#endif
