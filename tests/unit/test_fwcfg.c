/* SPDX-License-Identifier: MIT */
/* fw_cfg read by real-mode guest code through 0x510/0x511 as a kernel
 * written for QEMU does: signature, ID, RAM size, CPU counts, the file
 * directory (big-endian) and etc/e820 matching -m; unknown keys and reads
 * past an item's end give zeros; reselecting restarts at offset 0. */
#include "test.h"
#include "platform_helpers.h"
#include "../../iodev/pc.h"

/* mov dx,510h; mov ax,key; out dx,ax; inc dx; mov di,at; mov cx,n;
 * l: in al,dx; mov [di],al; inc di; loop l */
static void rc_fwcfg(struct rcode *c, uint16_t key, uint16_t at, uint16_t n)
{
	RC(c, 0xba, 0x10, 0x05, 0xb8, (uint8_t)key, (uint8_t)(key >> 8), 0xef, 0x42,
	   0xbf, (uint8_t)at, (uint8_t)(at >> 8), 0xb9, (uint8_t)n, (uint8_t)(n >> 8),
	   0xec, 0x88, 0x05, 0x47, 0xe2, 0xfa);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint64_t le64(const uint8_t *p) { uint64_t v = 0; for (int i = 7; i >= 0; i--) v = v << 8 | p[i]; return v; }

static void check_machine(uint64_t ram, unsigned ncpus)
{
	pac_machine *m = tm_new();
	struct pc_platform p;
	struct pc_options o = { .ram_bytes = ram, .ncpus = ncpus };
	CHECK_EQ(pc_platform_init(&p, m, &o), PAC_OK, "platform");
	struct rcode c = { .n = 0 };
	rc_fwcfg(&c, FW_CFG_SIGNATURE, 0x1000, 6);
	rc_fwcfg(&c, FW_CFG_ID, 0x1010, 4);
	rc_fwcfg(&c, FW_CFG_RAM_SIZE, 0x1020, 8);
	rc_fwcfg(&c, FW_CFG_NB_CPUS, 0x1030, 2);
	rc_fwcfg(&c, FW_CFG_MAX_CPUS, 0x1034, 2);
	rc_fwcfg(&c, 0x1234, 0x1040, 8);
	rc_fwcfg(&c, FW_CFG_FILE_DIR, 0x1100, 4 + 64 * 2);
	rc_fwcfg(&c, FW_CFG_SIGNATURE, 0x1050, 2); /* reselect: offset 0 again */
	rc_fwcfg(&c, FW_CFG_FILE_FIRST, 0x1200, 48);
	rc_in8(&c, 0x512, 0x1060);                 /* no DMA port */
	rc_halt(&c);
	CHECK_EQ(rc_run(m, &c, 200000), PAC_EXIT_HLT, "guest ran");
	uint8_t b[0x300];
	pac_phys_read(m, 0x1000, b, sizeof b);
	CHECK(memcmp(b, "QEMU\0\0", 6) == 0, "signature QEMU, then zeros past the end");
	CHECK_EQ(b[0x10] | b[0x11] << 8, 1, "ID: traditional interface, no DMA");
	CHECK_EQ(le64(b + 0x20), ram, "RAM size");
	CHECK_EQ(b[0x30] | b[0x31] << 8, ncpus, "number of CPUs");
	CHECK_EQ(b[0x34] | b[0x35] << 8, ncpus, "max CPUs");
	CHECK_EQ(le64(b + 0x40), 0, "unknown key reads zeros");
	CHECK(memcmp(b + 0x50, "QE", 2) == 0, "selector write restarts the item");
	CHECK_EQ(b[0x60], 0xff, "port 0x512 unassigned");
	const uint8_t *dir = b + 0x100;
	CHECK_EQ(be32(dir), 1, "one file in the directory");
	uint64_t low = ram < 0xe0000000ull ? ram : 0xe0000000ull, high = ram - low;
	unsigned want_len = high ? 40 : 20;
	CHECK_EQ(be32(dir + 4), want_len, "etc/e820 size (big-endian)");
	CHECK_EQ(dir[8] << 8 | dir[9], FW_CFG_FILE_FIRST, "etc/e820 selector");
	CHECK(strcmp((const char *)dir + 12, "etc/e820") == 0, "file name");
	const uint8_t *e = b + 0x200;
	CHECK(le64(e) == 0 && le64(e + 8) == low && e[16] == 1, "e820[0]: RAM 0 .. %#llx", (unsigned long long)low);
	if (high)
		CHECK(le64(e + 20) == 1ull << 32 && le64(e + 28) == high && e[36] == 1, "e820[1]: RAM above 4 GiB");
	else
		CHECK_EQ(le64(e + 20), 0, "nothing after the only entry");
	pc_platform_free(&p);
	pac_destroy(m);
}

int main(void)
{
	check_machine(256ull << 20, 2);
	check_machine(5ull << 30, 4);
	return test_done("fwcfg");
}
