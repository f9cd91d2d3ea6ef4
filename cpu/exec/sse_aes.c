/* SPDX-License-Identifier: MIT */
/* AES-NI (AESENC/AESENCLAST/AESDEC/AESDECLAST/AESIMC/AESKEYGENASSIST) and
 * PCLMULQDQ. The state is the XMM register with byte i = row i % 4,
 * column i / 4 (FIPS-197 order, as the SDM's pseudo-code). The S-boxes are
 * computed once from their definition (inverse in GF(2^8) + affine map). */
#include "sse.h"

static uint8_t sbox[256], inv_sbox[256];
static bool sbox_ready;

static uint8_t rotl8(uint8_t x, int s) { return (uint8_t)((x << s) | (x >> (8 - s))); }
static uint8_t xtime(uint8_t x) { return (uint8_t)((x << 1) ^ ((x & 0x80) ? 0x1b : 0)); }

static uint8_t gmul(uint8_t a, uint8_t b)
{
	uint8_t r = 0;
	for (int i = 0; i < 8; i++) {
		if (b & 1)
			r ^= a;
		a = xtime(a);
		b >>= 1;
	}
	return r;
}

/* walks generator 3 and its inverse through GF(2^8)* (FIPS-197 5.1.1) */
static void sbox_init(void)
{
	uint8_t p = 1, q = 1;
	do {
		p = (uint8_t)(p ^ (p << 1) ^ ((p & 0x80) ? 0x1b : 0));
		q ^= (uint8_t)(q << 1);
		q ^= (uint8_t)(q << 2);
		q ^= (uint8_t)(q << 4);
		if (q & 0x80)
			q ^= 0x09;
		uint8_t s = (uint8_t)(q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63);
		sbox[p] = s;
	} while (p != 1);
	sbox[0] = 0x63;
	for (int i = 0; i < 256; i++)
		inv_sbox[sbox[i]] = (uint8_t)i;
	sbox_ready = true;
}

static void shift_rows(union xmm *s, bool inv)
{
	union xmm r;
	for (int c = 0; c < 4; c++)
		for (int row = 0; row < 4; row++) {
			int from = inv ? (c - row + 4) % 4 : (c + row) % 4;
			r.b[row + 4 * c] = s->b[row + 4 * from];
		}
	*s = r;
}

static void sub_bytes(union xmm *s, bool inv)
{
	for (int i = 0; i < 16; i++)
		s->b[i] = inv ? inv_sbox[s->b[i]] : sbox[s->b[i]];
}

static void mix_columns(union xmm *s, bool inv)
{
	static const uint8_t fwd[4] = { 2, 3, 1, 1 }, bwd[4] = { 14, 11, 13, 9 };
	const uint8_t *m = inv ? bwd : fwd;
	for (int c = 0; c < 4; c++) {
		uint8_t col[4], out[4];
		memcpy(col, s->b + 4 * c, 4);
		for (int row = 0; row < 4; row++) {
			out[row] = 0;
			for (int k = 0; k < 4; k++)
				out[row] ^= gmul(col[k], m[(k - row + 4) % 4]);
		}
		memcpy(s->b + 4 * c, out, 4);
	}
}

/* 66 0F 38 DB-DF: AESIMC, AESENC, AESENCLAST, AESDEC, AESDECLAST */
void op_aes_round(struct cpu *c, const struct insn *in)
{
	if (!sbox_ready)
		sbox_init();
	union xmm k, st;
	sse_src(c, in, &k, 16, true);
	if (in->opc == 0xdb) {
		mix_columns(&k, true);
		*xreg(c, in->reg) = k;
		return;
	}
	st = *xreg(c, in->reg);
	bool dec = in->opc >= 0xde, last = in->opc == 0xdd || in->opc == 0xdf;
	shift_rows(&st, dec);
	sub_bytes(&st, dec);
	if (!last)
		mix_columns(&st, dec);
	st.q[0] ^= k.q[0];
	st.q[1] ^= k.q[1];
	*xreg(c, in->reg) = st;
}

static uint32_t sub_word(uint32_t w)
{
	uint32_t r = 0;
	for (int i = 0; i < 4; i++)
		r |= (uint32_t)sbox[(w >> (8 * i)) & 0xff] << (8 * i);
	return r;
}

/* 66 0F 3A DF ib: AESKEYGENASSIST */
void op_aes_keygen(struct cpu *c, const struct insn *in)
{
	if (!sbox_ready)
		sbox_init();
	union xmm s, d;
	sse_src(c, in, &s, 16, true);
	uint32_t rcon = (uint32_t)(in->imm & 0xff);
	uint32_t x1 = sub_word(s.d[1]), x3 = sub_word(s.d[3]);
	d.d[0] = x1;
	d.d[1] = ((x1 >> 8) | (x1 << 24)) ^ rcon;
	d.d[2] = x3;
	d.d[3] = ((x3 >> 8) | (x3 << 24)) ^ rcon;
	*xreg(c, in->reg) = d;
}

/* 66 0F 3A 44 ib: PCLMULQDQ: carry-less product of dest.q[imm[0]] and
 * src.q[imm[4]] */
void op_pclmulqdq(struct cpu *c, const struct insn *in)
{
	union xmm s, *d = xreg(c, in->reg);
	sse_src(c, in, &s, 16, true);
	uint64_t a = d->q[in->imm & 1], b = s.q[(in->imm >> 4) & 1], lo = 0, hi = 0;
	for (int i = 0; i < 64; i++) {
		if ((b >> i) & 1) {
			lo ^= a << i;
			hi ^= i ? a >> (64 - i) : 0;
		}
	}
	d->q[0] = lo;
	d->q[1] = hi;
}
