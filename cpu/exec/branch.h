/* SPDX-License-Identifier: MIT */
#ifndef PAC_BRANCH_H
#define PAC_BRANCH_H
#include "../core/cpu.h"
MAYFAULT uint64_t branch_target(struct cpu *c, uint64_t t, int opsize);
#endif
