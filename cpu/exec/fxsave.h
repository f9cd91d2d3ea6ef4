/* SPDX-License-Identifier: MIT */
/* The FXSAVE image (APM vol. 2 11.4.4, SDM FXSAVE Tables 3-43/3-46/3-47):
 * builder and parser shared by FXSAVE/FXRSTOR, XSAVE/XRSTOR (legacy region)
 * and the public pac_get_fpu/pac_set_fpu. Images are little-endian byte
 * arrays of 512 bytes. */
#ifndef PAC_FXSAVE_H
#define PAC_FXSAVE_H
#include "../core/cpu.h"

#define FX_MXCSR 24
#define FX_MXCSR_MASK 28
#define FX_ST 32
#define FX_XMM 160

/* bytes 0..23 and 32..159 (x87 control/status, pointers, ST0-ST7);
 * fmt64: 64-bit FIP/FDP (REX.W) instead of offset + selector */
void fx_put_x87(const struct cpu *c, uint8_t *img, bool fmt64);
void fx_get_x87(struct cpu *c, const uint8_t *img, bool fmt64);
/* bytes 24..31: MXCSR and MXCSR_MASK */
void fx_put_mxcsr(const struct cpu *c, uint8_t *img);
uint32_t fx_get_mxcsr(const uint8_t *img);
/* XMM0..XMM(n-1) at byte 160 */
void fx_put_xmm(const struct cpu *c, uint8_t *img, int n);
void fx_get_xmm(struct cpu *c, const uint8_t *img, int n);
/* x87 initial configuration (XRSTOR with XSTATE_BV[0] = 0, FNINIT-like) */
void fx_init_x87(struct cpu *c);
/* abridged <-> full tag word (the full tag is rebuilt from register contents) */
uint8_t fx_abridged_tag(uint16_t ftw);
uint16_t fx_full_tag(const struct fpu *f, uint8_t abridged);
#endif
