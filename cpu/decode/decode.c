/* SPDX-License-Identifier: MIT */
/* Table-driven decoder: prefixes, REX/VEX, opcode maps, ModRM/SIB,
 * displacement and immediates (APM vol. 3 ch. 1). Row selection reads the
 * rows of opcodes.def; nothing here knows individual instructions. */
#include <stddef.h>
#include "insn.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* Per (map, opcode): first row index and count in the sorted index. */
struct opslot {
	uint16_t first, count;
	uint8_t modrm; /* any row has ModRM */
};
static struct opslot slots[NMAPS][256];
static uint16_t sorted[4096];
static int decode_ready;

void decode_init(void)
{
	if (decode_ready)
		return;
	unsigned n = 0;
	for (int map = 0; map < NMAPS; map++) {
		for (int opc = 0; opc < 256; opc++) {
			struct opslot *s = &slots[map][opc];
			s->first = (uint16_t)n;
			for (unsigned i = 0; i < op_nrows && n < 4096; i++) {
				const struct oprow *r = &op_rows[i];
				if (r->map != map || r->opc != opc)
					continue;
				sorted[n++] = (uint16_t)i;
				if (r->flags & F_MODRM)
					s->modrm = 1;
			}
			s->count = (uint16_t)(n - s->first);
		}
	}
	decode_ready = 1;
}

/* Byte source: either the CPU's instruction fetch or a plain buffer. */
struct src {
	struct cpu *c;       /* NULL for buffers */
	const uint8_t *buf;
	size_t n;
	gla_t gla;           /* linear address of byte 0 (CPU mode) */
	uint64_t rip;
	unsigned pos;
	bool bad;            /* buffer mode: ran past the end */
	uint8_t *out;        /* in->bytes */
	const uint8_t *win;  /* host pointer of the current code page (CPU mode) */
	uint64_t win_page;   /* its linear page address */
};

/* Fetch one code byte at linear address lin: through the code-page window
 * when possible, else through the TLB slow path (which may fault). */
static MAYFAULT uint8_t fetch_lin(struct src *s, uint64_t lin)
{
	struct cpu *c = s->c;
	if (s->win && (lin & ~0xfffull) == s->win_page)
		return s->win[lin & 0xfff];
	unsigned acc = ACC_X | (c->cpl == 3 ? ACC_USER : 0);
	uint8_t b = (uint8_t)lin_read(c, lin, 1, acc);
	struct tlb_entry *e = tlb_lookup(c, lin);
	if (e && e->hva && ((e->perm >> acc) & 1)) {
		s->win = e->hva;
		s->win_page = lin & ~0xfffull;
	}
	return b;
}

static MAYFAULT uint8_t next_byte(struct src *s)
{
	uint8_t b;
	if (s->pos >= 15) {
		if (s->c)
			raise_gp0(s->c); /* instruction longer than 15 bytes (APM 1.1) */
		s->bad = true;
		return 0;
	}
	if (!s->c) {
		if (s->pos >= s->n) {
			s->bad = true;
			return 0;
		}
		b = s->buf[s->pos];
	} else {
		struct cpu *c = s->c;
		uint64_t off = s->rip + s->pos;
		if (c->mode != MODE_LONG) {
			const struct seg *cs = &c->seg[SEG_CS];
			if ((c->code_bits == 16 ? (uint32_t)off & 0xffffffffu : (uint32_t)off) > cs->limit)
				raise_gp0(c);
			off = (uint32_t)(cs->base + (uint32_t)off);
		} else if (!is_canonical(off, cpu_va_bits(c))) {
			raise_gp0(c);
		}
		b = fetch_lin(s, off);
	}
	s->out[s->pos++] = b;
	return b;
}

static MAYFAULT uint64_t next_n(struct src *s, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)next_byte(s) << (8 * i);
	return v;
}

static int pfx_sel(const struct insn *in)
{
	if (in->rep == 0xF3)
		return P_F3;
	if (in->rep == 0xF2)
		return P_F2;
	return in->pfx66 ? P_66 : P_NONE;
}

