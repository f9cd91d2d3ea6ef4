/* SPDX-License-Identifier: MIT */
/* Firmware tables: find the RSDP by scanning 0xE0000-0xFFFFF on 16-byte
 * boundaries as an OS does (ACPI 6.4, 5.2.5.1), walk RSDT and XSDT, verify
 * every checksum and the fields that describe this platform (FADT PM
 * blocks, reset register, SCI; MADT processors, I/O APIC, overrides; HPET
 * base; DSDT \_S5; FACS); the MP floating pointer and configuration table
 * (MP spec 1.4, 4.1-4.3); -no-acpi; all tables inside the reserved BIOS
 * area 0xF0000-0xFDFFF. */
#include "test.h"
#include "platform_helpers.h"
#include "../../bios/fwtables.h"

static uint8_t mem[0x20000]; /* image of 0xE0000-0xFFFFF */
#define AT(a) (mem + ((a) - 0xe0000))

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }
static uint8_t sum(const uint8_t *p, size_t n) { uint8_t s = 0; while (n--) s = (uint8_t)(s + *p++); return s; }
static bool in_area(uint64_t a, uint64_t len) { return a >= 0xf0000 && a + len <= 0xfe000; }

static long scan(const char *sig, size_t siglen, uint64_t from)
{
	for (uint64_t a = from; a < 0x100000; a += 16)
		if (memcmp(AT(a), sig, siglen) == 0)
			return (long)a;
	return -1;
}

/* A table at address a: in the area, checksummed; returns its length. */
static uint32_t check_table(uint64_t a, const char *sig)
{
	if (!in_area(a, 36)) {
		CHECK(0, "%s at %#llx outside the BIOS area", sig, (unsigned long long)a);
		return 0;
	}
	uint32_t len = le32(AT(a) + 4);
	CHECK(memcmp(AT(a), sig, 4) == 0, "signature %.4s", sig);
	CHECK(in_area(a, len) && len >= 36, "%s length %u in the area", sig, len);
	if (in_area(a, len))
		CHECK_EQ(sum(AT(a), len), 0, sig);
	return len;
}

static void check_acpi(unsigned ncpus)
{
	long rsdp = scan("RSD PTR ", 8, 0xe0000);
	CHECK(rsdp >= 0, "RSDP found in 0xE0000-0xFFFFF");
	if (rsdp < 0)
		return;
	const uint8_t *r = AT(rsdp);
	CHECK_EQ(sum(r, 20), 0, "RSDP checksum (first 20 bytes)");
	CHECK_EQ(sum(r, 36), 0, "RSDP extended checksum");
	CHECK_EQ(r[15], 2, "RSDP revision 2 (has XSDT)");
	uint32_t rsdt = le32(r + 16);
	uint64_t xsdt = le64(r + 24);
	uint32_t rl = check_table(rsdt, "RSDT"), xl = check_table(xsdt, "XSDT");
	CHECK_EQ((rl - 36) / 4, 3, "RSDT: FADT, MADT, HPET");
	CHECK_EQ((xl - 36) / 8, 3, "XSDT: same three");
	uint64_t fadt = 0, madt = 0, hpet = 0;
	for (unsigned i = 0; i < 3; i++) {
		uint32_t a = le32(AT(rsdt) + 36 + 4 * i);
		CHECK_EQ(le64(AT(xsdt) + 36 + 8 * i), a, "XSDT entry equals RSDT entry");
		const char *s = (const char *)AT(a);
		if (!memcmp(s, "FACP", 4)) fadt = a;
		if (!memcmp(s, "APIC", 4)) madt = a;
		if (!memcmp(s, "HPET", 4)) hpet = a;
	}
	CHECK(fadt && madt && hpet, "FADT, MADT and HPET listed");
	if (!fadt || !madt || !hpet)
		return;
	/* FADT */
	const uint8_t *f = AT(fadt);
	CHECK_EQ(check_table(fadt, "FACP"), 276, "FADT is the ACPI 6 size");
	CHECK_EQ(f[8], 6, "FADT major version 6");
	CHECK_EQ(le16(f + 46), 9, "SCI_INT 9");
	CHECK_EQ(le32(f + 56), 0x600, "PM1a_EVT_BLK");
	CHECK_EQ(le32(f + 64), 0x604, "PM1a_CNT_BLK");
	CHECK_EQ(le32(f + 76), 0x608, "PM_TMR_BLK");
	CHECK(f[88] == 4 && f[89] == 2 && f[91] == 4, "PM block lengths");
	CHECK_EQ(le32(f + 112) & (1u << 8), 0, "24-bit PM timer (TMR_VAL_EXT clear)");
	CHECK_EQ(le32(f + 112) & (1u << 10), 1u << 10, "RESET_REG_SUP");
	CHECK(f[116] == 1 && le64(f + 120) == 0xcf9 && f[128] == 6, "reset register: I/O 0xCF9 value 6");
	CHECK_EQ(le64(f + 208 + 4), 0x608, "X_PM_TMR_BLK");
	CHECK_EQ(f[108], 0x32, "century register");
	uint32_t dsdt = le32(f + 40), facs = le32(f + 36);
	CHECK_EQ(le64(f + 140), dsdt, "X_DSDT equals DSDT");
	CHECK_EQ(le64(f + 132), facs, "X_FIRMWARE_CTRL equals FIRMWARE_CTRL");
	uint32_t dl = check_table(dsdt, "DSDT");
	static const uint8_t s5[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0 };
	CHECK(dl == 36 + sizeof s5 && memcmp(AT(dsdt) + 36, s5, sizeof s5) == 0,
	      "DSDT AML: Name(\\_S5, Package(4){0,0,0,0})");
	CHECK(in_area(facs, 64) && facs % 64 == 0 && !memcmp(AT(facs), "FACS", 4) &&
	      le32(AT(facs) + 4) == 64, "FACS: 64 bytes, 64-byte aligned");
	/* MADT */
	uint32_t ml = check_table(madt, "APIC");
	const uint8_t *m = AT(madt);
	CHECK_EQ(le32(m + 36), 0xfee00000, "local APIC address");
	CHECK_EQ(le32(m + 40) & 1, 1, "PCAT_COMPAT");
	unsigned lapics = 0, ioapics = 0, nmis = 0, ok_overrides = 0;
	for (uint32_t o = 44; o + 2 <= ml && m[o + 1] >= 2; o += m[o + 1]) {
		const uint8_t *e = m + o;
		if (e[0] == 0 && e[1] == 8 && e[2] == lapics && e[3] == lapics && le32(e + 4) == 1)
			lapics++;
		if (e[0] == 1 && e[2] == ncpus && le32(e + 4) == 0xfec00000 && le32(e + 8) == 0)
			ioapics++;
		if (e[0] == 2 && e[3] == 0 && le32(e + 4) == 2 && le16(e + 8) == 0)
			ok_overrides++;
		if (e[0] == 2 && e[3] == 9 && le32(e + 4) == 9 && le16(e + 8) == 0x000d)
			ok_overrides++;
		if (e[0] == 4 && e[2] == 0xff && e[5] == 1)
			nmis++;
	}
	CHECK_EQ(lapics, ncpus, "one enabled local APIC per CPU, ids 0..n-1");
	CHECK_EQ(ioapics, 1, "one I/O APIC, id ncpus, GSI base 0");
	CHECK_EQ(ok_overrides, 2, "IRQ0 -> GSI2 and SCI GSI9 level/active-high overrides");
	CHECK_EQ(nmis, 1, "LINT1 NMI for all processors");
	/* HPET */
	check_table(hpet, "HPET");
	CHECK_EQ(le32(AT(hpet) + 36), 0x8086a201, "HPET event timer block id");
	CHECK(AT(hpet)[40] == 0 && le64(AT(hpet) + 44) == 0xfed00000, "HPET base 0xFED00000 in memory space");
}

