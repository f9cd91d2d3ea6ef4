/* SPDX-License-Identifier: MIT */
/* A tiny stand-in for a PC BIOS: code stubs in the ROM at F000:E000, the
 * real-mode interrupt vector table, the BIOS data area, the MTRR state a
 * BIOS leaves behind. Application processors stay in wait-for-SIPI (their
 * local APIC, cpu/apic) until the guest starts them. No BIOS services
 * are implemented: INT 10h/13h/15h/16h/1Ah... return CF=1, AH=86h
 * ("function not supported"); CPU exception vectors 0-7 halt; the IRQ
 * vectors of the 8259 pair (08h-0Fh, 70h-77h) acknowledge and return.
 * The ROM's first 56 KiB hold the ACPI/MP tables (bios/fwtables.h). */
#include <string.h>
#include "bios.h"

/* mov ah, 86h; stc; retf 2: "unsupported function", CF set in the caller */
static const uint8_t unsupported_code[] = { 0xb4, 0x86, 0xf9, 0xca, 0x02, 0x00 };
/* cli; hlt; jmp back to the hlt: an exception with no handler stops here */
static const uint8_t unhandled_code[] = { 0xfa, 0xf4, 0xeb, 0xfd };
/* push ax; mov al, 20h; out 0A0h, al; out 20h, al; pop ax; iret: EOI to both PICs */
static const uint8_t irq_code[] = { 0x50, 0xb0, 0x20, 0xe6, 0xa0, 0xe6, 0x20, 0x58, 0xcf };
/* at F000:FFF0, the reset vector: jmp far F000:unhandled */
static const uint8_t reset_code[] = { 0xea, FW_UNHANDLED_OFF & 0xff, FW_UNHANDLED_OFF >> 8, 0x00, 0xf0 };

static int put(pac_machine *m, uint64_t addr, const void *p, size_t n)
{
	return pac_phys_write(m, addr, p, n);
}

static void write_ivt(pac_machine *m)
{
	uint8_t ivt[256 * 4];
	for (int v = 0; v < 256; v++) {
		bool irq = (v >= 0x08 && v <= 0x0f) || (v >= 0x70 && v <= 0x77);
		uint16_t off = v < 8 ? FW_UNHANDLED_OFF : irq ? FW_IRQ_OFF : FW_IRET_OFF;
		ivt[v * 4 + 0] = (uint8_t)off;
		ivt[v * 4 + 1] = (uint8_t)(off >> 8);
		ivt[v * 4 + 2] = 0x00; /* segment F000 */
		ivt[v * 4 + 3] = 0xf0;
	}
	put(m, 0, ivt, sizeof ivt);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* BIOS data area at 0x400 (the fields kernels look at). */
static void write_bda(pac_machine *m)
{
	uint8_t bda[0x20];
	memset(bda, 0, sizeof bda);
	put16(bda + 0x00, 0x3f8);                    /* COM1 base port */
	put16(bda + 0x0e, (uint16_t)(EBDA_BASE >> 4)); /* EBDA segment */
	put16(bda + 0x10, 0x0201);                   /* equipment: 1 serial port, floppy */
	put16(bda + 0x13, (uint16_t)(EBDA_BASE >> 10)); /* base memory in KiB (639) */
	put(m, 0x400, bda, sizeof bda);
}

/* Widest physical-address mask the CPU model accepts in an MTRR mask. */
static int set_var_mtrr_uc(pac_machine *m, unsigned cpu, uint64_t base, uint64_t size)
{
	static const int widths[] = { 52, 48, 46, 43, 40, 39, 36 };
	if (pac_set_msr(m, (int)cpu, 0x200, base | 0 /* UC */) != PAC_OK)
		return -1;
	for (unsigned i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		uint64_t phys = (1ull << widths[i]) - 1;
		if (pac_set_msr(m, (int)cpu, 0x201, (~(size - 1) & phys & ~0xfffull) | 0x800) == PAC_OK)
			return 0;
	}
	return -1;
}

/* MTRRs as a PC BIOS programs them: WB by default, the VGA window UC, the
 * ROM area WP, the PCI hole below 4 GiB UC (variable range 0). Best effort:
 * a CPU model without MTRRs keeps its reset state. */
static void setup_mtrrs(pac_machine *m)
{
	for (unsigned c = 0; c < pac_ncpus(m); c++) {
		int ok = pac_set_msr(m, (int)c, 0x250, 0x0606060606060606ull) == PAC_OK &&
			 pac_set_msr(m, (int)c, 0x258, 0x0606060606060606ull) == PAC_OK &&
			 pac_set_msr(m, (int)c, 0x259, 0) == PAC_OK;
		for (uint32_t i = 0x268; ok && i <= 0x26f; i++)
			ok = pac_set_msr(m, (int)c, i, 0x0505050505050505ull) == PAC_OK;
		if (ok)
			set_var_mtrr_uc(m, c, PCI_HOLE_BASE, RAM_ABOVE_4G - PCI_HOLE_BASE);
		if (ok)
			pac_set_msr(m, (int)c, 0x2ff, 0xc06); /* E | FE | default WB */
	}
}

int firmware_install(pac_machine *m, const struct boot_layout *L, struct boot_error *e)
{
	(void)L;
	const uint64_t rom = BIOS_ROM_BASE;
	int err = put(m, rom + FW_IRET_OFF, unsupported_code, sizeof unsupported_code);
	if (!err)
		err = put(m, rom + FW_UNHANDLED_OFF, unhandled_code, sizeof unhandled_code);
	if (!err)
		err = put(m, rom + FW_IRQ_OFF, irq_code, sizeof irq_code);
	if (!err)
		err = put(m, rom + 0xfff0, reset_code, sizeof reset_code);
	if (err)
		return boot_fail(e, "cannot write the BIOS stub: %s", pac_strerror(err));
	write_ivt(m);
	write_bda(m);
	setup_mtrrs(m);
	return 0;
}
