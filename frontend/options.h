/* SPDX-License-Identifier: MIT */
/* Command-line options of the pacifica command (QEMU-style). */
#ifndef PAC_FRONTEND_OPTIONS_H
#define PAC_FRONTEND_OPTIONS_H
#include <stdbool.h>
#include <stdint.h>

/* Exit statuses. Every status Pacifica chooses itself is even, so none
 * collides with isa-debug-exit's (value << 1) | 1. See docs/frontend.md. */
enum exit_status {
	EXIT_POWEROFF = 0,    /* "Shutdown" on port 0x8900, or -help/-version */
	EXIT_USAGE = 2,       /* bad option, missing argument, bad value */
	EXIT_LOAD = 4,        /* kernel/disk/module file missing or malformed, setup failed */
	EXIT_HALTED = 6,      /* HLT with interrupts disabled */
	EXIT_SHUTDOWN = 8,    /* triple fault / shutdown with -no-reboot */
	EXIT_LIMIT = 10,      /* -icount-limit reached */
	EXIT_UNIMPLEMENTED = 12,
	EXIT_INTERNAL = 14    /* internal error (or any other exit reason) */
};

enum sink_kind { SINK_NONE, SINK_NULL, SINK_STDIO, SINK_FILE };
struct sink_spec {
	enum sink_kind kind;
	const char *path; /* SINK_FILE */
};

/* -d categories */
enum {
	D_INSN = 1u << 0, D_INT = 1u << 1, D_EXEC = 1u << 2, D_CPU = 1u << 3,
	D_STATS = 1u << 4, D_UNIMP = 1u << 5, D_GUEST_ERRORS = 1u << 6, D_MMU = 1u << 7
};

#define MAX_SERIAL 4
struct options {
	const char *kernel, *append, *initrd, *fda;
	uint64_t ram_bytes;
	unsigned smp;
	const char *cpu_model; /* NULL: default model */
	const char *cpu_features; /* NULL or "+feat,-feat,..." after the model */
	struct sink_spec serial[MAX_SERIAL];
	unsigned nserial;      /* -serial options given */
	struct sink_spec debugcon;
	bool debugcon_given;
	bool debug_exit;       /* -device isa-debug-exit */
	bool memtype_probe;    /* -device pac-memtype-probe (emulator-only, docs/testing.md) */
	uint16_t debug_exit_iobase, debug_exit_iosize;
	bool nodefaults, no_reboot, nographic;
	unsigned dmask;
	const char *dlog;      /* -D FILE */
	uint64_t icount_limit; /* 0 = none */
	bool no_acpi;          /* -no-acpi: no ACPI tables (MP table only) */
	bool rtc_base_set;     /* -rtc base=... (frontend/rtcopt.c) */
	int64_t rtc_base;      /* seconds since 1970 */
};

/* Returns 0 to run, 1 when an informational option was handled (exit 0),
 * or -1 after printing a one-line error to stderr (exit EXIT_USAGE). */
int parse_options(int argc, char **argv, struct options *o);
void print_usage(void);

#endif
