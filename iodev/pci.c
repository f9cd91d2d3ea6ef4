/* SPDX-License-Identifier: MIT */
/* PCI configuration space, mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2):
 * CONFIG_ADDRESS is a dword at 0xCF8 (bit 31 enable, bus 23:16, device
 * 15:11, function 10:8, register 7:2); CONFIG_DATA at 0xCFC-0xCFF. The two
 * functions keep 256 bytes each with a per-byte write mask; the
 * chipset-specific registers (PAM, SMRAM, PIRQ routing...) are stored but
 * have no effect. */
#include <string.h>
#include "pci.h"
#include "pc_stop.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

static void base_header(struct pci_func *f, uint16_t vendor, uint16_t device, uint8_t rev,
			uint32_t class, uint8_t htype)
{
	memset(f, 0, sizeof *f);
	put16(f->cfg + 0x00, vendor);
	put16(f->cfg + 0x02, device);
	f->cfg[0x08] = rev;
	f->cfg[0x09] = (uint8_t)class;
	f->cfg[0x0a] = (uint8_t)(class >> 8);
	f->cfg[0x0b] = (uint8_t)(class >> 16);
	f->cfg[0x0e] = htype;
	memset(f->wmask + 0x40, 0xff, 0xc0); /* device-specific: plain storage */
	f->wmask[0x0d] = 0xff;                /* latency timer */
}

static void init_functions(struct pci_host *p)
{
	/* i440FX PMC (reset values; iodev/pc.c applies what the BIOS leaves) */
	base_header(&p->host, 0x8086, 0x1237, 0x02, 0x060000, 0x00);
	p->host.wmask[0x04] = 0x47;   /* I/O, memory, bus master, parity */
	p->host.wmask[0x05] = 0x01;   /* SERR# enable */
	p->host.cfg[0x72] = 0x02;     /* SMRAM: C-base segment */
	/* PIIX3 function 0, multi-function (IDE/USB functions not modelled) */
	base_header(&p->isa, 0x8086, 0x7000, 0x00, 0x060100, 0x80);
	put16(p->isa.cfg + 0x04, 0x0007);
	put16(p->isa.cfg + 0x06, 0x0200);
	p->isa.wmask[0x04] = 0x0f;
	p->isa.wmask[0x05] = 0x01;
	memset(p->isa.cfg + 0x60, 0x80, 4); /* PIRQ[A-D] routing disabled */
	p->isa.cfg[0x4c] = 0x4d;           /* ISA recovery timer */
	p->isa.cfg[0x69] = 0x02;           /* top of memory */
	p->isa.cfg[0x70] = 0x80;           /* MBIRQ0 disabled */
	p->isa.cfg[0x71] = 0x80;
}

static struct pci_func *func(struct pci_host *p, unsigned dev, unsigned fn)
{
	if (fn != 0)
		return NULL;
	return dev == 0 ? &p->host : dev == 1 ? &p->isa : NULL;
}

uint32_t pci_cfg_read(struct pci_host *p, unsigned dev, unsigned fn, unsigned off, unsigned size)
{
	struct pci_func *f = func(p, dev, fn);
	uint32_t v = 0;
	for (unsigned i = 0; i < size && i < 4; i++) {
		unsigned a = off + i;
		uint8_t b = (f && a < 256) ? f->cfg[a] : 0xff;
		v |= (uint32_t)b << 8 * i;
	}
	return v;
}

void pci_cfg_write(struct pci_host *p, unsigned dev, unsigned fn, unsigned off, unsigned size,
		   uint32_t val)
{
	struct pci_func *f = func(p, dev, fn);
	if (!f)
		return;
	for (unsigned i = 0; i < size && i < 4 && off + i < 256; i++) {
		uint8_t m = f->wmask[off + i], b = (uint8_t)(val >> 8 * i);
		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | (b & m));
	}
}

/* The function CONFIG_ADDRESS selects; false if disabled or not bus 0. */
static bool decode(const struct pci_host *p, unsigned *dev, unsigned *fn, unsigned *reg)
{
	if (!(p->addr & 0x80000000u) || ((p->addr >> 16) & 0xff) != 0)
		return false;
	*dev = (p->addr >> 11) & 31;
	*fn = (p->addr >> 8) & 7;
	*reg = p->addr & 0xfc;
	return true;
}

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	struct pci_host *p = ctx;
	unsigned dev, fn, reg;
	if (port == 0xcf8 && size == 4)
		return p->addr;
	if (port == 0xcf9 && size == 1)
		return p->rcr;
	if (port < 0xcfc || !decode(p, &dev, &fn, &reg))
		return 0xffffffffu;
	return pci_cfg_read(p, dev, fn, reg + (port & 3u), size);
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct pci_host *p = ctx;
	unsigned dev, fn, reg;
	if (port == 0xcf8 && size == 4) {
		p->addr = v & 0x80fffffcu;
	} else if (port == 0xcf9 && size == 1) {
		p->rcr = v & 0x02;
		if (v & 0x04)
			pac_request_stop(p->m, PC_STOP_RESET); /* RCPU: reset the CPU */
	} else if (port >= 0xcfc && decode(p, &dev, &fn, &reg)) {
		pci_cfg_write(p, dev, fn, reg + (port & 3u), size, v);
	}
}

static const struct pac_port_ops pci_ops = { io_in, io_out };

int pci_init(struct pci_host *p, pac_machine *m)
{
	memset(p, 0, sizeof *p);
	p->m = m;
	init_functions(p);
	return pac_register_ports(m, 0xcf8, 8, &pci_ops, p);
}
