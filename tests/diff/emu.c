/* SPDX-License-Identifier: MIT */
/* Emulator side: one machine in 64-bit mode (CPL 0, identity-mapped first
 * GiB with 2 MiB pages) with RAM at the same addresses as the native run.
 * The body ends with HLT instead of the native jump back. */
#include <stdio.h>
#include "diff.h"
#include "pacifica/pacifica.h"
#include "../../cpu/core/cpu.h"
#include "../../cpu/decode/insn.h"

static pac_machine *m;

uint32_t emu_undef_flags(const uint8_t *code, unsigned len, int mode_bits)
{
	uint32_t u = 0;
	struct insn in;
	for (unsigned off = 0; off < len;) {
		int n = decode_bytes(code + off, len - off, mode_bits, &in);
		if (n <= 0)
			break;
		u |= in.row->undef;
		off += (unsigned)n;
	}
	return u;
}

static int setup(char *err, size_t n)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1 };
	int e;
	m = pac_create(&cfg, &e);
	if (!m || pac_map_ram(m, 0, 1 << 20, NULL) || pac_map_ram(m, DIFF_CODE_ADDR, 1 << 16, NULL) ||
	    pac_map_ram(m, DIFF_DATA_ADDR, 1 << 16, NULL)) {
		snprintf(err, n, "cannot create the machine");
		return -1;
	}
	uint64_t pml4 = 0x2003, pdpt = 0x3003;
	pac_phys_write(m, 0x1000, &pml4, 8);
	pac_phys_write(m, 0x2000, &pdpt, 8);
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t pde = (i << 21) | 0x87; /* P | RW | US | PS */
		pac_phys_write(m, 0x3000 + i * 8, &pde, 8);
	}
	return 0;
}

static void seg(struct pac_seg *s, uint16_t sel, uint16_t attr)
{
	*s = (struct pac_seg){ .sel = sel, .attr = attr, .limit = 0xffffffff, .base = 0 };
}

int emu_run(const struct dcase *dc, const struct dstate *in, struct dstate *out, char *err, size_t n)
{
	if (!m && setup(err, n))
		return -1;
	struct pac_regs r;
	memset(&r, 0, sizeof r);
	memcpy(r.gpr, in->gpr, sizeof r.gpr);
	r.rip = DIFF_CODE_ADDR;
	r.rflags = in->rflags;
	seg(&r.seg[PAC_CS], 0x08, dc->mode32 ? 0xc9b : 0xa9b); /* compatibility or 64-bit */
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			seg(&r.seg[i], 0x10, 0xc93);
	seg(&r.tr, 0x18, 0x8b);
	r.gdtr = (struct pac_dtr){ 0x4000, 0x3f };
	r.idtr = (struct pac_dtr){ 0x5000, 0 };
	r.cr0 = 0x80010033;
	r.cr3 = 0x1000;
	r.cr4 = 0x620;
	r.efer = 0xd01;
	r.dr[6] = 0xffff0ff0;
	r.dr[7] = 0x400;
	r.xcr0 = 3;
	uint8_t hlt = 0xf4;
	pac_phys_write(m, DIFF_CODE_ADDR, dc->code, dc->len);
	pac_phys_write(m, DIFF_CODE_ADDR + dc->len, &hlt, 1);
	pac_phys_write(m, DIFF_DATA_ADDR, in->data, DIFF_DATA_SIZE);
	static const uint8_t zero[DIFF_STACK_SIZE];
	pac_phys_write(m, DIFF_STACK_ADDR, zero, sizeof zero);
	pac_set_regs(m, 0, &r);
	struct cpu *c = m->cpus[0];
	memcpy(c->xmm, in->xmm, sizeof c->xmm);
	c->mxcsr = in->mxcsr;
	struct pac_exit ex;
	pac_run(m, 10000, &ex);
	memset(out, 0, sizeof *out);
	if (ex.reason != PAC_EXIT_HLT) {
		out->faulted = (int)ex.reason;
		snprintf(err, n, "%s: %s", pac_exit_name(ex.reason), ex.detail);
		return -1;
	}
	pac_get_regs(m, 0, &r);
	memcpy(out->gpr, r.gpr, sizeof out->gpr);
	out->rflags = r.rflags;
	memcpy(out->xmm, c->xmm, sizeof out->xmm);
	out->mxcsr = c->mxcsr;
	pac_phys_read(m, DIFF_DATA_ADDR, out->data, DIFF_DATA_SIZE);
	return 0;
}
