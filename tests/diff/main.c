/* SPDX-License-Identifier: MIT */
/* pacdiff: runs N generated cases natively and in libpaccpu and compares.
 * Usage: pacdiff [--cases N] [--seed S] [--classes int|sse|all] [--tap] [--list] [--max-report K]
 * Exit 0 when every case matches. On a non-AMD host the flags the APM
 * leaves undefined are masked (they follow the vendor); on AMD hosts the
 * comparison is exact. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "pacifica/pacifica.h"

static const char *const gname[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
				       "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };

static void print_code(const struct dcase *dc)
{
	char buf[128];
	for (unsigned i = 0; i < dc->ninsns && i < 64; i++) {
		unsigned off = dc->insn_off[i];
		unsigned end = i + 1 < dc->ninsns ? dc->insn_off[i + 1] : dc->len;
		printf("#   ");
		for (unsigned k = off; k < end; k++)
			printf("%02x ", dc->code[k]);
		pac_disasm_at(dc->code + off, end - off, dc->mode32 ? 32 : 64, DIFF_CODE_ADDR + off, buf,
			      sizeof buf);
		printf("%*s%s\n", (int)(3 * (16 - (end - off))), "", buf);
	}
}

/* Compares; prints the differences if report. Returns true when equal. */
static bool compare(const struct dcase *dc, const struct dstate *in, const struct dstate *nat,
		    const struct dstate *emu, bool report)
{
	bool ok = true;
	for (int i = 0; i < 16; i++) {
		/* 32-bit code leaves the upper halves of RAX..RDI undefined (APM 3.1.2.3) */
		uint64_t m = dc->mode32 && i < 8 ? 0xffffffffull : ~0ull;
		if (!((nat->gpr[i] ^ emu->gpr[i]) & m))
			continue;
		{
			ok = false;
			if (report)
				printf("#   %-6s init %016" PRIx64 " native %016" PRIx64 " pacifica %016" PRIx64 "\n",
				       gname[i], in->gpr[i], nat->gpr[i], emu->gpr[i]);
		}
	}
	uint64_t mask = 0xcd5 & ~(uint64_t)dc->undef;
	if ((nat->rflags ^ emu->rflags) & mask) {
		ok = false;
		if (report)
			printf("#   rflags init %05" PRIx64 " native %05" PRIx64 " pacifica %05" PRIx64
			       " (compared bits %03" PRIx64 ")\n", in->rflags, nat->rflags, emu->rflags, mask);
	}
	for (int i = 0; i < 16; i++)
		if (memcmp(nat->xmm[i], emu->xmm[i], 16)) {
			ok = false;
			if (report) {
				uint64_t a[2], b[2], c[2];
				memcpy(a, in->xmm[i], 16);
				memcpy(b, nat->xmm[i], 16);
				memcpy(c, emu->xmm[i], 16);
				printf("#   xmm%-3d init %016" PRIx64 "%016" PRIx64 " native %016" PRIx64 "%016" PRIx64
				       " pacifica %016" PRIx64 "%016" PRIx64 "\n", i, a[1], a[0], b[1], b[0], c[1], c[0]);
			}
		}
	if (nat->mxcsr != emu->mxcsr) {
		ok = false;
		if (report)
			printf("#   mxcsr init %08x native %08x pacifica %08x\n", in->mxcsr, nat->mxcsr, emu->mxcsr);
	}
	for (unsigned i = 0; i < DIFF_DATA_SIZE; i++)
		if (nat->data[i] != emu->data[i]) {
			ok = false;
			if (report)
				printf("#   data[%u] native %02x pacifica %02x\n", i, nat->data[i], emu->data[i]);
			break;
		}
	return ok;
}

int main(int argc, char **argv)
{
	unsigned long cases = 2000, max_report = 10;
	uint64_t seed = 1;
	bool tap = false, list = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			cases = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--max-report") && i + 1 < argc)
			max_report = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--classes") && i + 1 < argc) {
			const char *c = argv[++i];
			gen_classes = !strcmp(c, "int")  ? GEN_INT | GEN_COMPAT
				      : !strcmp(c, "sse") ? GEN_SSE
							  : GEN_INT | GEN_SSE | GEN_COMPAT;
		} else if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!strcmp(argv[i], "--tap"))
			tap = true;
		else {
			fprintf(stderr, "pacdiff: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	char why[128];
	if (!native_available(why, sizeof why)) {
		printf("ok - diff against the host CPU # SKIP %s\n", why);
		return 0;
	}
	bool amd = host_is_amd();
	if (!amd)
		printf("# host CPU is not AMD: comparing architecturally defined results only "
		       "(flags the APM leaves undefined are masked)\n");
	struct rng r = { seed * 0x9e3779b97f4a7c15ull + 12345 };
	unsigned long pass = 0, fail = 0, skipped = 0;
	for (unsigned long k = 0; k < cases; k++) {
		static struct dcase dc;
		static struct dstate in, nat, emu;
		char err[200] = "";
		gen_case(&r, &dc, &in, amd);
		if (list) {
			printf("# case %lu\n", k);
			print_code(&dc);
		}
		int nr = native_run(&dc, &in, &nat);
		int er = emu_run(&dc, &in, &emu, err, sizeof err);
		bool ok;
		if (nr && er) {
			ok = true; /* both faulted: the generator produced a faulting case */
			skipped++;
		} else if (nr || er) {
			ok = false;
		} else {
			ok = compare(&dc, &in, &nat, &emu, false);
		}
		if (ok) {
			pass++;
			continue;
		}
		fail++;
		if (fail <= max_report) {
			printf("# mismatch in case %lu (seed %" PRIu64 "):\n", k, seed);
			print_code(&dc);
			if (nr)
				printf("#   native run faulted (signal %d)\n", nat.faulted);
			else if (er)
				printf("#   pacifica stopped: %s\n", err);
			else
				compare(&dc, &in, &nat, &emu, true);
		}
	}
	if (tap) {
		printf("%s - diff against the host CPU: %lu cases, %lu mismatches%s\n", fail ? "not ok" : "ok",
		       cases, fail, amd ? "" : " (defined results only: host is not AMD)");
	} else {
		printf("%lu passed, %lu failed\n", pass, fail);
	}
	(void)skipped;
	return fail ? 1 : 0;
}