static const struct oprow *select_row(const struct insn *in, int map, int opc, bool has_modrm)
{
	const struct opslot *s = &slots[map][opc];
	int psel = pfx_sel(in);
	int mod = has_modrm ? ((in->modrm >> 6) == 3 ? M_REG : M_MEM) : M_ANY;
	int reg = (in->modrm >> 3) & 7, rm = in->modrm & 7;
	/* a row whose mode check would #UD yields to a later row valid in this
	 * mode (63: MOVSXD in 64-bit mode, ARPL elsewhere); it still matches
	 * when nothing else does, so the row check raises the #UD */
	const struct oprow *wrong_mode = NULL;
	for (unsigned i = 0; i < s->count; i++) {
		const struct oprow *r = &op_rows[sorted[s->first + i]];
		if (!!(r->flags & F_VEX) != !!in->vex)
			continue;
		if (r->pfx != P_ANY && r->pfx != psel)
			continue;
		if (has_modrm) {
			if (r->mod != M_ANY && r->mod != mod)
				continue;
			if (r->reg != X && r->reg != reg)
				continue;
			if (r->rm != X && (mod != M_REG || r->rm != rm))
				continue;
		}
		if ((r->flags & (in->mode64 ? F_NO64 : F_ONLY64)) != 0) {
			if (!wrong_mode)
				wrong_mode = r;
			continue;
		}
		return r;
	}
	return wrong_mode;
}

