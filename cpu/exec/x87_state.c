/* SPDX-License-Identifier: MIT */
/* x87 state helpers: tags, ES/B, the pending-exception check (#MF), the
 * last-instruction pointers, FNINIT. APM vol. 1 ch. 6. */
#include "x87.h"
#include "../core/fault.h"

/* APM vol. 1, 6.2.4: zero, valid (normal with J=1) or special (NaN,
 * infinity, denormal, pseudo-denormal, unnormal, unsupported). */
int x87_tag_of(const struct fpreg *r)
{
	unsigned e = r->sexp & 0x7fffu;
	if (e == 0)
		return r->mant == 0 ? TAG_ZERO : TAG_SPECIAL;
	if (e == 0x7fff || !(r->mant >> 63))
		return TAG_SPECIAL;
	return TAG_VALID;
}

uint16_t x87_tags_from_empty(const struct fpu *f, uint8_t empty_mask)
{
	uint16_t tw = 0;
	for (int i = 0; i < 8; i++) {
		int t = (empty_mask >> i) & 1 ? TAG_EMPTY : x87_tag_of(&f->st[i]);
		tw |= (uint16_t)(t << (2 * i));
	}
	return tw;
}

uint8_t x87_abridged_tags(const struct fpu *f)
{
	uint8_t a = 0;
	for (int i = 0; i < 8; i++)
		if (x87_tag(f, i) != TAG_EMPTY)
			a |= (uint8_t)(1u << i);
	return a;
}

void x87_update_es(struct fpu *f)
{
	if (f->fsw & ~f->fcw & FSW_EXC)
		f->fsw |= FSW_ES | FSW_B;
	else
		f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

/* APM vol. 2, 8.2.17 (#MF): reported at the next waiting x87 instruction
 * when CR0.NE = 1. APPROX: with CR0.NE = 0 hardware signals FERR# (IRQ 13
 * through the PIC) and freezes until IGNNE#; that path is not modelled:
 * the instruction simply executes (docs/deviations.md). */
MAYFAULT void x87_check_pending(struct cpu *c)
{
	if ((c->fpu.fsw & FSW_ES) && (c->cr0 & CR0_NE))
		raise_exc(c, EXC_MF);
}

void x87_record_last(struct cpu *c, struct fpu *f, const struct insn *in, uint64_t mem_off)
{
	f->fip = c->saved_rip;
	f->fcs = c->seg[SEG_CS].sel;
	f->fop = (uint16_t)(((in->opc & 7u) << 8) | in->modrm);
	if (in->has_mem) {
		f->fdp = mem_off;
		f->fds = c->seg[in->seg].sel;
	}
}

/* FNINIT (APM vol. 5): control 037Fh, status 0, all tags empty, pointers 0. */
void x87_init(struct fpu *f)
{
	f->fcw = FCW_INIT;
	f->fsw = 0;
	f->ftw = 0xffff;
	f->fop = 0;
	f->fip = f->fdp = 0;
	f->fcs = f->fds = 0;
}
