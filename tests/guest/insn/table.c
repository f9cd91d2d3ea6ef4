/* Expected results worked out by hand from the APM vol. 3 instruction
 * pages (results, and flags from each page's "Flags Affected"; undefined
 * flags are masked out). Cross-checked by running the same stubs on a host
 * CPU and under QEMU TCG. */
#include "insn.h"

#define S(x) insn_fn x;
S(s_add64) S(s_add32) S(s_add16) S(s_add8) S(s_add8h) S(s_adc64) S(s_adc32)
S(s_sub64) S(s_sub32) S(s_sbb64) S(s_sbb8) S(s_cmp64) S(s_cmp8) S(s_neg64)
S(s_neg32) S(s_inc64) S(s_inc8) S(s_dec32) S(s_not64) S(s_and64) S(s_or32)
S(s_xor64) S(s_test8) S(s_and_imm8) S(s_shl64) S(s_shl32) S(s_shl8) S(s_shr64)
S(s_sar64) S(s_sar32) S(s_rol64) S(s_ror32) S(s_rcl64) S(s_rcr8) S(s_rcl8)
S(s_shld64) S(s_shrd32i) S(s_mul64) S(s_mul32) S(s_mul8) S(s_imul64a)
S(s_imul64b) S(s_imul64c) S(s_imul16a) S(s_div64) S(s_div32) S(s_div8)
S(s_idiv64) S(s_idiv32) S(s_bsf64) S(s_bsr32) S(s_bt64) S(s_bts64) S(s_btr32)
S(s_btc16i) S(s_bswap64) S(s_bswap32) S(s_xadd64) S(s_xchg32) S(s_cmpxchg64)
S(s_cmpxchg32) S(s_movsbq) S(s_movzwl) S(s_movslq) S(s_cbw) S(s_cwde) S(s_cdqe)
S(s_cqo) S(s_cwd) S(s_lea64) S(s_lea32) S(s_setcc) S(s_cmov) S(s_cmov32f)
S(s_popcnt64) S(s_popcnt32) S(s_lzcnt64) S(s_lzcnt32) S(s_tzcnt64) S(s_tzcnt16)
S(s_andn) S(s_bextr) S(s_blsi) S(s_blsmsk) S(s_blsr) S(s_bzhi) S(s_pdep)
S(s_pext) S(s_mulx) S(s_rorx) S(s_sarx) S(s_shlx32) S(s_shrx) S(s_adcx)
S(s_adox) S(s_movbe) S(s_crc32b) S(s_crc32w) S(s_crc32q) S(s_lahf) S(s_sahf)
S(s_cmc) S(s_stc) S(s_clc) S(s_enter_leave) S(s_push_pop)
#undef S

#define M1 0xffffffffffffffffull
#define R(name, fn, fi, a, c, d, fo, ea, ec, ed, mask) \
	{ name, fn, { 2 | (fi), a, c, d }, { 2 | (fo), ea, ec, ed }, mask }

