/* SPDX-License-Identifier: MIT */
/* pac-memtype-probe: an emulator-only debug MMIO device for guest tests
 * (docs/testing.md). Not a real hardware device. */
#ifndef PAC_IODEV_MEMTYPE_PROBE_H
#define PAC_IODEV_MEMTYPE_PROBE_H
#include "pacifica/pacifica.h"

#define MEMTYPE_PROBE_BASE 0xfeb00000ull	/* default window */
#define MEMTYPE_PROBE_SIZE 0x10000ull		/* 16 pages */
#define MEMTYPE_PROBE_SIG 0x4d540000u		/* "MT" in bits 31:16 */
#define MEMTYPE_PROBE_LASTWR 0xf00u		/* page offset: last write's type */

struct memtype_probe;
/* Maps the probe window at base (size MEMTYPE_PROBE_SIZE). */
int memtype_probe_attach(pac_machine *m, uint64_t base, struct memtype_probe **out);
void memtype_probe_free(struct memtype_probe *p);
#endif
