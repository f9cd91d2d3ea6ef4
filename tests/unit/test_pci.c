/* SPDX-License-Identifier: MIT */
/* PCI configuration mechanism #1 driven by real-mode guest code (PCI Local
 * Bus 3.0, 3.2.2.3.2): the i440FX host bridge and PIIX3 ISA bridge IDs,
 * absent functions, read-only IDs, writable registers; and the reset paths
 * of the platform: 0xCF9, port 0x92, 8042 (0xFE, output port), plus the
 * 8042 self-test, command byte and unassigned ports reading all ones. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/pc.h"

static pac_machine *new_pc(struct pc_platform *p)
{
	pac_machine *m = tm_new();
	struct pc_options o = { .ram_bytes = TM_RAM, .ncpus = 1 };
	if (pc_platform_init(p, m, &o) != PAC_OK) {
		printf("not ok - pc_platform_init failed\n");
		exit(1);
	}
	return m;
}

/* mov dx,0cf8h; mov eax,a; out dx,eax; mov dx,0cfch+off; in (size); store */
static void cfg_read(struct rcode *c, uint32_t addr, unsigned off, unsigned size, uint16_t at)
{
	rc_out32(c, 0xcf8, addr);
	if (size == 4)
		rc_in32(c, (uint16_t)(0xcfc + off), at);
	else
		rc_in8(c, (uint16_t)(0xcfc + off), at);
}

static void t_config_space(void)
{
	struct pc_platform p;
	pac_machine *m = new_pc(&p);
	struct rcode c = { .n = 0 };
	cfg_read(&c, 0x80000000, 0, 4, 0x600);  /* 00:00.0 vendor/device */
	cfg_read(&c, 0x80000008, 0, 4, 0x604);  /* class/revision */
	cfg_read(&c, 0x80000800, 0, 4, 0x608);  /* 00:01.0 */
	cfg_read(&c, 0x80000808, 0, 4, 0x60c);
	cfg_read(&c, 0x8000080c, 2, 1, 0x610);  /* header type */
	cfg_read(&c, 0x80001000, 0, 4, 0x614);  /* 00:02.0 absent */
	cfg_read(&c, 0x80000900, 0, 4, 0x618);  /* 00:01.1 absent */
	cfg_read(&c, 0x80010000, 0, 4, 0x61c);  /* bus 1 */
	cfg_read(&c, 0x00000000, 0, 4, 0x620);  /* enable bit clear */
	cfg_read(&c, 0x80000000, 2, 1, 0x624);  /* byte 2 of dword 0 */
	rc_out32(&c, 0xcf8, 0x80000000); rc_out32(&c, 0xcfc, 0);           /* IDs are read-only */
	cfg_read(&c, 0x80000000, 0, 4, 0x628);
	rc_out32(&c, 0xcf8, 0x80000860); rc_out32(&c, 0xcfc, 0x800b0a09);  /* PIIX3 PIRQ routing */
	cfg_read(&c, 0x80000860, 0, 4, 0x62c);
	rc_out32(&c, 0xcf8, 0x800000ff);                                  /* low bits dropped */
	rc_in32(&c, 0xcf8, 0x630);
	rc_in32(&c, 0x1234, 0x634);                                       /* unassigned port */
	rc_halt(&c);
	CHECK_EQ(rc_run(m, &c, 10000), PAC_EXIT_HLT, "guest ran");
	CHECK_EQ(rd32(m, 0x600), 0x12378086, "00:00.0 is an i440FX (8086:1237)");
	CHECK_EQ(rd32(m, 0x604), 0x06000002, "host bridge class, revision 2");
	CHECK_EQ(rd32(m, 0x608), 0x70008086, "00:01.0 is a PIIX3 ISA bridge (8086:7000)");
	CHECK_EQ(rd32(m, 0x60c), 0x06010000, "ISA bridge class");
	CHECK_EQ(rd8(m, 0x610), 0x80, "ISA bridge is multi-function");
	CHECK_EQ(rd32(m, 0x614), 0xffffffff, "empty slot reads all ones");
	CHECK_EQ(rd32(m, 0x618), 0xffffffff, "absent function reads all ones");
	CHECK_EQ(rd32(m, 0x61c), 0xffffffff, "other buses read all ones");
	CHECK_EQ(rd32(m, 0x620), 0xffffffff, "disabled CONFIG_ADDRESS reads all ones");
	CHECK_EQ(rd8(m, 0x624), 0x37, "byte access at 0xCFE");
	CHECK_EQ(rd32(m, 0x628), 0x12378086, "IDs not writable");
	CHECK_EQ(rd32(m, 0x62c), 0x800b0a09, "PIRQ routing registers writable");
	CHECK_EQ(rd32(m, 0x630), 0x800000fc, "CONFIG_ADDRESS keeps bits 31, 23:2");
	CHECK_EQ(rd32(m, 0x634), 0xffffffff, "unassigned port reads all ones");
	/* hostile offsets straight to the functions */
	uint32_t v = pci_cfg_read(&p.pci, 1, 0, 254, 4);
	CHECK_EQ(v, 0xffff0000u | (uint32_t)pci_cfg_read(&p.pci, 1, 0, 254, 2), "read past 256 is all ones");
	pci_cfg_write(&p.pci, 31, 7, 255, 4, 0);
	pci_cfg_write(&p.pci, 0, 0, 253, 4, 0xffffffff);
	pc_platform_free(&p);
	pac_destroy(m);
}