static MAYFAULT void decode_modrm_mem(struct src *s, struct insn *in)
{
	int mod = in->mod, rm = in->modrm & 7;
	in->has_mem = 1;
	in->index = BASE_NONE;
	in->scale = 0;
	if (in->addrsize == 2) {
		static const uint8_t b16[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
		static const uint8_t i16[8] = { 6, 7, 6, 7, BASE_NONE, BASE_NONE, BASE_NONE, BASE_NONE };
		in->base = b16[rm];
		in->index = i16[rm];
		if (mod == 0 && rm == 6) {
			in->base = BASE_NONE;
			in->disp = (int16_t)next_n(s, 2);
		} else if (mod == 1) {
			in->disp = (int8_t)next_byte(s);
		} else if (mod == 2) {
			in->disp = (int16_t)next_n(s, 2);
		}
		if ((rm == 2 || rm == 3 || (rm == 6 && mod != 0)) && in->seg_ovr == SEG_NONE)
			in->seg = SEG_SS; /* BP-based forms default to SS */
		return;
	}
	int base = rm;
	if (rm == 4) {
		uint8_t sib = next_byte(s);
		int idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
		in->scale = sib >> 6;
		in->index = idx == 4 ? BASE_NONE : (uint8_t)idx;
		base = sib & 7;
		if (base == 5 && mod == 0) {
			in->base = BASE_NONE;
			in->disp = (int32_t)next_n(s, 4);
			return;
		}
	} else if (rm == 5 && mod == 0) {
		in->base = in->mode64 ? BASE_RIP : BASE_NONE;
		in->disp = (int32_t)next_n(s, 4);
		return;
	}
	in->base = (uint8_t)(base | ((in->rex & 1) << 3));
	if (mod == 1)
		in->disp = (int8_t)next_byte(s);
	else if (mod == 2)
		in->disp = (int32_t)next_n(s, 4);
	if ((in->base == 4 || in->base == 5) && in->seg_ovr == SEG_NONE)
		in->seg = SEG_SS; /* rSP/rBP-based forms default to SS */
}

static void set_sizes(struct insn *in, const struct oprow *r, int mode_bits)
{
	uint32_t f = r->flags;
	if (f & F_BYTE) {
		in->opsize = 1;
	} else if (mode_bits == 64) {
		if ((in->rex & 8) && !(f & F_NOREX_W))
			in->opsize = 8;
		else if (f & F_F64)
			in->opsize = 8;
		else if (in->pfx66)
			in->opsize = 2;
		else
			in->opsize = (f & F_D64) ? 8 : 4;
	} else {
		bool o16 = (mode_bits == 16) != !!in->pfx66;
		in->opsize = o16 ? 2 : 4;
	}
}

static MAYFAULT void read_imm(struct src *s, struct insn *in, int kind)
{
	switch (kind) {
	case I_B: in->imm = next_byte(s); break;
	case I_W: in->imm = next_n(s, 2); break;
	case I_Z: in->imm = next_n(s, in->opsize == 2 ? 2 : 4); break;
	case I_V: in->imm = next_n(s, in->opsize); break;
	case I_WB:
		in->imm = next_n(s, 2);
		in->imm2 = next_byte(s);
		break;
	case I_AP:
		in->imm = next_n(s, in->opsize == 2 ? 2 : 4);
		in->imm2 = next_n(s, 2);
		break;
	case I_O: in->disp = (int64_t)next_n(s, in->addrsize); break;
	default: break;
	}
}

/* Legacy prefixes, REX and VEX. Returns the first opcode byte. */
static MAYFAULT int read_prefixes(struct src *s, struct insn *in, int mode_bits)
{
	static const int8_t segpfx[256] = {
		[0x26] = SEG_ES + 1, [0x2e] = SEG_CS + 1, [0x36] = SEG_SS + 1,
		[0x3e] = SEG_DS + 1, [0x64] = SEG_FS + 1, [0x65] = SEG_GS + 1,
	};
	for (;;) {
		int b = next_byte(s);
		if (s->bad)
			return -1;
		if (segpfx[b]) {
			int sg = segpfx[b] - 1;
			/* 64-bit mode ignores ES/CS/SS/DS overrides (APM 1.2.4) */
			if (mode_bits != 64 || sg >= SEG_FS)
				in->seg_ovr = (uint8_t)sg;
			in->rex = 0;
			continue;
		}
		switch (b) {
		case 0x66: in->pfx66 = 1; in->rex = 0; continue;
		case 0x67: in->addrsize = 0xff; in->rex = 0; continue;
		case 0xF0: in->lock = 1; in->rex = 0; continue;
		case 0xF2: case 0xF3: in->rep = (uint8_t)b; in->rex = 0; continue;
		default: break;
		}
		if (mode_bits == 64 && (b & 0xf0) == 0x40) {
			in->rex = (uint8_t)b; /* only effective if the opcode follows */
			continue;
		}
		return b;
	}
}

/* VEX (C4/C5). In legacy modes C4/C5 are VEX only when ModRM.mod == 3. */
static MAYFAULT bool read_vex(struct src *s, struct insn *in, int b, int mode_bits, int *map)
{
	if (mode_bits != 64) {
		uint8_t peek;
		if (s->c) {
			unsigned save = s->pos;
			peek = next_byte(s);
			s->pos = save;
		} else {
			if (s->pos >= s->n)
				return false;
			peek = s->buf[s->pos];
		}
		if ((peek >> 6) != 3)
			return false;
	}
	if (in->rex || in->pfx66 || in->rep || in->lock)
		return true; /* VEX after these prefixes: #UD, flagged by vex = 2 */
	uint8_t b1 = next_byte(s), b2;
	int r, xb = 0, bb = 0, w = 0, mm = 1;
	if (b == 0xC5) {
		r = !(b1 & 0x80);
		b2 = b1;
	} else {
		r = !(b1 & 0x80);
		xb = !(b1 & 0x40);
		bb = !(b1 & 0x20);
		mm = b1 & 0x1f;
		b2 = next_byte(s);
		w = b2 >> 7;
	}
	if (mode_bits != 64) { /* R/X/B/vvvv[3] are ignored outside 64-bit mode */
		r = xb = bb = 0;
	}
	in->vex = 1;
	in->rex = (uint8_t)(0x40 | (w << 3) | (r << 2) | (xb << 1) | bb);
	if (in->rex == 0x40)
		in->rex = 0;
	in->vvvv = (uint8_t)((~b2 >> 3) & (mode_bits == 64 ? 15 : 7));
	in->vex_l = (b2 >> 2) & 1;
	static const uint8_t pp[4] = { 0, 0x66, 0xF3, 0xF2 };
	if (pp[b2 & 3] == 0x66)
		in->pfx66 = 1;
	else if (pp[b2 & 3])
		in->rep = pp[b2 & 3];
	*map = (mm >= 1 && mm <= 3) ? mm : -1;
	return true;
}

/* Core decoder shared by the CPU and buffer paths. Returns false on #UD. */
static MAYFAULT bool decode_common(struct src *s, struct insn *in, int mode_bits, int stack_seg_default)
{
	(void)stack_seg_default;
	memset(in, 0, offsetof(struct insn, bytes));
	in->seg = SEG_DS;
	in->seg_ovr = SEG_NONE;
	in->mode64 = mode_bits == 64;
	int b = read_prefixes(s, in, mode_bits);
	if (b < 0)
		return false;
	bool a_ovr = in->addrsize == 0xff;
	in->addrsize = (uint8_t)(mode_bits == 64 ? (a_ovr ? 4 : 8)
					       : ((mode_bits == 16) != a_ovr ? 2 : 4));
	int map = MAP_1B;
	if ((b == 0xC4 || b == 0xC5)) {
		if (read_vex(s, in, b, mode_bits, &map)) {
			if (!in->vex || map < 0)
				return false;
			b = next_byte(s);
		}
	}
	if (!in->vex && b == 0x0F) {
		map = MAP_0F;
		b = next_byte(s);
		if (b == 0x38) {
			map = MAP_0F38;
			b = next_byte(s);
		} else if (b == 0x3A) {
			map = MAP_0F3A;
			b = next_byte(s);
		}
	}
	if (s->bad)
		return false;
	in->map = (uint8_t)map;
	in->opc = (uint8_t)b;
	const struct opslot *slot = &slots[map][b];
	bool has_modrm = slot->modrm;
	if (has_modrm) {
		in->modrm = next_byte(s);
		in->mod = in->modrm >> 6;
		in->reg = (uint8_t)(((in->modrm >> 3) & 7) | ((in->rex & 4) << 1));
		in->rm = (uint8_t)((in->modrm & 7) | ((in->rex & 1) << 3));
	} else {
		/* opcodes with the register in the low 3 bits (50+r, B8+r, ...) */
		in->reg = (uint8_t)((b & 7) | ((in->rex & 1) << 3));
		in->rm = in->reg;
	}
	if (in->seg_ovr != SEG_NONE)
		in->seg = in->seg_ovr;
	const struct oprow *r = select_row(in, map, b, has_modrm);
	if (!r)
		return false;
	in->row = r;
	in->exec = r->exec;
	set_sizes(in, r, mode_bits);
	if (has_modrm && in->mod != 3 && !(r->flags & F_MODREG))
		decode_modrm_mem(s, in);
	read_imm(s, in, r->imm);
	in->len = (uint8_t)s->pos;
	return !s->bad;
}

extern void op_ud(struct cpu *c, const struct insn *in);

MAYFAULT void decode_insn(struct cpu *c, struct insn *in)
{
	struct src s = { .c = c, .rip = c->rip, .out = in->bytes };
	if (!decode_common(&s, in, c->code_bits, 0)) {
		in->len = (uint8_t)s.pos;
		in->row = NULL;
		in->exec = op_ud;
	}
}

int decode_bytes(const uint8_t *b, size_t n, int mode_bits, struct insn *in)
{
	decode_init();
	struct src s = { .c = NULL, .buf = b, .n = n, .out = in->bytes };
	if (!decode_common(&s, in, mode_bits, 0) || !in->row)
		return 0;
	return in->len;
}
