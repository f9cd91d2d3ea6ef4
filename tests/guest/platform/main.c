/* The PC platform as a kernel written for QEMU's `pc` machine sees it
 * (run with -m 256 -smp 2): fw_cfg (signature, CPUs, RAM, etc/e820), the
 * ACPI tables found by an RSDP scan and the MP table (checksums, MADT
 * content), PCI bridges, ELCR masks, unassigned ports, and the timers
 * measured against each other: PIT channel 2 one-shot vs ACPI PM timer vs
 * HPET, RTC periodic interrupts on IRQ 8 counted over a PIT interval.
 * Runs unchanged on qemu-system-x86_64. */
#include "rt.h"

#define RAM_BYTES (256ull << 20)
#define NCPUS 2
#define PM_TMR 0x608
#define HPET ((volatile uint32_t *)0xfed00000ull)

static inline uint32_t inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(p)); }

static uint8_t sum8(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static void fw_read(uint16_t key, void *buf, uint32_t n)
{
	outw(0x510, key);
	for (uint32_t i = 0; i < n; i++)
		((uint8_t *)buf)[i] = inb(0x511);
}

static void test_fwcfg(void)
{
	uint8_t sig[4], cpus[2], ram[8], dir[4 + 64 * 32];
	fw_read(0x0000, sig, 4);
	report("platform: fw_cfg signature QEMU", !memcmp(sig, "QEMU", 4));
	fw_read(0x0005, cpus, 2);
	reportf(cpus[0] == NCPUS && cpus[1] == 0, "platform: fw_cfg CPU count %u", cpus[0]);
	fw_read(0x0003, ram, 8);
	report("platform: fw_cfg RAM size matches -m", le64(ram) == RAM_BYTES);
	fw_read(0x0019, dir, sizeof dir);
	uint32_t n = be32(dir), key = 0, size = 0;
	for (uint32_t i = 0; i < n && i < 32; i++)
		if (!strcmp((const char *)dir + 4 + 64 * i + 8, "etc/e820")) {
			size = be32(dir + 4 + 64 * i);
			key = dir[4 + 64 * i + 4] << 8 | dir[4 + 64 * i + 5];
		}
	/* QEMU may list reserved ranges first (the AMD HyperTransport hole) */
	uint8_t e820[20 * 8] = { 0 };
	bool found = false;
	if (key && size <= sizeof e820)
		fw_read((uint16_t)key, e820, size);
	for (uint32_t o = 0; key && o + 20 <= size && o + 20 <= sizeof e820; o += 20)
		found |= le64(e820 + o) == 0 && le64(e820 + o + 8) == RAM_BYTES && le32(e820 + o + 16) == 1;
	reportf(found, "platform: fw_cfg etc/e820 has RAM 0..256 MiB (%u files, e820 %u bytes)", n, size);
}

/* A checksummed ACPI table at a; returns it or NULL. */
static const uint8_t *acpi_table(uint64_t a, const char *sig)
{
	const uint8_t *t = (const uint8_t *)a;
	if (a == 0 || a >= 0x100000000ull || memcmp(t, sig, 4) != 0)
		return NULL;
	return sum8(t, le32(t + 4)) == 0 ? t : NULL;
}

static void check_madt(const uint8_t *m)
{
	uint32_t len = le32(m + 4), lapics = 0, ioapics = 0, irq0 = 0;
	for (uint32_t o = 44; o + 2 <= len && m[o + 1] >= 2; o += m[o + 1]) {
		const uint8_t *e = m + o;
		lapics += e[0] == 0 && (le32(e + 4) & 1);
		ioapics += e[0] == 1 && le32(e + 4) == 0xfec00000u;
		irq0 += e[0] == 2 && e[3] == 0 && le32(e + 4) == 2;
	}
	reportf(le32(m + 36) == 0xfee00000u && lapics == NCPUS && ioapics == 1 && irq0 == 1,
		"platform: MADT: %u local APICs, I/O APIC at 0xFEC00000, IRQ0 -> GSI2", lapics);
}

static void test_acpi(void)
{
	const uint8_t *rsdp = NULL;
	for (uint64_t a = 0xe0000; a < 0x100000 && !rsdp; a += 16)
		if (!memcmp((const void *)a, "RSD PTR ", 8) && sum8((const void *)a, 20) == 0)
			rsdp = (const uint8_t *)a;
	report("platform: RSDP in 0xE0000-0xFFFFF with a valid checksum", rsdp != NULL);
	if (!rsdp)
		return;
	const uint8_t *rsdt = acpi_table(le32(rsdp + 16), "RSDT");
	report("platform: RSDT checksum", rsdt != NULL);
	if (!rsdt)
		return;
	const uint8_t *fadt = NULL, *madt = NULL, *hpet = NULL;
	unsigned bad = 0;
	for (uint32_t o = 36; o + 4 <= le32(rsdt + 4); o += 4) {
		const uint8_t *t = (const uint8_t *)(uint64_t)le32(rsdt + o);
		if (sum8(t, le32(t + 4)) != 0)
			bad++;
		if (!memcmp(t, "FACP", 4)) fadt = t;
		if (!memcmp(t, "APIC", 4)) madt = t;
		if (!memcmp(t, "HPET", 4)) hpet = t;
	}
	report("platform: every RSDT table checksums to 0", bad == 0);
	report("platform: FADT, MADT and HPET tables present", fadt && madt && hpet);
	if (fadt) {
		const uint8_t *dsdt = acpi_table(le32(fadt + 40), "DSDT");
		reportf(dsdt && le32(fadt + 76) == PM_TMR && (fadt[46] | fadt[47] << 8) == 9,
			"platform: FADT: DSDT checksum, PM timer at %#x, SCI 9", le32(fadt + 76));
	}
	if (madt)
		check_madt(madt);
	if (hpet)
		report("platform: HPET table base 0xFED00000", le64(hpet + 44) == 0xfed00000ull);
}

static void test_mptable(void)
{
	const uint8_t *fp = NULL;
	for (uint64_t a = 0xf0000; a < 0x100000 && !fp; a += 16)
		if (!memcmp((const void *)a, "_MP_", 4) && sum8((const void *)a, 16) == 0)
			fp = (const uint8_t *)a;
	report("platform: MP floating pointer in the BIOS area", fp != NULL);
	if (!fp)
		return;
	const uint8_t *cfg = (const uint8_t *)(uint64_t)le32(fp + 4);
	report("platform: MP configuration table checksum",
	       !memcmp(cfg, "PCMP", 4) && sum8(cfg, cfg[4] | cfg[5] << 8) == 0);
}

static uint32_t pci_read(uint32_t dev, uint32_t reg)
{
	outl(0xcf8, 0x80000000u | dev << 11 | reg);
	return inl(0xcfc);
}

static void test_ports(void)
{
	report("platform: 00:00.0 is an i440FX (8086:1237)", pci_read(0, 0) == 0x12378086u);
	report("platform: 00:01.0 is a PIIX3 ISA bridge (8086:7000)", pci_read(1, 0) == 0x70008086u);
	uint8_t e1 = inb(0x4d0), e2 = inb(0x4d1);
	outb(0x4d0, 0xff);
	outb(0x4d1, 0xff);
	reportf(inb(0x4d0) == 0xf8 && inb(0x4d1) == 0xde, "platform: ELCR masks 0xF8/0xDE");
	outb(0x4d0, e1);
	outb(0x4d1, e2);
	report("platform: unassigned ports read all ones", inb(0x1234) == 0xff && inl(0x1238) == 0xffffffffu);
}

/* PIT channel 2 one-shot of n ticks (Linux's calibration loop); returns the
 * PM timer and HPET ticks it took. */
static void pit_window(uint16_t n, uint32_t *pm, uint32_t *hp)
{
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, n & 0xff);
	outb(0x42, n >> 8);
	uint32_t p0 = inl(PM_TMR), h0 = HPET[0xf0 / 4];
	while (!(inb(0x61) & 0x20))
		;
	*pm = (inl(PM_TMR) - p0) & 0xffffff;
	*hp = HPET[0xf0 / 4] - h0;
}

