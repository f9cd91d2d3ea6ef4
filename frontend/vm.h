/* SPDX-License-Identifier: MIT */
/* One emulated PC built from the options: machine, RAM, firmware stub,
 * devices and the loaded guest. Rebuilt from scratch on a reset. */
#ifndef PAC_FRONTEND_VM_H
#define PAC_FRONTEND_VM_H
#include "options.h"
#include "sinks.h"
#include "trace.h"
#include "../bios/bios.h"
#include "../iodev/iodev.h"
#include "../iodev/pc.h"
#include "../iodev/memtype_probe.h"

struct vm {
	pac_machine *m;
	struct boot_layout layout;
	struct uart16550 uart[MAX_SERIAL];
	unsigned nuart;
	struct debug_exit dexit;
	struct debugcon dcon;
	struct postcode post;
	struct shutdown_port shut;
	bool has_dexit;
	struct memtype_probe *probe; /* -device pac-memtype-probe (docs/testing.md) */
	struct pc_platform pc; /* PIC, PIT, CMOS, HPET, ACPI PM, 8042, PCI, fw_cfg */
	bool has_pc;
};
/* The sinks live as long as the process (one per COM port + debugcon). */
struct vm_sinks {
	struct sink serial[MAX_SERIAL];
	struct sink debugcon;
};

int vm_open_sinks(struct vm_sinks *s, const struct options *o);
void vm_close_sinks(struct vm_sinks *s);
/* Builds and loads the machine; on failure prints one line, returns -1. */
int vm_create(struct vm *vm, const struct options *o, struct vm_sinks *s, struct trace *t);
void vm_destroy(struct vm *vm);
#endif
