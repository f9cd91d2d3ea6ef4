/* SPDX-License-Identifier: MIT */
/* Segment-register loads: MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS and the
 * shared checks (APM vol. 2, 4.10.1; vol. 3 "MOV", "POP", "LDS"). */
#include "seg.h"
#include "desc.h"
#include "../core/fault.h"

/* APPROX: base and limit are kept (no NullSelectorClearsBase in the model). */
void seg_make_null(struct seg *s, uint16_t sel)
{
	s->sel = sel;
	s->attr = 0;
}

void seg_load_real(struct cpu *c, int sr, uint16_t sel)
{
	struct seg *s = &c->seg[sr];
	s->sel = sel;
	s->base = (uint64_t)sel << 4;
	if (c->mode == MODE_V86) {
		s->limit = 0xffff;
		s->attr = sr == SEG_CS ? 0xfb : 0xf3;
	}
}

MAYFAULT void seg_check_data(struct cpu *c, int sr, uint16_t sel, int cpl, struct seg *out)
{
	*out = c->seg[sr];
	if (SEL_NULL(sel)) {
		seg_make_null(out, sel);
		return;
	}
	struct desc d;
	if (!desc_read(c, sel, &d))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!d.s || !desc_readable(&d))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	/* data and non-conforming code: max(CPL, RPL) <= DPL */
	if (!desc_conforming(&d) && (SEL_RPL(sel) > d.dpl || cpl > d.dpl))
		raise_exc_err(c, EXC_GP, SEL_ERR(sel));
	if (!d.p)
		raise_exc_err(c, EXC_NP, SEL_ERR(sel));
	desc_set_accessed(c, &d);
	desc_to_seg(out, sel, &d);
}

MAYFAULT void seg_check_ss(struct cpu *c, uint16_t sel, int cpl, int vec, bool null_ok,
			   uint32_t ext, struct seg *out)
{
	*out = c->seg[SEG_SS];
	if (SEL_NULL(sel)) {
		if (!null_ok || SEL_RPL(sel) != cpl)
			raise_exc_err(c, vec, ext);
		seg_make_null(out, sel);
		out->attr = (uint16_t)(cpl << 5); /* SS.DPL keeps the CPL (APM 15.5.1) */
		return;
	}
	struct desc d;
	uint32_t err = SEL_ERR(sel) | ext;
	if (!desc_read(c, sel, &d))
		raise_exc_err(c, vec, err);
	if (SEL_RPL(sel) != cpl || !desc_writable_data(&d) || d.dpl != cpl)
		raise_exc_err(c, vec, err);
	if (!d.p)
		raise_exc_err(c, EXC_SS, err);
	desc_set_accessed(c, &d);
	desc_to_seg(out, sel, &d);
}

MAYFAULT void seg_load(struct cpu *c, int sr, uint16_t sel)
{
	if (c->mode == MODE_REAL || c->mode == MODE_V86) {
		seg_load_real(c, sr, sel);
		if (sr == SEG_SS)
			mode_update(c);
		return;
	}
	struct seg s;
	if (sr == SEG_SS)
		seg_check_ss(c, sel, c->cpl, EXC_GP, c->mode == MODE_LONG && c->cpl < 3, 0, &s);
	else
		seg_check_data(c, sr, sel, c->cpl, &s);
	c->seg[sr] = s;
	if (sr == SEG_SS)
		mode_update(c);
}

void seg_null_outer(struct cpu *c)
{
	static const int regs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
	for (unsigned i = 0; i < 4; i++) {
		struct seg *s = &c->seg[regs[i]];
		int dpl = (s->attr & SA_DPL) >> 5;
		bool conforming_code = (s->attr & SA_S) && (s->attr & 0xc) == 0xc;
		/* APM: a segment register the new CPL may not access is made null */
		if (!conforming_code && dpl < c->cpl)
			seg_make_null(s, 0);
	}
}

void seg_commit_cs(struct cpu *c, const struct seg *cs, int cpl, const struct seg *ss)
{
	c->seg[SEG_CS] = *cs;
	if (ss)
		c->seg[SEG_SS] = *ss;
	c->cpl = cpl;
	mode_update(c);
}
