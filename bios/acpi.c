/* SPDX-License-Identifier: MIT */
/* ACPI tables (ACPI 6.4, chapter 5): RSDP (rev 2), RSDT, XSDT, FADT (rev
 * 6.4), FACS, DSDT, MADT and the HPET table (IA-PC HPET 1.0a, 3.2.4).
 * The fixed hardware they describe is iodev/pmtimer.c (PMBASE 0x600), the
 * reset register is the PIIX3 RCR at 0xCF9, SCI is IRQ 9. Interrupt source
 * overrides as QEMU's PC: ISA IRQ 0 -> GSI 2, and IRQs 5, 9, 10, 11
 * (the PCI interrupt lines, 9 = SCI) level-triggered, active high. */
#include <string.h>
#include "fwtables.h"
#include "../iodev/hpet.h"
#include "../iodev/pmtimer.h"

#define HDR 36

static uint64_t addr(const struct fwt_buf *w, size_t off) { return w->base + off; }

/* System description table header (5.2.6) */
static size_t table(struct fwt_buf *w, const char *sig, size_t len, uint8_t rev, size_t align)
{
	size_t off = fwt_alloc(w, len, align);
	uint8_t *t = w->b + off;
	memcpy(t, sig, 4);
	fwt_put32(t + 4, (uint32_t)len);
	t[8] = rev;
	memcpy(t + 10, FWT_OEM_ID, 6);
	memcpy(t + 16, FWT_OEM_TABLE_ID, 8);
	fwt_put32(t + 24, 1);          /* OEM revision */
	memcpy(t + 28, "PACI", 4);     /* creator ID */
	fwt_put32(t + 32, 1);          /* creator revision */
	return off;
}

static void seal(struct fwt_buf *w, size_t off)
{
	uint8_t *t = w->b + off;
	uint32_t len = (uint32_t)(t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24);
	t[9] = 0;
	t[9] = fwt_checksum(t, len);
}

/* Generic Address Structure (5.2.3.2) in system I/O space */
static void gas_io(uint8_t *p, uint8_t bits, uint8_t access, uint64_t port)
{
	p[0] = 1; /* SystemIO */
	p[1] = bits;
	p[2] = 0;
	p[3] = access; /* 1 byte, 2 word, 3 dword */
	fwt_put64(p + 4, port);
}

static size_t build_facs(struct fwt_buf *w)
{
	size_t off = fwt_alloc(w, 64, 64);
	memcpy(w->b + off, "FACS", 4);
	fwt_put32(w->b + off + 4, 64);
	w->b[off + 32] = 2; /* version */
	return off;
}

static size_t build_dsdt(struct fwt_buf *w)
{
	uint8_t aml[256];
	size_t n = aml_build_dsdt_body(aml, sizeof aml);
	size_t off = table(w, "DSDT", HDR + n, 2, 16);
	memcpy(w->b + off + HDR, aml, n);
	seal(w, off);
	return off;
}

/* FADT (5.2.9, Table 5.9), 276 bytes */
static size_t build_fadt(struct fwt_buf *w, size_t facs, size_t dsdt)
{
	size_t off = table(w, "FACP", 276, 6, 16);
	uint8_t *f = w->b + off;
	fwt_put32(f + 36, (uint32_t)addr(w, facs));
	fwt_put32(f + 40, (uint32_t)addr(w, dsdt));
	f[45] = 0;                                  /* preferred PM profile: unspecified */
	fwt_put16(f + 46, ACPI_SCI_IRQ);
	fwt_put32(f + 48, 0);                       /* no SMI_CMD: always in ACPI mode */
	fwt_put32(f + 56, ACPI_PM_BASE);            /* PM1a_EVT_BLK */
	fwt_put32(f + 64, ACPI_PM_BASE + 4);        /* PM1a_CNT_BLK */
	fwt_put32(f + 76, ACPI_PM_BASE + 8);        /* PM_TMR_BLK */
	f[88] = 4;                                  /* PM1_EVT_LEN */
	f[89] = 2;                                  /* PM1_CNT_LEN */
	f[91] = 4;                                  /* PM_TMR_LEN */
	fwt_put16(f + 96, 101);                     /* C2 not supported */
	fwt_put16(f + 98, 1001);                    /* C3 not supported */
	f[108] = 0x32;                              /* CMOS century register */
	fwt_put16(f + 109, 0x0003);                 /* IAPC_BOOT_ARCH: legacy devices, 8042 */
	/* flags: WBINVD, PROC_C1, PWR_BUTTON, SLP_BUTTON, FIX_RTC, RESET_REG_SUP */
	fwt_put32(f + 112, 1u << 0 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 10);
	gas_io(f + 116, 8, 1, 0xcf9);               /* RESET_REG: PIIX3 RCR */
	f[128] = 0x06;                              /* RESET_VALUE: RCPU | SRST */
	f[131] = 4;                                 /* FADT minor version (6.4) */
	fwt_put64(f + 132, addr(w, facs));          /* X_FIRMWARE_CTRL */
	fwt_put64(f + 140, addr(w, dsdt));          /* X_DSDT */
	gas_io(f + 148, 32, 2, ACPI_PM_BASE);       /* X_PM1a_EVT_BLK */
	gas_io(f + 172, 16, 2, ACPI_PM_BASE + 4);   /* X_PM1a_CNT_BLK */
	gas_io(f + 208, 32, 3, ACPI_PM_BASE + 8);   /* X_PM_TMR_BLK */
	seal(w, off);
	return off;
}

