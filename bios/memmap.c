/* SPDX-License-Identifier: MIT */
/* The guest physical memory map of a PC: 640 KiB of conventional memory
 * (the last KiB is the EBDA), the VGA/option-ROM hole, a 64 KiB BIOS ROM at
 * 0xF0000, RAM from 1 MiB up to 3.5 GiB and the rest of RAM above 4 GiB. */
#include <stdarg.h>
#include <stdio.h>
#include "bios.h"

int boot_fail(struct boot_error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static void add_e820(struct boot_layout *L, uint64_t base, uint64_t len, uint32_t type)
{
	if (len && L->n_e820 < sizeof L->e820 / sizeof L->e820[0])
		L->e820[L->n_e820++] = (struct e820_entry){ base, len, type };
}

void layout_compute(struct boot_layout *L, uint64_t ram_bytes)
{
	L->ram_bytes = ram_bytes;
	L->low_top = ram_bytes < PCI_HOLE_BASE ? ram_bytes : PCI_HOLE_BASE;
	L->high_bytes = ram_bytes - L->low_top;
	L->n_e820 = 0;
	add_e820(L, 0, EBDA_BASE, E820_RAM);
	add_e820(L, EBDA_BASE, LOW_RAM_END - EBDA_BASE, E820_RESERVED);
	add_e820(L, BIOS_ROM_BASE, BIOS_ROM_SIZE, E820_RESERVED);
	add_e820(L, HIGH_RAM_BASE, L->low_top - HIGH_RAM_BASE, E820_RAM);
	add_e820(L, RAM_ABOVE_4G, L->high_bytes, E820_RAM);
}

int layout_map(pac_machine *m, const struct boot_layout *L, struct boot_error *e)
{
	int err = pac_map_ram(m, 0, LOW_RAM_END, NULL);
	if (!err)
		err = pac_map_ram(m, HIGH_RAM_BASE, L->low_top - HIGH_RAM_BASE, NULL);
	if (!err && L->high_bytes)
		err = pac_map_ram(m, RAM_ABOVE_4G, L->high_bytes, NULL);
	if (!err)
		err = pac_map_rom(m, BIOS_ROM_BASE, BIOS_ROM_SIZE, NULL);
	if (err)
		return boot_fail(e, "cannot map %llu MiB of guest RAM: %s",
				 (unsigned long long)(L->ram_bytes >> 20), pac_strerror(err));
	return 0;
}

static bool inside(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
	return addr >= base && addr - base <= size && len <= size - (addr - base);
}

bool layout_is_ram(const struct boot_layout *L, uint64_t addr, uint64_t len)
{
	return inside(addr, len, 0, LOW_RAM_END) ||
	       inside(addr, len, HIGH_RAM_BASE, L->low_top - HIGH_RAM_BASE) ||
	       (L->high_bytes && inside(addr, len, RAM_ABOVE_4G, L->high_bytes));
}
