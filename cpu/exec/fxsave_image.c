/* SPDX-License-Identifier: MIT */
/* FXSAVE image builder/parser (see fxsave.h). */
#include "fxsave.h"

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

uint8_t fx_abridged_tag(uint16_t ftw)
{
	uint8_t t = 0;
	for (int i = 0; i < 8; i++)
		if (((ftw >> (2 * i)) & 3) != 3)
			t |= (uint8_t)(1u << i);
	return t;
}

/* full tag of a non-empty register: 00 valid, 01 zero, 10 special */
static unsigned tag_of(const struct fpreg *r)
{
	unsigned e = r->sexp & 0x7fff;
	if (e == 0x7fff)
		return 2;
	if (e == 0)
		return r->mant ? 2 : 1;
	return (r->mant >> 63) ? 0 : 2;
}

uint16_t fx_full_tag(const struct fpu *f, uint8_t abridged)
{
	uint16_t t = 0;
	for (int i = 0; i < 8; i++)
		t |= (uint16_t)(((abridged >> i) & 1 ? tag_of(&f->st[i]) : 3u) << (2 * i));
	return t;
}

void fx_put_x87(const struct cpu *c, uint8_t *img, bool fmt64)
{
	const struct fpu *f = &c->fpu;
	memset(img, 0, 24);
	put16(img + 0, f->fcw);
	put16(img + 2, f->fsw);
	img[4] = fx_abridged_tag(f->ftw);
	put16(img + 6, f->fop & 0x7ff);
	if (fmt64) {
		put64(img + 8, f->fip);
		put64(img + 16, f->fdp);
	} else {
		put32(img + 8, (uint32_t)f->fip);
		put16(img + 12, f->fcs);
		put32(img + 16, (uint32_t)f->fdp);
		put16(img + 20, f->fds);
	}
	int top = (f->fsw >> 11) & 7;
	for (int i = 0; i < 8; i++) {
		const struct fpreg *r = &f->st[(top + i) & 7];
		uint8_t *p = img + FX_ST + 16 * i;
		memset(p, 0, 16);
		put64(p, r->mant);
		put16(p + 8, r->sexp);
	}
}

void fx_get_x87(struct cpu *c, const uint8_t *img, bool fmt64)
{
	struct fpu *f = &c->fpu;
	f->fcw = get16(img + 0);
	f->fsw = get16(img + 2);
	f->fop = get16(img + 6) & 0x7ff;
	if (fmt64) {
		f->fip = get64(img + 8);
		f->fdp = get64(img + 16);
		f->fcs = f->fds = 0;
	} else {
		f->fip = get32(img + 8);
		f->fcs = get16(img + 12);
		f->fdp = get32(img + 16);
		f->fds = get16(img + 20);
	}
	int top = (f->fsw >> 11) & 7;
	for (int i = 0; i < 8; i++) {
		struct fpreg *r = &f->st[(top + i) & 7];
		r->mant = get64(img + FX_ST + 16 * i);
		r->sexp = get16(img + FX_ST + 16 * i + 8);
	}
	f->ftw = fx_full_tag(f, img[4]);
}

void fx_put_mxcsr(const struct cpu *c, uint8_t *img)
{
	put32(img + FX_MXCSR, c->mxcsr);
	put32(img + FX_MXCSR_MASK, 0x0000ffffu);
}

uint32_t fx_get_mxcsr(const uint8_t *img) { return get32(img + FX_MXCSR); }

void fx_put_xmm(const struct cpu *c, uint8_t *img, int n)
{
	for (int i = 0; i < n; i++)
		memcpy(img + FX_XMM + 16 * i, c->xmm[i].b, 16);
}

void fx_get_xmm(struct cpu *c, const uint8_t *img, int n)
{
	for (int i = 0; i < n; i++)
		memcpy(c->xmm[i].b, img + FX_XMM + 16 * i, 16);
}

void fx_init_x87(struct cpu *c)
{
	memset(&c->fpu, 0, sizeof c->fpu);
	c->fpu.fcw = 0x037f;
	c->fpu.ftw = 0xffff;
}
