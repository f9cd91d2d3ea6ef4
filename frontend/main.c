/* SPDX-License-Identifier: MIT */
/* The pacifica command: parse options, build the PC, run it, and turn the
 * way the run ended into an exit status (see options.h, docs/frontend.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "vm.h"

static int report(const struct pac_exit *ex, const char *what, int status)
{
	fflush(stdout); /* the guest's partial line first */
	fprintf(stderr, "pacifica: %s at RIP=%#" PRIx64 " (cpu %d, %" PRIu64 " instructions)%s%s\n",
		what, ex->rip, ex->cpu, ex->icount, ex->detail[0] ? ": " : "", ex->detail);
	return status;
}

/* HLT in the BIOS stub that vectors 0-7 point at (bios/firmware.c)? */
static bool in_unhandled_stub(const struct vm *vm, const struct pac_exit *ex)
{
	struct pac_regs r;
	if (pac_get_regs(vm->m, ex->cpu, &r) != PAC_OK)
		return false;
	return r.seg[PAC_CS].base == BIOS_ROM_BASE && ex->rip - FW_UNHANDLED_OFF < 4;
}

/* Returns an exit status, or -1 to reset the machine and go on. */
static int classify(const struct vm *vm, const struct options *o, const struct pac_exit *ex)
{
	switch (ex->reason) {
	case PAC_EXIT_STOP:
		if (vm->has_dexit && vm->dexit.fired)
			return (int)(((vm->dexit.value << 1) | 1) & 0xff); /* as exit() keeps it */
		if (vm->shut.fired || ex->stop_code == PC_STOP_POWEROFF)
			return EXIT_POWEROFF;
		if (ex->stop_code == PC_STOP_RESET)
			return o->no_reboot ? EXIT_POWEROFF : -1; /* QEMU: -no-reboot exits */
		return report(ex, "stopped", EXIT_INTERNAL);
	case PAC_EXIT_HLT:
		if (in_unhandled_stub(vm, ex))
			return report(ex, "real-mode exception with no handler (BIOS stub halted)", EXIT_HALTED);
		return report(ex, "guest halted with interrupts disabled", EXIT_HALTED);
	case PAC_EXIT_SHUTDOWN:
		if (!o->no_reboot)
			return -1;
		return report(ex, "guest shut down (triple fault)", EXIT_SHUTDOWN);
	case PAC_EXIT_LIMIT:
		return report(ex, "instruction limit (-icount-limit) reached", EXIT_LIMIT);
	case PAC_EXIT_UNIMPLEMENTED:
		return report(ex, "unimplemented", EXIT_UNIMPLEMENTED);
	default:
		return report(ex, pac_exit_name(ex->reason), EXIT_INTERNAL);
	}
}

/* Runs until the guest ends. A triple fault without -no-reboot rebuilds the
 * machine and boots the guest again, as a PC reset does. A run is
 * deterministic, so a second triple fault at the same RIP after the same
 * number of instructions would repeat forever: that ends the run instead.
 * APPROX: RAM does not survive the reset as it would on a warm reset. */
static int run(struct vm *vm, const struct options *o, struct vm_sinks *s, struct trace *t)
{
	uint64_t used = 0, last_rip = 0, last_icount = UINT64_MAX;
	for (;;) {
		struct pac_exit ex;
		uint64_t budget = UINT64_MAX;
		if (o->icount_limit)
			budget = o->icount_limit > used ? o->icount_limit - used : 1;
		if (pac_run(vm->m, budget, &ex) != PAC_OK && ex.reason == PAC_EXIT_NONE)
			ex.reason = PAC_EXIT_INTERNAL_ERROR;
		used += ex.icount;
		int status = classify(vm, o, &ex);
		if (status < 0 && ex.rip == last_rip && ex.icount == last_icount)
			status = report(&ex, "guest reset again the same way after a reset", EXIT_SHUTDOWN);
		if (status >= 0) {
			trace_print_stats(t, vm->m);
			return status;
		}
		fflush(stdout);
		fprintf(stderr, "pacifica: %s at RIP=%#" PRIx64 ": resetting (use -no-reboot to stop)\n",
			ex.reason == PAC_EXIT_SHUTDOWN ? "triple fault" : "reset request", ex.rip);
		last_rip = ex.rip;
		last_icount = ex.icount;
		vm_destroy(vm);
		if (vm_create(vm, o, s, t))
			return EXIT_LOAD;
	}
}

int main(int argc, char **argv)
{
	struct options o;
	int r = parse_options(argc, argv, &o);
	if (r)
		return r > 0 ? EXIT_POWEROFF : EXIT_USAGE;
	struct trace t;
	struct vm_sinks sinks;
	struct vm vm = { .m = NULL };
	if (trace_open(&t, &o))
		return EXIT_USAGE;
	int status = EXIT_LOAD;
	if (vm_open_sinks(&sinks, &o) == 0 && vm_create(&vm, &o, &sinks, &t) == 0)
		status = run(&vm, &o, &sinks, &t);
	if (vm.m)
		vm_destroy(&vm);
	vm_close_sinks(&sinks);
	trace_close(&t);
	fflush(stdout);
	return status;
}
