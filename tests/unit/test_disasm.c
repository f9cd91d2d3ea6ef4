/* SPDX-License-Identifier: MIT */
/* Disassembler output for representative rows (Intel syntax). */
#include "test.h"
#include "pacifica/pacifica.h"

struct dcase {
	int mode;
	uint64_t rip;
	unsigned len;
	uint8_t b[15];
	const char *want;
};

static const struct dcase cases[] = {
	{ 64, 0, 3, { 0x48, 0x01, 0xd8 }, "add rax, rbx" },
	{ 32, 0, 2, { 0x01, 0xd8 }, "add eax, ebx" },
	{ 16, 0, 2, { 0x01, 0xd8 }, "add ax, bx" },
	{ 64, 0, 4, { 0x48, 0x83, 0xc0, 0xff }, "add rax, 0xffffffffffffffff" },
	{ 64, 0, 8, { 0x48, 0x8b, 0x44, 0x98, 0x10 }, "mov rax, qword ptr [rax+rbx*4+0x10]" },
	{ 64, 0x1000, 7, { 0x48, 0x8b, 0x05, 0xf9, 0x0f, 0, 0 }, "mov rax, qword ptr [rip+0xff9]" },
	{ 64, 0x1000, 2, { 0x75, 0xfe }, "jne 0x1000" },
	{ 32, 0x100, 5, { 0xe8, 0x00, 0x01, 0, 0 }, "call 0x205" },
	{ 16, 0, 3, { 0x8b, 0x46, 0x04 }, "mov ax, word ptr [bp+0x4]" },
	{ 64, 0, 2, { 0x88, 0xe0 }, "mov al, ah" },
	{ 64, 0, 3, { 0x40, 0x88, 0xe0 }, "mov al, spl" },
	{ 64, 0, 10, { 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8 }, "mov rax, 0x807060504030201" },
	{ 64, 0, 1, { 0x98 }, "cwde" },
	{ 64, 0, 2, { 0x48, 0x99 }, "cqo" },
	{ 64, 0, 4, { 0xf0, 0x0f, 0xb1, 0x0b }, "lock cmpxchg dword ptr [rbx], ecx" },
	{ 64, 0, 3, { 0x0f, 0x94, 0xc0 }, "sete al" },
	{ 32, 0, 1, { 0xf4 }, "hlt" },
	{ 32, 0, 2, { 0xe6, 0xe9 }, "out 0xe9, al" },
	{ 32, 0, 1, { 0xec }, "in al, dx" },
	{ 64, 0, 3, { 0x64, 0x8b, 0x03 }, "mov eax, dword ptr fs:[rbx]" },
};

int main(void)
{
	char buf[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct dcase *d = &cases[i];
		int n = pac_disasm_at(d->b, d->len, d->mode, d->rip, buf, sizeof buf);
		CHECK(n > 0 && !strcmp(buf, d->want), "case %zu: got '%s' (len %d), want '%s'", i, buf, n, d->want);
	}
	/* truncated input is rejected, not over-read */
	static const uint8_t trunc[] = { 0x48, 0xb8, 1, 2 };
	CHECK(pac_disasm(trunc, sizeof trunc, 64, buf, sizeof buf) == 0, "truncated");
	return test_done("disasm");
}
