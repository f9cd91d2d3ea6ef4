/* SPDX-License-Identifier: MIT */
/* Firmware tables of the PC platform: ACPI (RSDP, RSDT, XSDT, FADT, FACS,
 * DSDT, MADT, HPET) and the Intel MP table, written into the BIOS ROM area
 * 0xF0000-0xFDFFF (inside the e820-reserved BIOS range; the firmware stub
 * of bios/firmware.c starts at 0xFE000). */
#ifndef PAC_BIOS_FWTABLES_H
#define PAC_BIOS_FWTABLES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pacifica/pacifica.h"

#define FWTABLES_BASE 0xf0000ull
#define FWTABLES_SIZE 0xe000ull
#define LAPIC_BASE 0xfee00000ull
#define IOAPIC_BASE 0xfec00000ull
#define FWT_OEM_ID "PACIFI"        /* 6 bytes */
#define FWT_OEM_TABLE_ID "PACIFICA" /* 8 bytes */

struct fwtables_config {
	unsigned ncpus; /* 1 .. 64 */
	bool acpi;      /* false (-no-acpi): MP table only */
};

struct fwtables_result {
	uint64_t rsdp;  /* 0 without ACPI */
	uint64_t mp;    /* MP floating pointer */
	uint64_t end;   /* first byte after the tables */
};

/* Builds the tables and writes them into guest memory at FWTABLES_BASE
 * (RAM or ROM must be mapped there). Returns PAC_OK or a pac_err. */
int fwtables_install(pac_machine *m, const struct fwtables_config *c, struct fwtables_result *r);

/* ---- building blocks (fwtables.c, acpi.c, aml.c, mptable.c) ---- */
struct fwt_buf {
	uint8_t *b;      /* FWTABLES_SIZE bytes, image of the window */
	size_t len;      /* bytes used */
	uint64_t base;   /* guest address of b[0] */
	bool overflow;
};
/* Reserves n zeroed bytes aligned to align; returns the offset in b. */
size_t fwt_alloc(struct fwt_buf *w, size_t n, size_t align);
void fwt_put16(uint8_t *p, uint16_t v);
void fwt_put32(uint8_t *p, uint32_t v);
void fwt_put64(uint8_t *p, uint64_t v);
uint8_t fwt_checksum(const uint8_t *p, size_t n); /* value making the sum 0 */

/* AML for the DSDT body (aml.c); returns the length written (<= cap). */
size_t aml_build_dsdt_body(uint8_t *out, size_t cap);
/* ACPI tables (acpi.c): returns the RSDP's guest address. */
uint64_t acpi_build(struct fwt_buf *w, unsigned ncpus);
/* MP tables (mptable.c): returns the floating pointer's guest address. */
uint64_t mptable_build(struct fwt_buf *w, unsigned ncpus);
#endif
