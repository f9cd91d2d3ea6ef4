/* SPDX-License-Identifier: MIT */
/* Later general-purpose extensions in the 0F 38 map: MOVBE, CRC32 and
 * ADCX/ADOX (APM vol. 3). */
#include "handlers.h"
#include "../core/flags.h"

static uint64_t byteswap(uint64_t v, int sz)
{
	switch (sz) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

/* 0F 38 F0: MOVBE Gv, Mv;  0F 38 F1: MOVBE Mv, Gv (memory forms only) */
void op_movbe(struct cpu *c, const struct insn *in)
{
	int sz = in->opsize;
	if (in->opc == 0xf0)
		greg_write(c, in, sz, byteswap(rm_read(c, in, sz), sz));
	else
		rm_write(c, in, sz, byteswap(greg_read(c, in, sz), sz));
}

/* CRC32-C (Castagnoli, reflected polynomial 0x82F63B78), bytes taken from
 * least to most significant (APM "CRC32"). */
static uint32_t crc32c(uint32_t crc, uint64_t data, int bytes)
{
	for (int i = 0; i < bytes; i++) {
		crc ^= (uint32_t)(data >> (8 * i)) & 0xff;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	}
	return crc;
}

/* F2 0F 38 F0 (byte source) / F1 (16/32/64-bit source). The destination
 * is 32 bits, or 64 with REX.W (result zero-extended). No flags change. */
void op_crc32(struct cpu *c, const struct insn *in)
{
	int ssz = in->opc == 0xf0 ? 1 : in->opsize;
	int dsz = (in->rex & 8) ? 8 : 4;
	uint64_t src = rm_read(c, in, ssz);
	uint32_t crc = crc32c((uint32_t)greg_read(c, in, 4), src, ssz);
	reg_write(c, in->reg, dsz, false, crc);
}

/* 66 0F 38 F6 ADCX (carry in/out through CF), F3 0F 38 F6 ADOX (through OF).
 * Operand size is 32 bits, 64 with REX.W; other flags are unchanged. */
void op_adcx_adox(struct cpu *c, const struct insn *in)
{
	int sz = (in->mode64 && (in->rex & 8)) ? 8 : 4;
	uint64_t flag = in->rep == 0xF3 ? FL_OF : FL_CF;
	uint64_t a = greg_read(c, in, sz), b = rm_read(c, in, sz);
	uint64_t cin = (c->rflags & flag) ? 1 : 0;
	uint64_t r = (a + b + cin) & size_mask(sz);
	bool cout = r < a || (cin && r == a);
	greg_write(c, in, sz, r);
	c->rflags = (c->rflags & ~flag) | (cout ? flag : 0);
}
