/* SPDX-License-Identifier: MIT */
/* PCI configuration mechanism #1 (0xCF8 address, 0xCFC-0xCFF data) with
 * the i440FX host bridge at 00:00.0 (8086:1237) and the PIIX3 ISA bridge
 * at 00:01.0 (8086:7000), as QEMU's PC; the PIIX3 reset control register
 * at 0xCF9 (bit 2 resets). Every other function reads vendor 0xFFFF. */
#ifndef PAC_IODEV_PCI_H
#define PAC_IODEV_PCI_H
#include <stdint.h>
#include "pacifica/pacifica.h"

struct pci_func {
	uint8_t cfg[256], wmask[256];
};

struct pci_host {
	pac_machine *m;
	uint32_t addr;  /* CONFIG_ADDRESS */
	uint8_t rcr;    /* 0xCF9 */
	struct pci_func host, isa;
};

int pci_init(struct pci_host *p, pac_machine *m);
/* Configuration read/write of bus 0 (size 1, 2 or 4). */
uint32_t pci_cfg_read(struct pci_host *p, unsigned dev, unsigned fn, unsigned off, unsigned size);
void pci_cfg_write(struct pci_host *p, unsigned dev, unsigned fn, unsigned off, unsigned size,
		   uint32_t val);
#endif
