/* SPDX-License-Identifier: MIT */
/* Segment-register loads with the protected-mode descriptor checks
 * (APM vol. 2, 4.10; vol. 3 MOV Sreg / POP Sreg / LxS). The check_* functions
 * validate and build the new cache without committing it, so far transfers
 * can check CS and SS before changing either. */
#ifndef PAC_SEG_H
#define PAC_SEG_H
#include "../core/cpu.h"

/* DS/ES/FS/GS at privilege cpl: #GP(sel) / #NP(sel); null selectors allowed. */
MAYFAULT void seg_check_data(struct cpu *c, int sr, uint16_t sel, int cpl, struct seg *out);
/* SS at privilege cpl. vec = EXC_GP (MOV/POP/LSS/RET/IRET) or EXC_TS (stack
 * switch through the TSS); not present is always #SS(sel). null_ok: a null
 * selector is accepted (64-bit mode, cpl < 3). ext is or-ed into error codes. */
MAYFAULT void seg_check_ss(struct cpu *c, uint16_t sel, int cpl, int vec, bool null_ok,
			   uint32_t ext, struct seg *out);
/* A null selector's cache (unusable: P = 0; base/limit kept as AMD does). */
void seg_make_null(struct seg *s, uint16_t sel);
/* Real/v86 load: base = sel << 4 (v86 also forces limit 0xffff, DPL 3). */
void seg_load_real(struct cpu *c, int sr, uint16_t sel);
/* Full load for MOV/POP/LxS into sr (not CS) in the current mode; commits. */
MAYFAULT void seg_load(struct cpu *c, int sr, uint16_t sel);
/* After a return to an outer level: DS/ES/FS/GS that the new CPL may not use
 * become null (APM vol. 3 RET far / IRET). */
void seg_null_outer(struct cpu *c);
/* Writes CS (and SS if ss != NULL), sets CPL, recomputes the mode. */
void seg_commit_cs(struct cpu *c, const struct seg *cs, int cpl, const struct seg *ss);

#endif
