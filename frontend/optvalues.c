/* SPDX-License-Identifier: MIT */
/* Option value parsers: sizes, counts, character sinks, -device, -d, -cpu. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "optvalues.h"
#include "pacifica/pacifica.h"

#define MIN_RAM (2ull << 20)
#define MAX_RAM (1ull << 40)

int opt_error(const char *fmt, ...)
{
	va_list ap;
	fputs("pacifica: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

/* Splits a number from a one-letter suffix; returns the suffix or 0. */
static int split_suffix(const char *s, char *num, size_t cap)
{
	size_t n = strlen(s);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(num, s, n + 1);
	char last = num[n - 1];
	if (n > 1 && strchr("kKmMgGtT", last)) { /* none of these is a hex digit */
		num[n - 1] = 0;
		return last;
	}
	return 0;
}

int parse_mem_size(const char *s, uint64_t *bytes)
{
	char num[64];
	uint64_t v;
	const char *arg = strncmp(s, "size=", 5) == 0 ? s + 5 : s;
	int suf = split_suffix(arg, num, sizeof num);
	if (suf < 0 || parse_u64(num, &v))
		return opt_error("-m: invalid memory size '%s' (examples: 128, 512M, 1G)", s);
	int shift = suf == 'k' || suf == 'K' ? 10 : suf == 'g' || suf == 'G' ? 30
		  : suf == 't' || suf == 'T' ? 40 : 20; /* no suffix: MiB, as QEMU */
	if (v > (MAX_RAM >> shift) || (v << shift) > MAX_RAM)
		return opt_error("-m: memory size '%s' is too large (at most 1T)", s);
	v <<= shift;
	if (v < MIN_RAM)
		return opt_error("-m: memory size '%s' is too small (at least 2M)", s);
	if (v & 0xfff)
		return opt_error("-m: memory size '%s' is not a multiple of 4 KiB", s);
	*bytes = v;
	return 0;
}

int parse_smp(const char *s, unsigned *n)
{
	uint64_t v;
	const char *arg = strncmp(s, "cpus=", 5) == 0 ? s + 5 : s;
	if (parse_u64(arg, &v) || v < 1 || v > 64)
		return opt_error("-smp: invalid CPU count '%s' (1 to 64)", s);
	*n = (unsigned)v;
	return 0;
}

int parse_count(const char *opt, const char *s, uint64_t *v)
{
	char num[64];
	int suf = split_suffix(s, num, sizeof num);
	uint64_t mul = suf == 'k' || suf == 'K' ? 1000ull : suf == 'm' || suf == 'M' ? 1000000ull
		     : suf == 'g' || suf == 'G' ? 1000000000ull : suf == 0 ? 1 : 0;
	if (suf < 0 || mul == 0 || parse_u64(num, v) || *v > UINT64_MAX / mul)
		return opt_error("%s: invalid count '%s' (examples: 1000000, 50M, 2G)", opt, s);
	*v *= mul;
	return 0;
}

int parse_sink(const char *opt, const char *s, struct sink_spec *sp)
{
	if (!strcmp(s, "stdio") || !strcmp(s, "mon:stdio"))
		*sp = (struct sink_spec){ SINK_STDIO, NULL };
	else if (!strcmp(s, "none"))
		*sp = (struct sink_spec){ SINK_NONE, NULL };
	else if (!strcmp(s, "null"))
		*sp = (struct sink_spec){ SINK_NULL, NULL };
	else if (!strncmp(s, "file:", 5) && s[5])
		*sp = (struct sink_spec){ SINK_FILE, s + 5 };
	else
		return opt_error("%s: unsupported character device '%s' (stdio, file:PATH, null, none)", opt, s);
	return 0;
}

static int device_prop(const char *prop, struct options *o)
{
	const char *eq = strchr(prop, '=');
	uint64_t v;
	if (!eq || parse_u64(eq + 1, &v))
		return opt_error("-device isa-debug-exit: bad property '%s' (iobase=N, iosize=N)", prop);
	size_t klen = (size_t)(eq - prop);
	if (klen == 6 && !strncmp(prop, "iobase", 6) && v <= 0xffff)
		o->debug_exit_iobase = (uint16_t)v;
	else if (klen == 6 && !strncmp(prop, "iosize", 6) && v >= 1 && v <= 0x100)
		o->debug_exit_iosize = (uint16_t)v;
	else
		return opt_error("-device isa-debug-exit: bad property '%s' (iobase=0..0xffff, iosize=1..0x100)", prop);
	return 0;
}

