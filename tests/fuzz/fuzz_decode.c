/* SPDX-License-Identifier: MIT */
/* libFuzzer harness (a): decode and disassemble arbitrary bytes in 16-,
 * 32- and 64-bit modes with output buffers of every size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pacifica/pacifica.h"
#include "decode/insn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_len(int len, size_t avail)
{
	if (len < 0 || len > 15 || (size_t)len > avail)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int modes[3] = { 16, 32, 64 };
	static int ready;
	if (!ready) {
		decode_init();
		ready = 1;
	}
	if (size < 1)
		return 0;
	size_t outlen = data[0] % 97; /* 0 .. 96: small buffers must truncate safely */
	data++, size--;
	for (int i = 0; i < 3; i++) {
		struct insn in;
		char *out = malloc(outlen ? outlen : 1);
		check_len(decode_bytes(data, size, modes[i], &in), size);
		check_len(pac_disasm(data, size, modes[i], out, outlen), size);
		check_len(pac_disasm_at(data, size, modes[i], 0xfffffffffffffff0ull, out, outlen), size);
		if (outlen && !memchr(out, 0, outlen))
			abort(); /* output must be NUL-terminated */
		free(out);
	}
	return 0;
}