static void check_mp(unsigned ncpus)
{
	long fp = scan("_MP_", 4, 0xf0000);
	CHECK(fp >= 0, "MP floating pointer in the BIOS ROM area");
	if (fp < 0)
		return;
	const uint8_t *f = AT(fp);
	CHECK_EQ(sum(f, 16), 0, "floating pointer checksum");
	CHECK(f[8] == 1 && f[9] == 4 && f[11] == 0, "length 1, spec 1.4, configuration table present");
	uint32_t cfg = le32(f + 4);
	CHECK(in_area(cfg, 44) && !memcmp(AT(cfg), "PCMP", 4), "configuration table");
	if (!in_area(cfg, 44))
		return;
	const uint8_t *t = AT(cfg);
	uint16_t len = le16(t + 4), count = le16(t + 34);
	CHECK(in_area(cfg, len), "configuration table in the area");
	CHECK_EQ(sum(t, len), 0, "configuration table checksum");
	CHECK_EQ(le32(t + 36), 0xfee00000, "local APIC address");
	unsigned cpus = 0, bsp = 0, buses = 0, ioapic = 0, irq0_pin2 = 0, n = 0, o = 44;
	while (o < len && n < count) {
		const uint8_t *e = t + o;
		n++;
		if (e[0] == 0) {
			cpus += (e[3] & 1) && e[1] == cpus && e[2] == 0x10; /* LAPIC version register */
			bsp += (e[3] & 2) != 0;
			o += 20;
			continue;
		}
		buses += e[0] == 1;
		ioapic += e[0] == 2 && e[1] == ncpus && e[2] == 0x11 && (e[3] & 1) && le32(e + 4) == 0xfec00000;
		irq0_pin2 += e[0] == 3 && e[1] == 0 && e[5] == 0 && e[7] == 2;
		o += 8;
	}
	CHECK(n == count && o == len, "entry count %u matches the length", count);
	CHECK_EQ(cpus, ncpus, "one enabled processor entry per CPU");
	CHECK_EQ(bsp, 1, "exactly one BSP");
	CHECK_EQ(buses, 2, "PCI and ISA buses");
	CHECK_EQ(ioapic, 1, "I/O APIC entry");
	CHECK_EQ(irq0_pin2, 1, "ISA IRQ 0 on I/O APIC pin 2");
}

static void run(unsigned ncpus, bool acpi)
{
	pac_machine *m = tm_new();
	struct fwtables_config c = { .ncpus = ncpus, .acpi = acpi };
	struct fwtables_result r;
	CHECK_EQ(fwtables_install(m, &c, &r), PAC_OK, "tables installed");
	CHECK(r.end <= 0xfe000, "tables end below the firmware stub (%#llx)", (unsigned long long)r.end);
	pac_phys_read(m, 0xe0000, mem, sizeof mem);
	if (acpi) {
		CHECK_EQ(r.rsdp % 16, 0, "RSDP on a 16-byte boundary");
		check_acpi(ncpus);
	} else {
		CHECK(scan("RSD PTR ", 8, 0xe0000) < 0 && r.rsdp == 0, "-no-acpi: no RSDP");
	}
	check_mp(ncpus);
	pac_destroy(m);
}

int main(void)
{
	run(1, true);
	run(2, true);
	run(64, true);
	run(4, false);
	pac_machine *m = tm_new();
	struct fwtables_config c = { .ncpus = 65, .acpi = true };
	CHECK_EQ(fwtables_install(m, &c, NULL), PAC_ERR_INVAL, "more than 64 CPUs rejected");
	pac_destroy(m);
	return test_done("acpi");
}