/* Runs a snippet on a fresh PC; returns the exit with its stop code. */
static struct pac_exit run_pc(struct rcode *c, struct pc_platform *p, pac_machine **mp)
{
	pac_machine *m = new_pc(p);
	struct pac_regs r;
	struct pac_exit ex;
	tm_real(m, &r, 0x7c00);
	r.rflags = 2;
	pac_phys_write(m, 0x7c00, c->b, c->n);
	pac_set_regs(m, 0, &r);
	pac_run(m, 100000, &ex);
	*mp = m;
	return ex;
}

static void expect_reset(struct rcode *c, const char *what)
{
	struct pc_platform p;
	pac_machine *m;
	rc_halt(c);
	struct pac_exit ex = run_pc(c, &p, &m);
	CHECK(ex.reason == PAC_EXIT_STOP && ex.stop_code == PC_STOP_RESET, "%s resets (exit %d code %#x)",
	      what, ex.reason, ex.stop_code);
	pc_platform_free(&p);
	pac_destroy(m);
}

static void t_resets(void)
{
	struct rcode c = { .n = 0 };
	rc_out8(&c, 0xcf9, 0x02); /* hard-reset type only: no reset yet */
	rc_out8(&c, 0xcf9, 0x06);
	expect_reset(&c, "0xCF9 bit 2");
	c.n = 0;
	rc_out8(&c, 0x92, 0x03);
	expect_reset(&c, "port 0x92 bit 0");
	c.n = 0;
	rc_out8(&c, 0x64, 0xfe);
	expect_reset(&c, "8042 command 0xFE");
	c.n = 0;
	rc_out8(&c, 0x64, 0xd1);
	rc_out8(&c, 0x60, 0x00);
	expect_reset(&c, "8042 output port bit 0 = 0");
}