static void test_timers(void)
{
	uint32_t cap = HPET[0], period = HPET[1], pm, hp;
	reportf((cap & 0xffff0000u) == 0x80860000u && period == 10000000,
		"platform: HPET vendor 8086, period %u fs", period);
	HPET[0x10 / 4] = 1; /* enable the main counter */
	pit_window(11932, &pm, &hp); /* 10 ms */
	HPET[0x10 / 4] = 0;
	/* Pacifica: one virtual clock, 1% covers the polling loop. QEMU's TCG
	 * clock follows the host, whose load stretches the PIT loop: 50%. */
	unsigned tol = under_qemu() ? 50 : 1;
	reportf(pm > 35795 * (100 - tol) / 100 && pm < 35795 * (100 + tol) / 100,
		"platform: 10 ms of PIT = %u PM timer ticks (35795 expected)", pm);
	reportf(hp > 1000000 * (100 - tol) / 100 && hp < 1000000 * (100 + tol) / 100,
		"platform: 10 ms of PIT = %u HPET ticks (1000000 expected)", hp);
}

static volatile unsigned rtc_irqs;
static bool rtc_handler(struct frame *f)
{
	outb(0x70, 0x0c);
	(void)inb(0x71);
	rtc_irqs++;
	outb(0xa0, 0x20);
	outb(0x20, 0x20);
	return true;
}

static void test_rtc_irq(void)
{
	uint32_t pm, hp;
	set_exc_handler(0x28, rtc_handler);
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, 0x20); outb(0xa1, 0x28);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xfb); outb(0xa1, 0xfe);	/* cascade and IRQ 8 only */
	outb(0x70, 0x0a); outb(0x71, 0x26);	/* 1024 Hz */
	outb(0x70, 0x0c); (void)inb(0x71);	/* PF is set even while PIE = 0 */
	outb(0x70, 0x0b); outb(0x71, 0x42);	/* PIE, 24-hour BCD */
	__asm__ volatile("sti");
	pit_window(59659, &pm, &hp);		/* 50 ms */
	__asm__ volatile("cli");
	HPET[0x10 / 4] = 0;
	outb(0x70, 0x0b); outb(0x71, 0x02);
	outb(0x21, 0xff); outb(0xa1, 0xff);
	/* 51.2 expected (Pacifica: exact virtual time); QEMU's TCG clock follows
	 * the host and can lose RTC interrupts, so there only "some arrive" */
	bool ok = under_qemu() ? rtc_irqs >= 10 : (rtc_irqs >= 50 && rtc_irqs <= 53);
	reportf(ok, "platform: RTC periodic 1024 Hz: %u IRQ 8 in 50 ms of PIT", rtc_irqs);
}

int main(void)
{
	test_fwcfg();
	test_acpi();
	test_mptable();
	test_ports();
	test_timers();
	test_rtc_irq();
	return 0;
}
