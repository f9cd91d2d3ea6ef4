/* SPDX-License-Identifier: MIT */
#ifndef PAC_IOPL_H
#define PAC_IOPL_H
#include "../core/cpu.h"
/* I/O permission: #GP(0) unless CPL <= IOPL (not v86) or the TSS I/O
 * permission bitmap allows every byte of the access (APM 13.3). */
MAYFAULT void io_check(struct cpu *c, uint16_t port, int size);
#endif
