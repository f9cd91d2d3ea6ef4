/* SPDX-License-Identifier: MIT */
/* pc_platform_init: wires the PC devices together. */
#include <string.h>
#include "pc.h"

void pc_ram_split(uint64_t ram, uint64_t *low, uint64_t *high)
{
	*low = ram < PC_LOW_RAM_LIMIT ? ram : PC_LOW_RAM_LIMIT;
	*high = ram - *low;
}

/* HPET legacy replacement disconnects the PIT from IRQ 0 and the RTC from
 * IRQ 8 (IA-PC HPET 1.0a, 2.4.1). */
static void hpet_legacy(void *ctx, bool on)
{
	struct pc_platform *p = ctx;
	irq_line_enable(&p->pit.irq0, !on);
	irq_line_enable(&p->cmos.irq8, !on);
}

/* etc/e820 as QEMU's PC fills it: RAM below 4 GiB, RAM above 4 GiB
 * (le64 address, le64 length, le32 type; the firmware carves the holes). */
static int add_e820(struct pc_platform *p)
{
	uint8_t buf[40];
	unsigned n = 0;
	uint64_t ent[2][2] = { { 0, p->low_bytes }, { 1ull << 32, p->high_bytes } };
	for (unsigned i = 0; i < 2; i++) {
		if (!ent[i][1])
			continue;
		for (int b = 0; b < 8; b++) {
			buf[n * 20 + b] = (uint8_t)(ent[i][0] >> 8 * b);
			buf[n * 20 + 8 + b] = (uint8_t)(ent[i][1] >> 8 * b);
		}
		buf[n * 20 + 16] = 1; /* E820_RAM */
		buf[n * 20 + 17] = buf[n * 20 + 18] = buf[n * 20 + 19] = 0;
		n++;
	}
	return fwcfg_add_file(&p->fwcfg, "etc/e820", buf, n * 20);
}

static int init_fwcfg(struct pc_platform *p, const struct pc_options *o, unsigned ncpus)
{
	uint8_t zero[16] = { 0 };
	int err = fwcfg_init(&p->fwcfg, p->m);
	if (!err) err = fwcfg_add(&p->fwcfg, FW_CFG_UUID, zero, 16);
	if (!err) err = fwcfg_add_i64(&p->fwcfg, FW_CFG_RAM_SIZE, o->ram_bytes);
	if (!err) err = fwcfg_add_i16(&p->fwcfg, FW_CFG_NOGRAPHIC, 1);
	if (!err) err = fwcfg_add_i16(&p->fwcfg, FW_CFG_NB_CPUS, (uint16_t)ncpus);
	if (!err) err = fwcfg_add_i16(&p->fwcfg, FW_CFG_MAX_CPUS, (uint16_t)ncpus);
	if (!err) err = fwcfg_add_i32(&p->fwcfg, FW_CFG_IRQ0_OVERRIDE, 1);
	if (!err) err = fwcfg_add_i32(&p->fwcfg, FW_CFG_E820_TABLE, 0); /* no reserved entries */
	if (!err) err = add_e820(p);
	return err;
}

/* What the BIOS of QEMU's PC (SeaBIOS) leaves, as observed through ports on
 * qemu-system-x86_64 7.2 (-nodefaults -m 256 -smp 2): PIC bases 0x08/0x70,
 * masks 0xB8/0x8E (IRQ 0, 1, 2, 6, 8, 12, 13, 14 open), ELCR 0x00/0x0C
 * (PCI IRQs 10 and 11 level), PIT channel 0 in mode 2 with count 65536,
 * PIIX3 PIRQA-D routed to IRQ 10, 10, 11, 11, PCI command = I/O, memory,
 * SERR on both bridges, the i440FX PAM/SMRAM bytes. */
static void bios_post_state(struct pc_platform *p)
{
	static const uint8_t seq[][2] = { { 0x20, 0x11 }, { 0x21, 0x08 }, { 0x21, 0x04 }, { 0x21, 0x01 },
					  { 0xa0, 0x11 }, { 0xa1, 0x70 }, { 0xa1, 0x02 }, { 0xa1, 0x01 },
					  { 0x21, 0xb8 }, { 0xa1, 0x8e } };
	static const uint8_t pam[8] = { 0x00, 0x10, 0x11, 0x11, 0x11, 0x11, 0x11, 0x33 };
	for (unsigned i = 0; i < sizeof seq / sizeof seq[0]; i++)
		pic_port_write(&p->pic, seq[i][0], seq[i][1]);
	pic_port_write(&p->pic, 0x4d1, 0x0c);
	pit_port_write(&p->pit, 0x43, 0x34);
	pit_port_write(&p->pit, 0x40, 0);
	pit_port_write(&p->pit, 0x40, 0);
	pci_cfg_write(&p->pci, 0, 0, 0x04, 2, 0x0103);
	pci_cfg_write(&p->pci, 1, 0, 0x04, 2, 0x0103);
	pci_cfg_write(&p->pci, 1, 0, 0x60, 4, 0x0b0b0a0a);
	pci_cfg_write(&p->pci, 1, 0, 0x71, 1, 0x00);
	for (unsigned i = 0; i < 8; i++)
		pci_cfg_write(&p->pci, 0, 0, 0x58 + i, 1, pam[i]);
	pci_cfg_write(&p->pci, 0, 0, 0x72, 1, 0x0a);
}

int pc_platform_init(struct pc_platform *p, pac_machine *m, const struct pc_options *o)
{
	unsigned ncpus = o->ncpus ? o->ncpus : 1;
	int err;
	memset(p, 0, sizeof *p);
	p->m = m;
	pc_ram_split(o->ram_bytes, &p->low_bytes, &p->high_bytes);
	irq_bus_init(&p->irq);
	if ((err = pic_init(&p->pic, m, &p->irq)) ||
	    (err = ioapic_init(&p->ioapic, m, &p->irq, IOAPIC_BASE)) ||
	    (err = pit_init(&p->pit, m, &p->irq)) ||
	    (err = cmos_init(&p->cmos, m, &p->irq, o->rtc_base_set ? o->rtc_base : CMOS_DEFAULT_BASE)) ||
	    (err = hpet_init(&p->hpet, m, &p->irq, HPET_BASE)) ||
	    (err = acpi_pm_init(&p->pm, m, &p->irq, ACPI_PM_BASE)) ||
	    (err = port92_init(&p->port92, m)) ||
	    (err = i8042_init(&p->kbc, m, &p->irq)) ||
	    (err = pci_init(&p->pci, m)) ||
	    (err = init_fwcfg(p, o, ncpus)))
		return err;
	p->ioapic.id = (uint8_t)ncpus; /* the ID the MADT and MP table give it */
	p->hpet.legacy = hpet_legacy;
	p->hpet.legacy_ctx = p;
	cmos_set_memory(&p->cmos, p->low_bytes, p->high_bytes);
	pac_set_intc(m, &pic_intc_ops, &p->pic);
	bios_post_state(p);
	return PAC_OK;
}

void pc_platform_free(struct pc_platform *p)
{
	fwcfg_free(&p->fwcfg);
}