int parse_device(const char *s, struct options *o)
{
	char buf[256];
	if (strlen(s) >= sizeof buf)
		return opt_error("-device: argument too long");
	strcpy(buf, s);
	char *save = NULL, *name = strtok_r(buf, ",", &save);
	if (name && !strcmp(name, "pac-memtype-probe")) {
		o->memtype_probe = true;
		return strtok_r(NULL, ",", &save) ? opt_error("-device pac-memtype-probe takes no properties") : 0;
	}
	if (!name || strcmp(name, "isa-debug-exit") != 0)
		return opt_error("-device: unknown device '%s' (supported: isa-debug-exit, pac-memtype-probe)", name ? name : "");
	o->debug_exit = true;
	o->debug_exit_iobase = 0x501; /* QEMU's defaults */
	o->debug_exit_iosize = 2;
	for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (device_prop(p, o))
			return -1;
	if (o->debug_exit_iobase + o->debug_exit_iosize > 0x10000)
		return opt_error("-device isa-debug-exit: port range beyond 0xffff");
	return 0;
}

static const struct { const char *name; unsigned bit; const char *help; } dcats[] = {
	{ "insn", D_INSN, "each instruction: CPU, CS:RIP, bytes, disassembly" },
	{ "in_asm", D_INSN, "same as insn" },
	{ "exec", D_EXEC, "each instruction: CPU and CS:RIP only" },
	{ "cpu", D_CPU, "registers before each instruction" },
	{ "int", D_INT, "exceptions and interrupts: vector, error code, RIP" },
	{ "stats", D_STATS, "statistics at exit: instructions, cycles, TLB, exceptions" },
	{ "unimp", D_UNIMP, "unimplemented features (always shown when they stop the guest)" },
	{ "guest_errors", D_GUEST_ERRORS, "guest misbehaviour the CPU library reports" },
	{ "mmu", D_MMU, "MMU messages from the CPU library" },
};

int parse_dmask(const char *s, unsigned *mask)
{
	char buf[256];
	if (!strcmp(s, "help")) {
		printf("Log categories for -d (comma-separated):\n");
		for (size_t i = 0; i < sizeof dcats / sizeof dcats[0]; i++)
			printf("  %-13s %s\n", dcats[i].name, dcats[i].help);
		return 1;
	}
	if (strlen(s) >= sizeof buf)
		return opt_error("-d: argument too long");
	strcpy(buf, s);
	char *save = NULL;
	for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < sizeof dcats / sizeof dcats[0] && strcmp(dcats[i].name, p) != 0)
			i++;
		if (i == sizeof dcats / sizeof dcats[0])
			return opt_error("-d: unknown log category '%s' (try -d help)", p);
		*mask |= dcats[i].bit;
	}
	return 0;
}

static int list_models(void)
{
	printf("Available CPU models (-cpu MODEL[,+feature,-feature,feature=on|off...]):\n");
	const char *const *names = pac_cpu_models();
	for (int i = 0; names[i]; i++)
		printf("  %s%s\n", names[i], i == 0 ? " (default)" : "");
	printf("\nRecognized CPUID flags:\n ");
	const char *const *feats = pac_cpu_features();
	unsigned col = 1;
	for (int i = 0; feats[i]; i++) {
		size_t n = strlen(feats[i]) + 1;
		if (col + n > 78) {
			printf("\n ");
			col = 1;
		}
		printf(" %s", feats[i]);
		col += n;
	}
	printf("\n");
	return 1;
}

/* Checks "+feat,-feat,feat=on|off" against the library's feature names. */
static int check_features(const char *model, const char *list)
{
	struct pac_config cfg = { .ncpus = 1, .cpu_model = model, .cpu_features = list };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m)
		return opt_error("-cpu %s,%s: unknown CPU feature flags or bad modifier (try -cpu help)", model, list);
	pac_destroy(m);
	return 0;
}

int parse_cpu(const char *s, struct options *o)
{
	if (!strcmp(s, "help") || !strcmp(s, "?"))
		return list_models();
	size_t n = strcspn(s, ",");
	const char *const *names = pac_cpu_models();
	for (int i = 0; names[i]; i++) {
		if (strlen(names[i]) != n || strncmp(names[i], s, n) != 0)
			continue;
		o->cpu_model = names[i];
		o->cpu_features = s[n] ? s + n + 1 : NULL;
		return o->cpu_features ? check_features(names[i], o->cpu_features) : 0;
	}
	return opt_error("-cpu: unknown CPU model '%.*s' (try -cpu help)", (int)n, s);
}
