/* SPDX-License-Identifier: MIT */
/* Building the PC: machine, memory map, firmware, devices, guest. */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "../bios/fwtables.h"

extern const unsigned char pac_demo_kernel[], pac_demo_kernel_end[];

static const uint16_t com_ports[MAX_SERIAL] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

/* Default serial: COM1 on stdio unless -nodefaults; -serial none skips a port. */
static unsigned serial_count(const struct options *o)
{
	return o->nserial ? o->nserial : o->nodefaults ? 0 : 1;
}

int vm_open_sinks(struct vm_sinks *s, const struct options *o)
{
	memset(s, 0, sizeof *s);
	for (unsigned i = 0; i < o->nserial; i++)
		if (sink_open(&s->serial[i], &o->serial[i], "-serial"))
			return -1;
	if (!o->nserial && !o->nodefaults)
		s->serial[0].f = stdout;
	return o->debugcon_given ? sink_open(&s->debugcon, &o->debugcon, "-debugcon") : 0;
}

void vm_close_sinks(struct vm_sinks *s)
{
	for (unsigned i = 0; i < MAX_SERIAL; i++)
		sink_close(&s->serial[i]);
	sink_close(&s->debugcon);
}

static int add_devices(struct vm *vm, const struct options *o, struct vm_sinks *s)
{
	int err = 0;
	for (unsigned i = 0; i < serial_count(o) && !err; i++) {
		if (o->nserial && o->serial[i].kind == SINK_NONE)
			continue;
		err = uart_init(&vm->uart[vm->nuart++], vm->m, com_ports[i], sink_chardev(&s->serial[i]));
	}
	bool want_dexit = o->debug_exit || (!o->kernel && !o->fda); /* the demo exits through 0xf4 */
	if (!err && want_dexit) {
		vm->has_dexit = true;
		err = o->debug_exit ? debug_exit_init(&vm->dexit, vm->m, o->debug_exit_iobase, o->debug_exit_iosize)
				    : debug_exit_init(&vm->dexit, vm->m, 0xf4, 4);
	}
	bool want_dcon = o->debugcon_given ? o->debugcon.kind != SINK_NONE : !o->nodefaults;
	if (!err && want_dcon)
		err = debugcon_init(&vm->dcon, vm->m, 0xe9, sink_chardev(&s->debugcon));
	if (!err && o->memtype_probe)
		err = memtype_probe_attach(vm->m, MEMTYPE_PROBE_BASE, &vm->probe);
	if (!err)
		err = postcode_init(&vm->post, vm->m);
	if (!err)
		err = shutdown_port_init(&vm->shut, vm->m);
	if (err)
		fprintf(stderr, "pacifica: cannot register device ports: %s (overlapping -device?)\n",
			pac_strerror(err));
	return err ? -1 : 0;
}

static int load_guest(struct vm *vm, const struct options *o, struct boot_error *e)
{
	uint8_t *data = NULL;
	size_t len = 0;
	const char *path = o->kernel ? o->kernel : o->fda;
	int r;
	if (!path) {
		struct multiboot_args a = { "demo", pac_demo_kernel,
					    (size_t)(pac_demo_kernel_end - pac_demo_kernel), NULL, NULL };
		struct multiboot_result res;
		return multiboot_load(vm->m, &vm->layout, &a, &res, e);
	}
	if (read_whole_file(path, &data, &len, e))
		return -1;
	if (o->fda) {
		r = bootsector_load(vm->m, path, data, len, e);
	} else {
		struct multiboot_args a = { path, data, len, o->append, o->initrd };
		struct multiboot_result res;
		r = multiboot_load(vm->m, &vm->layout, &a, &res, e);
	}
	free(data);
	return r;
}

/* The PC platform devices and the ACPI/MP tables describing them. */
static int add_platform(struct vm *vm, const struct options *o)
{
	struct fwtables_config fc = { .ncpus = o->smp, .acpi = !o->no_acpi };
	struct fwtables_result fr;
	struct pc_options po = { .ram_bytes = o->ram_bytes, .ncpus = o->smp, .no_acpi = o->no_acpi,
				 .rtc_base_set = o->rtc_base_set, .rtc_base = o->rtc_base };
	int err = fwtables_install(vm->m, &fc, &fr);
	if (err) {
		fprintf(stderr, "pacifica: cannot write the ACPI/MP tables: %s\n", pac_strerror(err));
		return -1;
	}
	err = pc_platform_init(&vm->pc, vm->m, &po);
	vm->has_pc = true;
	if (err) {
		fprintf(stderr, "pacifica: cannot create the PC platform devices: %s\n", pac_strerror(err));
		return -1;
	}
	return 0;
}

int vm_create(struct vm *vm, const struct options *o, struct vm_sinks *s, struct trace *t)
{
	struct boot_error e = { "" };
	struct pac_config cfg = { .ncpus = o->smp, .cpu_model = o->cpu_model,
				  .cpu_features = o->cpu_features, .seed = 0,
				  .log = trace_library_log, .log_ctx = t };
	int err;
	memset(vm, 0, sizeof *vm);
	vm->m = pac_create(&cfg, &err);
	if (!vm->m) {
		fprintf(stderr, "pacifica: cannot create the machine: %s\n", pac_strerror(err));
		return -1;
	}
	layout_compute(&vm->layout, o->ram_bytes);
	if (layout_map(vm->m, &vm->layout, &e) || firmware_install(vm->m, &vm->layout, &e) ||
	    load_guest(vm, o, &e)) {
		fprintf(stderr, "pacifica: %s\n", e.msg);
		return -1;
	}
	if (add_platform(vm, o) || add_devices(vm, o, s))
		return -1;
	trace_attach(t, vm->m);
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->has_pc)
		pc_platform_free(&vm->pc);
	vm->has_pc = false;
	pac_destroy(vm->m);
	vm->m = NULL;
	memtype_probe_free(vm->probe);
	vm->probe = NULL;
}
