/* SPDX-License-Identifier: MIT */
/* QEMU-style command line: "-opt value" (or "--opt value"). Every problem is
 * reported as one line on stderr; the caller exits with EXIT_USAGE. */
#include <stdio.h>
#include <string.h>
#include "optvalues.h"

#define DEFAULT_RAM (128ull << 20) /* QEMU's default */
#define PACIFICA_VERSION "0.1"

enum opt_id {
	O_KERNEL, O_APPEND, O_INITRD, O_M, O_SMP, O_CPU, O_SERIAL, O_DEVICE, O_DEBUGCON,
	O_NOGRAPHIC, O_DISPLAY, O_NODEFAULTS, O_NOREBOOT, O_FDA, O_D, O_DLOG, O_ICOUNT,
	O_HELP, O_VERSION, O_NOACPI, O_RTC
};
static const struct { const char *name; enum opt_id id; bool arg; } opts[] = {
	{ "kernel", O_KERNEL, true }, { "append", O_APPEND, true }, { "initrd", O_INITRD, true },
	{ "m", O_M, true }, { "smp", O_SMP, true }, { "cpu", O_CPU, true },
	{ "serial", O_SERIAL, true }, { "device", O_DEVICE, true }, { "debugcon", O_DEBUGCON, true },
	{ "nographic", O_NOGRAPHIC, false }, { "display", O_DISPLAY, true },
	{ "nodefaults", O_NODEFAULTS, false }, { "no-reboot", O_NOREBOOT, false },
	{ "fda", O_FDA, true }, { "d", O_D, true }, { "D", O_DLOG, true },
	{ "icount-limit", O_ICOUNT, true }, { "h", O_HELP, false }, { "help", O_HELP, false },
	{ "version", O_VERSION, false }, { "no-acpi", O_NOACPI, false }, { "rtc", O_RTC, true },
};

void print_usage(void)
{
	printf("Usage: pacifica [options]\n"
	       "Boots a Multiboot kernel (-kernel), a boot sector (-fda) or, with neither,\n"
	       "the bundled demo guest.\n\n"
	       "  -kernel FILE        Multiboot v1 kernel (ELF32, ELF64 or a.out kludge)\n"
	       "  -append STRING      kernel command line\n"
	       "  -initrd \"F A,F A\"   Multiboot modules, each 'file args' (',,' = literal comma)\n"
	       "  -fda IMG            boot sector 0 of IMG at 0000:7C00 in real mode (DL=0)\n"
	       "  -m SIZE             guest RAM, MiB or with a suffix: 512M, 1G (default 128M)\n"
	       "  -smp N              number of CPUs (1-64)\n"
	       "  -cpu MODEL          CPU model (-cpu help lists them)\n"
	       "  -serial DEV         next COM port: stdio, file:PATH, null, none (default stdio)\n"
	       "  -debugcon DEV       port 0xE9 console: stdio, file:PATH, null, none (default null)\n"
	       "  -device isa-debug-exit[,iobase=0xf4][,iosize=0x4]\n"
	       "                      exit with status (value << 1) | 1 on a write to the port\n"
	       "  -nodefaults         no default devices (no COM1 unless -serial, no port 0xE9)\n"
	       "  -no-reboot          exit on triple fault instead of resetting the machine\n"
	       "  -nographic, -display none   accepted (there is no display)\n"
	       "  -d CAT,...          log: insn, exec, cpu, int, stats, unimp, guest_errors, mmu\n"
	       "                      (-d help lists them)\n"
	       "  -D FILE             write the -d log to FILE instead of stderr\n"
	       "  -icount-limit N     stop after N instructions (suffixes k, M, G)\n"
	       "  -no-acpi            no ACPI tables (the MP table stays)\n"
	       "  -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS]  RTC start (default 2026-01-01)\n"
	       "  -h, -help           this text;  -version  the version\n\n"
	       "Exit status: isa-debug-exit (value << 1) | 1; 0 guest powered off (port 0x8900);\n"
	       "2 bad option; 4 bad kernel/disk file; 6 HLT with interrupts off; 8 triple fault\n"
	       "(-no-reboot); 10 -icount-limit reached; 12 unimplemented; 14 internal error.\n");
}

static int take_sink(const char *opt, const char *v, struct options *o, enum opt_id id)
{
	if (id == O_DEBUGCON) {
		o->debugcon_given = true;
		return parse_sink(opt, v, &o->debugcon);
	}
	if (o->nserial == MAX_SERIAL)
		return opt_error("-serial: at most %d serial ports", MAX_SERIAL);
	return parse_sink(opt, v, &o->serial[o->nserial++]);
}

static int apply(enum opt_id id, const char *v, struct options *o)
{
	switch (id) {
	case O_KERNEL: o->kernel = v; return 0;
	case O_APPEND: o->append = v; return 0;
	case O_INITRD: o->initrd = v; return 0;
	case O_FDA: o->fda = v; return 0;
	case O_M: return parse_mem_size(v, &o->ram_bytes);
	case O_SMP: return parse_smp(v, &o->smp);
	case O_CPU: return parse_cpu(v, o);
	case O_SERIAL: return take_sink("-serial", v, o, id);
	case O_DEBUGCON: return take_sink("-debugcon", v, o, id);
	case O_DEVICE:
		if (!strcmp(v, "help")) {
			printf("Devices for -device:\n  isa-debug-exit  iobase=N (default 0x501), iosize=N (default 2)\n"
			       "  pac-memtype-probe  emulator-only memory-type probe at 0xFEB00000 (docs/testing.md)\n");
			return 1;
		}
		return parse_device(v, o);
	case O_NOGRAPHIC: o->nographic = true; return 0;
	case O_DISPLAY:
		return strcmp(v, "none") ? opt_error("-display: only 'none' is supported (got '%s')", v) : 0;
	case O_NODEFAULTS: o->nodefaults = true; return 0;
	case O_NOREBOOT: o->no_reboot = true; return 0;
	case O_D: return parse_dmask(v, &o->dmask);
	case O_DLOG: o->dlog = v; return 0;
	case O_ICOUNT: return parse_count("-icount-limit", v, &o->icount_limit);
	case O_HELP: print_usage(); return 1;
	case O_VERSION: printf("Pacifica emulator version %s\n", PACIFICA_VERSION); return 1;
	case O_NOACPI: o->no_acpi = true; return 0;
	case O_RTC: return parse_rtc(v, o);
	}
	return -1;
}

static int check_combination(const struct options *o)
{
	if (o->kernel && o->fda)
		return opt_error("-kernel and -fda cannot be combined (no disk controller yet)");
	if (!o->kernel && o->append)
		return opt_error("-append only allowed with -kernel");
	if (!o->kernel && o->initrd)
		return opt_error("-initrd only allowed with -kernel");
	return 0;
}

int parse_options(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	o->ram_bytes = DEFAULT_RAM;
	o->smp = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == 0)
			return opt_error("unexpected argument '%s' (kernels need -kernel, disk images -fda)", a);
		const char *name = a + 1 + (a[1] == '-');
		size_t k = 0;
		while (k < sizeof opts / sizeof opts[0] && strcmp(opts[k].name, name) != 0)
			k++;
		if (k == sizeof opts / sizeof opts[0])
			return opt_error("unknown option '%s' (try -help)", a);
		const char *v = NULL;
		if (opts[k].arg) {
			if (i + 1 >= argc)
				return opt_error("option '%s' needs an argument", a);
			v = argv[++i];
		}
		int r = apply(opts[k].id, v, o);
		if (r)
			return r;
	}
	return check_combination(o);
}