static size_t build_madt(struct fwt_buf *w, unsigned ncpus)
{
	static const uint8_t level_irqs[4] = { 5, 9, 10, 11 };
	size_t len = 44 + 8 * ncpus + 12 + 10 * 5 + 6;
	size_t off = table(w, "APIC", len, 5, 16);
	uint8_t *t = w->b + off, *e = t + 44;
	fwt_put32(t + 36, (uint32_t)LAPIC_BASE);
	fwt_put32(t + 40, 1); /* PCAT_COMPAT: dual 8259 present */
	for (unsigned i = 0; i < ncpus; i++, e += 8) {
		e[0] = 0; e[1] = 8; e[2] = (uint8_t)i; e[3] = (uint8_t)i;
		fwt_put32(e + 4, 1); /* enabled */
	}
	e[0] = 1; e[1] = 12; e[2] = (uint8_t)ncpus; /* I/O APIC id = ncpus */
	fwt_put32(e + 4, (uint32_t)IOAPIC_BASE);
	fwt_put32(e + 8, 0);
	e += 12;
	e[0] = 2; e[1] = 10; e[2] = 0; e[3] = 0;    /* ISA IRQ 0 -> GSI 2, conforming */
	fwt_put32(e + 4, 2);
	fwt_put16(e + 8, 0);
	e += 10;
	for (unsigned i = 0; i < 4; i++, e += 10) {
		e[0] = 2; e[1] = 10; e[2] = 0; e[3] = level_irqs[i];
		fwt_put32(e + 4, level_irqs[i]);
		fwt_put16(e + 8, 0x000d); /* active high (01), level (11 << 2) */
	}
	e[0] = 4; e[1] = 6; e[2] = 0xff; /* local APIC NMI: all processors, LINT1 */
	fwt_put16(e + 3, 0);
	e[5] = 1;
	seal(w, off);
	return off;
}

/* HPET description table (IA-PC HPET 1.0a, Table 3) */
static size_t build_hpet(struct fwt_buf *w)
{
	size_t off = table(w, "HPET", 56, 1, 16);
	uint8_t *t = w->b + off;
	fwt_put32(t + 36, hpet_block_id());
	t[40] = 0;  /* system memory */
	t[41] = 64; /* register width */
	fwt_put64(t + 44, HPET_BASE);
	t[52] = 0;  /* HPET number */
	fwt_put16(t + 53, 0); /* minimum clock tick in periodic mode */
	t[55] = 0;  /* no page protection */
	seal(w, off);
	return off;
}

static size_t build_sdt(struct fwt_buf *w, const char *sig, const size_t *tabs, unsigned n,
			unsigned entry)
{
	size_t off = table(w, sig, HDR + entry * n, 1, 16);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = w->b + off + HDR + entry * i;
		if (entry == 4)
			fwt_put32(p, (uint32_t)addr(w, tabs[i]));
		else
			fwt_put64(p, addr(w, tabs[i]));
	}
	seal(w, off);
	return off;
}

uint64_t acpi_build(struct fwt_buf *w, unsigned ncpus)
{
	size_t rsdp = fwt_alloc(w, 36, 16); /* first: at the start of the window */
	size_t facs = build_facs(w);
	size_t dsdt = build_dsdt(w);
	size_t tabs[3];
	tabs[0] = build_fadt(w, facs, dsdt);
	tabs[1] = build_madt(w, ncpus);
	tabs[2] = build_hpet(w);
	size_t rsdt = build_sdt(w, "RSDT", tabs, 3, 4);
	size_t xsdt = build_sdt(w, "XSDT", tabs, 3, 8);
	uint8_t *r = w->b + rsdp; /* RSDP (5.2.5.3) */
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, FWT_OEM_ID, 6);
	r[15] = 2;
	fwt_put32(r + 16, (uint32_t)addr(w, rsdt));
	fwt_put32(r + 20, 36);
	fwt_put64(r + 24, addr(w, xsdt));
	r[8] = fwt_checksum(r, 20);
	r[32] = fwt_checksum(r, 36);
	return addr(w, rsdp);
}
