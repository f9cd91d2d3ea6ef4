/* SPDX-License-Identifier: MIT */
/* Intel-syntax disassembler driven by the opcode rows' operand strings
 * (DESIGN rule 2: the decoder, disassembler and tracer read the same rows).
 * Operand tokens are documented in docs/disasm.md. */
#include <stdio.h>
#include "insn.h"

struct out {
	char *p;
	size_t left;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->p, o->left, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= o->left)
		n = o->left ? (int)o->left - 1 : 0;
	o->p += n;
	o->left -= (size_t)n;
}

static const char *const r64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
				     "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const r32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
				     "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const r16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
				     "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
static const char *const r8x[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
				     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
static const char *const r8l[8] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *const sregs[8] = { "es", "cs", "ss", "ds", "fs", "gs", "?s6", "?s7" };
static const char *const ccs[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
				     "s", "ns", "p", "np", "l", "ge", "le", "g" };

static const char *gpr_name(const struct insn *in, int r, int size)
{
	switch (size) {
	case 1: return (in->rex || in->vex) ? r8x[r & 15] : r8l[r & 7];
	case 2: return r16[r & 15];
	case 4: return r32[r & 15];
	default: return r64[r & 15];
	}
}

/* size letter -> bytes (0 = none/unknown) */
static int size_of(const struct insn *in, char s)
{
	switch (s) {
	case 'b': return 1;
	case 'w': return 2;
	case 'd': return 4;
	case 'q': return 8;
	case 'v': return in->opsize;
	case 'z': return in->opsize == 2 ? 2 : 4;
	case 'y': return in->opsize == 8 ? 8 : 4;
	case 't': return 10;
	case 'x': case 'o': return 16;
	default: return 0;
	}
}

static const char *ptr_name(int bytes)
{
	switch (bytes) {
	case 1: return "byte ptr ";
	case 2: return "word ptr ";
	case 4: return "dword ptr ";
	case 8: return "qword ptr ";
	case 10: return "tbyte ptr ";
	case 16: return "xmmword ptr ";
	default: return "";
	}
}

static void mem_operand(struct out *o, const struct insn *in, int bytes)
{
	static const char *const b16[8] = { "bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx" };
	put(o, "%s", ptr_name(bytes));
	if (in->seg_ovr != SEG_NONE)
		put(o, "%s:", sregs[in->seg_ovr]);
	put(o, "[");
	bool any = false;
	if (in->addrsize == 2 && in->has_mem) {
		if (!(in->mod == 0 && (in->modrm & 7) == 6)) {
			put(o, "%s", b16[in->modrm & 7]);
			any = true;
		}
	} else {
		const char *const *names = in->addrsize == 8 ? r64 : r32;
		if (in->base == BASE_RIP) {
			put(o, "rip");
			any = true;
		} else if (in->base != BASE_NONE) {
			put(o, "%s", names[in->base]);
			any = true;
		}
		if (in->index != BASE_NONE) {
			put(o, "%s%s*%d", any ? "+" : "", names[in->index], 1 << in->scale);
			any = true;
		}
	}
	int64_t d = in->disp;
	if (in->addrsize == 2)
		d = any ? (int16_t)d : (uint16_t)d;
	else if (in->addrsize == 4 && !any)
		d = (uint32_t)d;
	if (!any)
		put(o, "%#llx", (unsigned long long)d);
	else if (d > 0)
		put(o, "+%#llx", (unsigned long long)d);
	else if (d < 0)
		put(o, "-%#llx", (unsigned long long)-d);
	put(o, "]");
}

static void imm_operand(struct out *o, const struct insn *in, char s)
{
	uint64_t v = in->imm;
	switch (s) {
	case 'b': put(o, "%#llx", (unsigned long long)(v & 0xff)); break;
	case 's': /* sign-extended byte, shown at operand size */
		put(o, "%#llx", (unsigned long long)(sext(v, 1) & size_mask(in->opsize)));
		break;
	case 'w': put(o, "%#llx", (unsigned long long)(v & 0xffff)); break;
	case 'z':
		if (in->opsize == 8)
			put(o, "%#llx", (unsigned long long)sext(v, 4));
		else
			put(o, "%#llx", (unsigned long long)(v & size_mask(in->opsize)));
		break;
	default: put(o, "%#llx", (unsigned long long)v); break;
	}
}

/* One operand token, see docs/disasm.md. Returns false for unknown tokens
 * (printed literally). */
static bool operand(struct out *o, const struct insn *in, const char *t, size_t n, uint64_t rip)
{
	char k = t[0], s = n > 1 ? t[1] : (t[0] == 'M' ? 0 : 'v');
	int bytes = size_of(in, s);
	switch (k) {
	case 'E': case 'Q': case 'W': case 'M':
		if (in->has_mem) {
			mem_operand(o, in, k == 'M' && n == 1 ? 0 : (k == 'W' && n == 1 ? 16 : bytes));
			return true;
		}
		if (k == 'W') {
			put(o, "xmm%d", in->rm);
			return true;
		}
		if (k == 'Q') {
			put(o, "mm%d", in->rm & 7);
			return true;
		}
		put(o, "%s", gpr_name(in, in->rm, bytes));
		return true;
	case 'G': put(o, "%s", gpr_name(in, in->reg, bytes)); return true;
	case 'R': put(o, "%s", gpr_name(in, in->rm, bytes)); return true;
	case 'Z': put(o, "%s", gpr_name(in, in->reg, bytes)); return true;
	case 'B': put(o, "%s", gpr_name(in, in->vvvv, bytes)); return true;
	case 'V': put(o, "xmm%d", in->reg); return true;
	case 'U': put(o, "xmm%d", in->rm); return true;
	case 'P': put(o, "mm%d", in->reg & 7); return true;
	case 'N': put(o, "mm%d", in->rm & 7); return true;
	case 'S': put(o, "%s", sregs[in->reg & 7]); return true;
	case 'C': put(o, "cr%d", in->reg); return true;
	case 'D': put(o, "dr%d", in->reg); return true;
	case 'F': put(o, "st(%d)", in->modrm & 7); return true;
	case 'I': imm_operand(o, in, s); return true;
	case 'J': {
		uint64_t d = s == 'b' ? sext(in->imm, 1) : sext(in->imm, in->opsize == 2 ? 2 : 4);
		uint64_t t2 = rip + in->len + d;
		if (in->opsize == 2)
			t2 &= 0xffff;
		else if (!in->mode64)
			t2 &= 0xffffffff;
		put(o, "%#llx", (unsigned long long)t2);
		return true;
	}
	case 'O': mem_operand(o, in, bytes); return true;
	case 'A':
		put(o, "%#llx:%#llx", (unsigned long long)in->imm2, (unsigned long long)in->imm);
		return true;
	default: return false;
	}
}

static void mnemonic(struct out *o, const struct insn *in)
{
	const struct oprow *r = in->row;
	if (in->lock)
		put(o, "lock ");
	if ((r->flags & F_REP) && in->rep)
		put(o, in->rep == 0xF3 ? "rep " : "repne ");
	const char *n = r->name;
	if (!strcmp(n, "j") || !strcmp(n, "set") || !strcmp(n, "cmov")) {
		put(o, "%s%s", n, ccs[in->opc & 15]);
	} else if (!strcmp(n, "cbw")) {
		put(o, "%s", in->opsize == 2 ? "cbw" : in->opsize == 4 ? "cwde" : "cdqe");
	} else if (!strcmp(n, "cwd")) {
		put(o, "%s", in->opsize == 2 ? "cwd" : in->opsize == 4 ? "cdq" : "cqo");
	} else {
		put(o, "%s", n);
	}
}

static int disasm_insn(const struct insn *in, uint64_t rip, char *buf, size_t len)
{
	struct out o = { buf, len };
	if (len)
		buf[0] = 0;
	mnemonic(&o, in);
	const char *p = in->row->ops;
	bool first = true;
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		put(&o, first ? " " : ", ");
		first = false;
		/* literal register names (AL, DX, rAX, eAX, 1, ST0 ...) are printed lower-case */
		/* a token is one capital optionally followed by lower-case size letters;
		 * anything else (AL, DX, rAX, eAX, 1, ST0) is a literal */
		bool token = n >= 1 && p[0] >= 'A' && p[0] <= 'Z';
		for (size_t i = 1; i < n && token; i++)
			token = p[i] >= 'a' && p[i] <= 'z';
		if (!token || !operand(&o, in, p, n, rip)) {
			if ((p[0] == 'r' || p[0] == 'e') && n == 3 && p[1] == 'A')
				put(&o, "%s", gpr_name(in, 0, p[0] == 'e' ? (in->opsize == 2 ? 2 : 4) : in->opsize));
			else
				for (size_t i = 0; i < n; i++)
					put(&o, "%c", p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
		}
		p = e ? e + 1 : NULL;
	}
	return in->len;
}

int pac_disasm_at(const uint8_t *bytes, size_t len, int mode, uint64_t rip, char *out, size_t outlen)
{
	struct insn in;
	if (mode != 16 && mode != 32 && mode != 64)
		return 0;
	if (!decode_bytes(bytes, len, mode, &in)) {
		if (outlen)
			snprintf(out, outlen, "(bad)");
		return 0;
	}
	return disasm_insn(&in, rip, out, outlen);
}

int pac_disasm(const uint8_t *bytes, size_t len, int mode, char *out, size_t outlen)
{
	return pac_disasm_at(bytes, len, mode, 0, out, outlen);
}