const struct insn_row insn_rows[] = {
	/* ADD: CF carry out, OF signed overflow, AF carry out of bit 3 */
	R("add64 1+2", s_add64, 0, 1, 2, 0, PF, 3, 2, 0, ARITH),
	R("add64 signed overflow", s_add64, 0, 0x7fffffffffffffff, 1, 0,
	  OF | SF | AF | PF, 0x8000000000000000, 1, 0, ARITH),
	R("add64 carry to zero", s_add64, 0, M1, 1, 0, CF | ZF | AF | PF, 0, 1, 0, ARITH),
	R("add32 zero-extends", s_add32, 0, 0x1234567800000001, 0xffffffff, 0,
	  CF | ZF | AF | PF, 0, 0xffffffff, 0, ARITH),
	R("add8 keeps upper bits", s_add8, 0, 0x123456789abcde7f, 1, 0, OF | SF | AF,
	  0x123456789abcde80, 1, 0, ARITH),
	R("add16 both negative", s_add16, 0, 0xffff0000ffff8000, 0x8000, 0,
	  CF | OF | ZF | PF, 0xffff0000ffff0000, 0x8000, 0, ARITH),
	R("add8 high bytes", s_add8h, 0, 0x0100, 0x0f00, 0, AF, 0x1000, 0x0f00, 0, ARITH),
	R("adc64 with CF", s_adc64, CF, 1, 1, 0, PF, 3, 1, 0, ARITH),
	R("adc32 carry chain", s_adc32, CF, 0xffffffff, 0, 0, CF | ZF | AF | PF, 0, 0, 0, ARITH),
	/* SUB/SBB/CMP: CF borrow */
	R("sub64 borrow", s_sub64, 0, 3, 5, 0, CF | SF | AF, 0xfffffffffffffffe, 5, 0, ARITH),
	R("sub64 signed overflow", s_sub64, 0, 0x8000000000000000, 1, 0, OF | AF | PF,
	  0x7fffffffffffffff, 1, 0, ARITH),
	R("sub32 equal", s_sub32, CF | SF, 5, 5, 0, ZF | PF, 0, 5, 0, ARITH),
	R("sbb64 borrow in", s_sbb64, CF, 0, 0, 0, CF | SF | AF | PF, M1, 0, 0, ARITH),
	R("sbb8 overflow", s_sbb8, CF, 0x80, 0, 0, OF | AF, 0x7f, 0, 0, ARITH),
	R("cmp64 keeps operands", s_cmp64, 0, 5, 7, 0, CF | SF | AF, 5, 7, 0, ARITH),
	R("cmp8 overflow", s_cmp8, 0, 0x80, 1, 0, OF | AF, 0x80, 1, 0, ARITH),
	/* NEG: CF = (src != 0) */
	R("neg64 zero", s_neg64, CF, 0, 0, 0, ZF | PF, 0, 0, 0, ARITH),
	R("neg64 one", s_neg64, 0, 1, 0, 0, CF | SF | AF | PF, M1, 0, 0, ARITH),
	R("neg32 min", s_neg32, 0, 0x80000000, 0, 0, OF | CF | SF | PF, 0x80000000, 0, 0, ARITH),
	/* INC/DEC leave CF alone */
	R("inc64 wraps, CF kept", s_inc64, CF, M1, 0, 0, CF | ZF | AF | PF, 0, 0, 0, ARITH),
	R("inc8 overflow", s_inc8, 0, 0x7f, 0, 0, OF | SF | AF, 0x80, 0, 0, ARITH),
	R("dec32 overflow", s_dec32, 0, 0x80000000, 0, 0, OF | AF | PF, 0x7fffffff, 0, 0, ARITH),
	R("not64 flags untouched", s_not64, CF | ZF, 0x00ff00ff00ff00ff, 0, 0, CF | ZF,
	  0xff00ff00ff00ff00, 0, 0, ARITH),
	/* logic: CF = OF = 0, AF undefined */
	R("and64 clears CF/OF", s_and64, CF | OF, 0xf0f0, 0xff00, 0, PF, 0xf000, 0xff00, 0, LOGIC),
	R("or32 sign", s_or32, 0, 0x80000000, 1, 0, SF, 0x80000001, 1, 0, LOGIC),
	R("xor64 self", s_xor64, 0, 0x1234, 0x1234, 0, ZF | PF, 0, 0x1234, 0, LOGIC),
	R("test8", s_test8, 0, 0x81, 0x80, 0, SF, 0x81, 0x80, 0, LOGIC),
	R("and imm8 sign-extended", s_and_imm8, 0, 0x123456789abcdeff, 0, 0, PF,
	  0x123456789abcdef0, 0, 0, LOGIC),
	/* shifts: OF defined for count 1 only, AF undefined */
	R("shl64 by 1", s_shl64, 0, 0x8000000000000001, 1, 0, CF | OF, 2, 1, 0, LOGIC),
	R("shl32 count masked to 5 bits", s_shl32, 0, 1, 33, 0, 0, 2, 33, 0, LOGIC),
	R("shl64 by 0 keeps flags", s_shl64, CF | ZF, 5, 0, 0, CF | ZF, 5, 0, 0, ARITH),
	R("shl8 by 2 to zero", s_shl8, 0, 0xc0, 2, 0, CF | ZF | PF, 0, 2, 0, CF | PF | ZF | SF),
	R("shr64 by 1", s_shr64, 0, 0x8000000000000001, 1, 0, CF | OF | PF,
	  0x4000000000000000, 1, 0, LOGIC),
	R("sar64 by 4", s_sar64, 0, 0x8000000000000000, 4, 0, SF | PF, 0xf800000000000000, 4, 0,
	  CF | PF | ZF | SF),
	R("sar32 by 1", s_sar32, OF, 0x80000001, 1, 0, CF | SF | PF, 0xc0000000, 1, 0, LOGIC),
	/* rotates change CF and OF only */
	R("rol64 by 1", s_rol64, ZF, 0x8000000000000001, 1, 0, ZF | CF | OF, 3, 1, 0, ARITH),
	R("ror32 by 1", s_ror32, 0, 1, 1, 0, CF | OF, 0x80000000, 1, 0, ARITH),
	R("rcl64 by 1 through CF", s_rcl64, CF, 0, 1, 0, 0, 1, 1, 0, ARITH),
	R("rcr8 by 1 through CF", s_rcr8, CF, 1, 1, 0, CF | OF, 0x80, 1, 0, ARITH),
	R("rcl8 by 9 is a full turn", s_rcl8, CF, 0x55, 9, 0, CF, 0x55, 9, 0, CF),
	R("shld64 by 1", s_shld64, 0, 1, 1, 0x8000000000000000, PF, 3, 1, 0x8000000000000000,
	  CF | PF | ZF | SF | OF),
	R("shrd32 by 4", s_shrd32i, 0, 0x12345678, 0, 0xabcdef01, CF, 0x11234567, 0, 0xabcdef01,
	  CF | PF | ZF | SF),
	/* MUL/IMUL: CF = OF = upper half significant; SF ZF AF PF undefined */
	R("mul64", s_mul64, 0, M1, 2, 0, CF | OF, 0xfffffffffffffffe, 2, 1, CF | OF),
	R("mul32 zero-extends", s_mul32, 0, 0xffffffff00010000, 0x10000, 0xffffffff00000000,
	  CF | OF, 0, 0x10000, 1, CF | OF),
	R("mul8 writes AX only", s_mul8, 0, 0xaaaa0010, 0x10, 7, CF | OF, 0xaaaa0100, 0x10, 7, CF | OF),
	R("imul64 one operand", s_imul64a, CF | OF, 0xfffffffffffffffe, 3, 0, 0, 0xfffffffffffffffa,
	  3, M1, CF | OF),
	R("imul64 two operands overflow", s_imul64b, 0, 0x4000000000000000, 2, 0, CF | OF,
	  0x8000000000000000, 2, 0, CF | OF),
	R("imul64 three operands", s_imul64c, 0, 0, 7, 0, 0, 0xffffffffffffffeb, 7, 0, CF | OF),
	R("imul16 one operand", s_imul16a, 0, 0x1111000000000100, 0x100, 0x2222000000000000,
	  CF | OF, 0x1111000000000000, 0x100, 0x2222000000000001, CF | OF),
	/* DIV/IDIV: all flags undefined; IDIV truncates toward zero */
	R("div64", s_div64, 0, 0, 2, 1, 0, 0x8000000000000000, 2, 0, 0),
	R("div32", s_div32, 0, 100, 7, 0, 0, 14, 7, 2, 0),
	R("div8", s_div8, 0, 0x0101, 2, 0, 0, 0x0180, 2, 0, 0),
	R("idiv64 negative", s_idiv64, 0, 0xfffffffffffffff9, 2, M1, 0, 0xfffffffffffffffd, 2, M1, 0),
	R("idiv32 both negative", s_idiv32, 0, 0xfffffff9, 0xfffffffe, 0xffffffff, 0, 3,
	  0xfffffffe, 0xffffffff, 0),
	/* bit scan and test */
	R("bsf64", s_bsf64, ZF, 0, 0x100, 0, 0, 8, 0x100, 0, ZF),
	R("bsf64 zero source keeps dest (AMD)", s_bsf64, 0, 0x1234, 0, 0, ZF, 0x1234, 0, 0, ZF),
	R("bsr32", s_bsr32, ZF, 0, 0x80000001, 0, 0, 31, 0x80000001, 0, ZF),
	R("bt64", s_bt64, 0, 0x10, 4, 0, CF, 0x10, 4, 0, CF),
	R("bts64 offset mod 64", s_bts64, CF, 0, 65, 0, 0, 2, 65, 0, CF),
	R("btr32", s_btr32, 0, 0xffffffff, 31, 0, CF, 0x7fffffff, 31, 0, CF),
	R("btc16 imm", s_btc16i, 0, 8, 0, 0, CF, 0, 0, 0, CF),
	R("bswap64", s_bswap64, 0, 0x0102030405060708, 0, 0, 0, 0x0807060504030201, 0, 0, ARITH),
	R("bswap32 zero-extends", s_bswap32, 0, 0xffffffff11223344, 0, 0, 0, 0x44332211, 0, 0, ARITH),
	/* exchange */
	R("xadd64", s_xadd64, 0, 5, 3, 0, 0, 8, 5, 0, ARITH),
	R("xchg32 zero-extends both", s_xchg32, 0, 0xffffffff00000001, 0xffffffff00000002, 0, 0,
	  2, 1, 0, ARITH),
	R("cmpxchg64 equal", s_cmpxchg64, 0, 7, 9, 7, ZF | PF, 7, 9, 9, ARITH),
	R("cmpxchg64 differ", s_cmpxchg64, 0, 7, 9, 8, CF | SF | AF | PF, 8, 9, 8, ARITH),
	R("cmpxchg32 differ loads EAX", s_cmpxchg32, 0, 0xffffffff00000001, 9, 2,
	  CF | SF | AF | PF, 2, 9, 2, ARITH),
	/* sign/zero extension */
	R("movsbq", s_movsbq, 0, 0, 0x80, 0, 0, 0xffffffffffffff80, 0x80, 0, ARITH),
	R("movzwl", s_movzwl, 0, M1, 0x8001, 0, 0, 0x8001, 0x8001, 0, ARITH),
	R("movslq", s_movslq, 0, 0, 0x80000000, 0, 0, 0xffffffff80000000, 0x80000000, 0, ARITH),
	R("cbw", s_cbw, 0, 0x12345680, 0, 0, 0, 0x1234ff80, 0, 0, ARITH),
	R("cwde zero-extends", s_cwde, 0, 0xffffffff12348000, 0, 0, 0, 0xffff8000, 0, 0, ARITH),
	R("cdqe", s_cdqe, 0, 0x80000000, 0, 0, 0, 0xffffffff80000000, 0, 0, ARITH),
	R("cqo", s_cqo, 0, 0x8000000000000000, 0, 0, 0, 0x8000000000000000, 0, M1, ARITH),
	R("cwd writes DX only", s_cwd, 0, 0x8000, 0, 0x1234567812345678, 0, 0x8000, 0,
	  0x123456781234ffff, ARITH),
	R("lea64 base+index*4+disp", s_lea64, 0, 0x100, 3, 0, 0, 0x100, 3, 0x11c, ARITH),
	R("lea32 address-size wrap", s_lea32, 0, 0xffffffff, 2, M1, 0, 0xffffffff, 2, 1, ARITH),
	/* conditions */
	R("setl/setb/setg after cmp -1,1", s_setcc, 0, M1, 1, 0, SF, 0xffffffffffffff00, 0, 1, ARITH),
	R("cmova/cmovl after cmp 5,3", s_cmov, 0, 5, 3, 0, 0, 5, 3, 3, ARITH),
	R("cmov32 not taken still zero-extends", s_cmov32f, 0, 1, 2, 0xffffffff00000001, ZF | PF,
	  1, 2, 1, ARITH),
	/* POPCNT/LZCNT/TZCNT (ABM, BMI1) */
	R("popcnt64", s_popcnt64, CF | SF | OF | AF | PF, 0, 0xf0f0f0f0f0f0f0f0, 0, 0, 32,
	  0xf0f0f0f0f0f0f0f0, 0, ARITH),
	R("popcnt32 zero", s_popcnt32, 0, 5, 0, 0, ZF, 0, 0, 0, ARITH),
	R("lzcnt64", s_lzcnt64, CF | ZF, 0, 1, 0, 0, 63, 1, 0, CF | ZF),
	R("lzcnt32 zero source", s_lzcnt32, 0, 0, 0, 0, CF, 32, 0, 0, CF | ZF),
	R("tzcnt64", s_tzcnt64, 0, 0, 0x100, 0, 0, 8, 0x100, 0, CF | ZF),
	R("tzcnt64 result zero", s_tzcnt64, 0, 0, 1, 0, ZF, 0, 1, 0, CF | ZF),
	R("tzcnt16 zero source", s_tzcnt16, 0, 0xffff0000, 0, 0, CF, 0xffff0010, 0, 0, CF | ZF),
	/* BMI1/BMI2: APM vol. 3 */
	R("andn", s_andn, CF | OF, 0, 0xfff, 0xff, 0, 0xf00, 0xfff, 0xff, CF | ZF | SF | OF),
	R("bextr start 4 len 8", s_bextr, CF, 0, 0x0804, 0x12345678, 0, 0x67, 0x0804, 0x12345678,
	  CF | ZF | OF),
	R("blsi", s_blsi, 0, 0, 0x14, 0, CF, 4, 0x14, 0, CF | ZF | SF | OF),
	R("blsmsk", s_blsmsk, CF, 0, 0x14, 0, 0, 7, 0x14, 0, CF | ZF | SF | OF),
	R("blsr zero source", s_blsr, 0, 5, 0, 0, CF | ZF, 0, 0, 0, CF | ZF | SF | OF),
	R("bzhi index 8", s_bzhi, CF, 0, 8, M1, 0, 0xff, 8, M1, CF | ZF | SF | OF),
	R("bzhi index past size", s_bzhi, 0, 0, 70, M1, CF | SF, M1, 70, M1, CF | ZF | SF | OF),
	R("pdep keeps flags", s_pdep, CF, 0, 0xf0, 5, CF, 0x50, 0xf0, 5, ARITH),
	R("pext", s_pext, 0, 0, 0xf0, 0x5a, 0, 5, 0xf0, 0x5a, ARITH),
	R("mulx", s_mulx, ZF, 0, 2, M1, ZF, 1, 0xfffffffffffffffe, M1, ARITH),
	R("rorx", s_rorx, 0, 0, 0x1122, 0, 0, 0x2200000000000011, 0x1122, 0, ARITH),
	R("sarx count mod 64", s_sarx, 0, 0, 0x8000000000000000, 65, 0, 0xc000000000000000,
	  0x8000000000000000, 65, ARITH),
	R("shlx32 count mod 32", s_shlx32, 0, M1, 1, 33, 0, 2, 1, 33, ARITH),
	R("shrx", s_shrx, 0, 0, 0x100, 4, 0, 0x10, 0x100, 4, ARITH),
	/* ADX: ADCX touches CF only, ADOX OF only */
	R("adcx", s_adcx, CF | OF | ZF, 1, 1, 0, OF | ZF, 3, 1, 0, ARITH),
	R("adox", s_adox, OF | SF, M1, 0, 0, OF | SF, 0, 0, 0, ARITH),
	R("movbe load", s_movbe, 0, 0, 0x0102030405060708, 0, 0, 0x0807060504030201,
	  0x0102030405060708, 0, ARITH),
	/* CRC32 uses the Castagnoli polynomial (reflected 0x82F63B78) */
	R("crc32b", s_crc32b, 0, 0xffffffff, 0x61, 0, 0, 0x3e2fbccf, 0x61, 0, ARITH),
	R("crc32w", s_crc32w, 0, 0x12345678, 0xabcd, 0, 0, 0xaae32043, 0xabcd, 0, ARITH),
	R("crc32q zero-extends", s_crc32q, 0, 0xaaaaaaaaffffffff, 0x0102030405060708, 0, 0,
	  0xd906fde3, 0x0102030405060708, 0, ARITH),
	/* flag transfer */
	R("lahf", s_lahf, SF | ZF | AF | PF | CF, 0, 0, 0, SF | ZF | AF | PF | CF, 0xd700, 0, 0, ARITH),
	R("sahf keeps OF", s_sahf, OF, 0xd500, 0, 0, OF | SF | ZF | AF | PF | CF, 0xd500, 0, 0, ARITH),
	R("cmc", s_cmc, CF | ZF, 0, 0, 0, ZF, 0, 0, 0, ARITH),
	R("stc", s_stc, 0, 0, 0, 0, CF, 0, 0, 0, ARITH),
	R("clc", s_clc, CF | OF, 0, 0, 0, OF, 0, 0, 0, ARITH),
	/* stack */
	R("enter 16,0 / leave", s_enter_leave, 0, 0, 0, 0, 0, 24, 0, 24, 0),
	R("push/pop 16-bit", s_push_pop, 0, 0x5555555555555555, 0x77, 0, 0, 0x5555555555551234,
	  0x77, 0x77, ARITH),
};
const unsigned insn_nrows = sizeof insn_rows / sizeof insn_rows[0];