static void t_8042_port92(void)
{
	struct pc_platform p;
	pac_machine *m;
	struct rcode c = { .n = 0 };
	rc_in8(&c, 0x92, 0x600);
	rc_in8(&c, 0x64, 0x601);               /* status: no data */
	rc_out8(&c, 0x64, 0xaa);
	rc_in8(&c, 0x64, 0x602);               /* OBF */
	rc_in8(&c, 0x60, 0x603);               /* 0x55 */
	rc_out8(&c, 0x64, 0x20);
	rc_in8(&c, 0x60, 0x604);               /* command byte */
	rc_out8(&c, 0x64, 0xd0);
	rc_in8(&c, 0x60, 0x605);               /* output port */
	rc_out8(&c, 0x64, 0xd1); rc_out8(&c, 0x60, 0x01); /* A20 off, not reset */
	rc_out8(&c, 0x64, 0xd0);
	rc_in8(&c, 0x60, 0x606);
	rc_out8(&c, 0x64, 0xdf);
	rc_out8(&c, 0x64, 0xd0);
	rc_in8(&c, 0x60, 0x607);
	rc_out8(&c, 0x64, 0xab);
	rc_in8(&c, 0x60, 0x608);
	rc_out8(&c, 0x60, 0xff);               /* keyboard reset: nobody answers */
	rc_in8(&c, 0x64, 0x609);
	rc_out8(&c, 0x92, 0x00);
	rc_in8(&c, 0x92, 0x60a);
	rc_halt(&c);
	struct pac_exit ex = run_pc(&c, &p, &m);
	CHECK_EQ(ex.reason, PAC_EXIT_HLT, "8042 snippet ran without reset");
	CHECK_EQ(rd8(m, 0x600), 0x02, "port 0x92: A20 enabled at hand-over");
	CHECK_EQ(rd8(m, 0x601) & 0x01, 0, "output buffer empty");
	CHECK_EQ(rd8(m, 0x602) & 0x0d, 0x0d, "OBF, system flag, last write was a command");
	CHECK_EQ(rd8(m, 0x603), 0x55, "self-test passed");
	CHECK_EQ(rd8(m, 0x604), 0x61, "command byte (as QEMU after SeaBIOS)");
	CHECK_EQ(rd8(m, 0x605), 0x03, "output port: reset inactive, A20 on");
	CHECK_EQ(rd8(m, 0x606), 0x01, "0xD1 wrote the output port");
	CHECK_EQ(rd8(m, 0x607), 0x03, "0xDF enables A20");
	CHECK_EQ(rd8(m, 0x608), 0x00, "keyboard interface test");
	CHECK_EQ(rd8(m, 0x609) & 0x01, 0, "absent keyboard sends nothing");
	CHECK_EQ(rd8(m, 0x60a), 0x00, "port 0x92 reads back");
	pc_platform_free(&p);
	pac_destroy(m);
}

/* 120000 pseudo-random IN/OUT of every size to ports 0-0xFFF on the whole
 * platform (reset requests end a pac_run; the loop resumes): nothing may
 * crash (the sanitizer build runs this too). */
static void t_random_io(void)
{
	struct pc_platform p;
	pac_machine *m = new_pc(&p);
	struct rcode c = { .n = 0 };
	RC(&c, 0x66, 0xb9, 0x20, 0x4e, 0x00, 0x00, 0x66, 0xbb, 0x01, 0x00, 0x00, 0x00);
	static const uint8_t io[6][2] = { { 0xee, 0 }, { 0xec, 0 }, { 0xef, 0 }, { 0xed, 0 },
					  { 0x66, 0xef }, { 0x66, 0xed } };
	for (unsigned i = 0; i < 6; i++) {
		uint16_t rel = (uint16_t)(44 - (c.n + 3));
		RC(&c, 0xe8, (uint8_t)rel, (uint8_t)(rel >> 8));
		rc_bytes(&c, io[i], io[i][1] ? 2 : 1);
	}
	RC(&c, 0x66, 0x49, 0x75, 0xe2, 0xfa, 0xf4);
	/* lcg: ebx = ebx * 0x41c64e6d + 12345; edx = (ebx >> 16) & 0xfff; eax = ebx */
	RC(&c, 0x66, 0x69, 0xdb, 0x6d, 0x4e, 0xc6, 0x41, 0x66, 0x81, 0xc3, 0x39, 0x30, 0x00, 0x00,
	   0x66, 0x89, 0xda, 0x66, 0xc1, 0xea, 0x10, 0x81, 0xe2, 0xff, 0x0f, 0x66, 0x89, 0xd8, 0xc3);
	CHECK_EQ(c.n, 73, "snippet layout");
	struct pac_regs r;
	struct pac_exit ex;
	tm_real(m, &r, 0x7c00);
	r.rflags = 2;
	pac_phys_write(m, 0x7c00, c.b, c.n);
	pac_set_regs(m, 0, &r);
	unsigned stops = 0, runs = 0;
	do {
		pac_run(m, 20000000, &ex);
		stops += ex.reason == PAC_EXIT_STOP;
	} while (ex.reason == PAC_EXIT_STOP && ++runs < 100000);
	CHECK_EQ(ex.reason, PAC_EXIT_HLT, "random I/O loop finished");
	CHECK(stops > 0, "reset/power-off requests seen and survived (%u)", stops);
	pc_platform_free(&p);
	pac_destroy(m);
}

int main(void)
{
	t_random_io();
	t_config_space();
	t_resets();
	t_8042_port92();
	return test_done("pci");
}
