/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg, I/O-port interface: selector at 0x510 (16-bit write), data
 * at 0x511 (8-bit reads, sequential). No DMA interface (ID bit 1 = 0).
 * Items are byte blobs under 16-bit keys; named files are listed in the
 * big-endian directory at key 0x0019. Unknown keys read zeros. */
#ifndef PAC_IODEV_FWCFG_H
#define PAC_IODEV_FWCFG_H
#include <stdint.h>
#include "pacifica/pacifica.h"

#define FWCFG_PORT 0x510
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID 0x0001
#define FW_CFG_UUID 0x0002
#define FW_CFG_RAM_SIZE 0x0003
#define FW_CFG_NOGRAPHIC 0x0004
#define FW_CFG_NB_CPUS 0x0005
#define FW_CFG_MACHINE_ID 0x0006
#define FW_CFG_MAX_CPUS 0x000f
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_FILE_FIRST 0x0020
#define FW_CFG_IRQ0_OVERRIDE 0x8002
#define FW_CFG_E820_TABLE 0x8003
#define FWCFG_MAX_ITEMS 32
#define FWCFG_MAX_FILES 16

struct fwcfg_item {
	uint16_t key;
	uint32_t len;
	uint8_t *data;
};

struct fwcfg {
	struct fwcfg_item items[FWCFG_MAX_ITEMS];
	unsigned nitems, nfiles;
	uint16_t sel;
	uint32_t off;
	const struct fwcfg_item *cur;
};

int fwcfg_init(struct fwcfg *f, pac_machine *m);
void fwcfg_free(struct fwcfg *f);
/* Adds (or replaces) an item; data is copied. */
int fwcfg_add(struct fwcfg *f, uint16_t key, const void *data, uint32_t len);
int fwcfg_add_i16(struct fwcfg *f, uint16_t key, uint16_t v);
int fwcfg_add_i32(struct fwcfg *f, uint16_t key, uint32_t v);
int fwcfg_add_i64(struct fwcfg *f, uint16_t key, uint64_t v);
/* Adds a named file (name < 56 bytes) and rebuilds the directory. */
int fwcfg_add_file(struct fwcfg *f, const char *name, const void *data, uint32_t len);
void fwcfg_select(struct fwcfg *f, uint16_t key);
uint8_t fwcfg_read_byte(struct fwcfg *f);
#endif
