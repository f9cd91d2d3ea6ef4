/* SPDX-License-Identifier: MIT */
/* libFuzzer harness (e): port and MMIO accesses with random values to every
 * device the PC platform registers, interleaved with virtual-time advances
 * (timers fire) and short guest runs (interrupt acknowledge). Each op is
 * 8 bytes: kind, size, address, value. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "core/cpu.h"
#include "iodev/pc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct region *mmio_region(pac_machine *m, unsigned k)
{
	unsigned n = 0;
	for (unsigned i = 0; i < m->nregions; i++)
		if (m->regions[i].ops)
			n++;
	if (!n)
		return NULL;
	k %= n;
	for (unsigned i = 0; i < m->nregions; i++)
		if (m->regions[i].ops && k-- == 0)
			return &m->regions[i];
	return NULL;
}

static void one_op(pac_machine *m, struct fz *f)
{
	uint8_t kind = fz_u8(f);
	unsigned size = 1u << (kind >> 6 & 3); /* 1, 2, 4, 8 */
	uint16_t addr = fz_u16(f);
	uint32_t val = fz_u32(f);
	const struct portrange *pr;
	const struct region *rg;
	switch (kind & 7) {
	case 0: case 1: /* port out/in, port chosen among registered ranges */
		if (!m->nports)
			return;
		pr = &m->ports[(addr >> 8) % m->nports];
		addr = (uint16_t)(pr->base + (addr & 0xff) % pr->count);
		/* fallthrough */
	case 2: /* any port */
		if (size == 8)
			size = 4;
		if (kind & 1)
			port_in(m, addr, (int)size);
		else
			port_out(m, addr, (int)size, val);
		return;
	case 3: case 4: /* MMIO register access */
		rg = mmio_region(m, addr >> 12);
		if (!rg)
			return;
		if (kind & 1)
			rg->ops->read(rg->ctx, (addr & 0xfff) % rg->size & ~(uint64_t)(size - 1), size, PAC_MT_UC);
		else
			rg->ops->write(rg->ctx, (addr & 0xfff) % rg->size & ~(uint64_t)(size - 1), size,
				       (uint64_t)val << (kind & 0x20 ? 32 : 0) | val, PAC_MT_UC);
		return;
	case 5: /* let virtual time pass: timers fire */
		m->vtime += (uint64_t)val << (addr & 15);
		if (m->next_deadline <= m->vtime)
			timers_run(m);
		return;
	default: { /* run the CPU a little: HLT with IF=1 takes interrupts */
		struct pac_exit ex;
		pac_run(m, 1 + (val & 63), &ex);
		return;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct pac_config cfg = { .ncpus = 1 + (fz_u8(&f) & 1), .seed = 1 };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m)
		return 0;
	struct pc_platform *p = calloc(1, sizeof *p);
	struct pc_options o = { .ram_bytes = 2ull << 20, .ncpus = cfg.ncpus };
	if (!p || pac_map_ram(m, 0, 2ull << 20, NULL) || pc_platform_init(p, m, &o))
		abort();
	/* the CPU sits in a real-mode "sti; hlt; jmp" loop; IVT points at it */
	static const uint8_t loop[] = { 0xfb, 0xf4, 0xeb, 0xfc };
	pac_phys_write(m, 0x7c00, loop, sizeof loop);
	for (unsigned v = 0; v < 256; v++) {
		uint32_t ent = 0x7c00 + 0 * v; /* 0000:7C00, IRET-less: just re-enter the loop */
		pac_phys_write(m, v * 4, &ent, 4);
	}
	struct pac_regs r;
	pac_get_regs(m, 0, &r);
	r.seg[PAC_CS].sel = 0;
	r.seg[PAC_CS].base = 0;
	r.rip = 0x7c00;
	r.gpr[PAC_RSP] = 0x7000;
	pac_set_regs(m, 0, &r);
	while (f.n)
		one_op(m, &f);
	pc_platform_free(p);
	pac_destroy(m);
	free(p);
	return 0;
}
