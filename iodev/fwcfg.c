/* SPDX-License-Identifier: MIT */
/* fw_cfg as QEMU's PC machine exposes it (QEMU docs/specs/fw_cfg.rst, an
 * observable interface): writing the selector resets the data offset;
 * each data read returns the next byte of the item, 0 past its end or for
 * an unknown key. Bit 14 of a selector (write channel) is ignored, data
 * writes are ignored (as QEMU since 2.4). */
#include <stdlib.h>
#include <string.h>
#include "fwcfg.h"

#define FILE_ENTRY 64 /* be32 size, be16 select, be16 reserved, name[56] */

static struct fwcfg_item *find(struct fwcfg *f, uint16_t key)
{
	for (unsigned i = 0; i < f->nitems; i++)
		if (f->items[i].key == key)
			return &f->items[i];
	return NULL;
}

int fwcfg_add(struct fwcfg *f, uint16_t key, const void *data, uint32_t len)
{
	struct fwcfg_item *it = find(f, key);
	if (!it) {
		if (f->nitems >= FWCFG_MAX_ITEMS)
			return PAC_ERR_RANGE;
		it = &f->items[f->nitems++];
		it->key = key;
		it->data = NULL;
	}
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return PAC_ERR_NOMEM;
	memcpy(copy, data, len);
	free(it->data);
	it->data = copy;
	it->len = len;
	f->cur = NULL;
	return PAC_OK;
}

int fwcfg_add_i16(struct fwcfg *f, uint16_t key, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	return fwcfg_add(f, key, b, 2);
}

int fwcfg_add_i32(struct fwcfg *f, uint16_t key, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> 8 * i);
	return fwcfg_add(f, key, b, 4);
}

int fwcfg_add_i64(struct fwcfg *f, uint16_t key, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> 8 * i);
	return fwcfg_add(f, key, b, 8);
}

static void put_be(uint8_t *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * (n - 1 - i));
}

int fwcfg_add_file(struct fwcfg *f, const char *name, const void *data, uint32_t len)
{
	if (strlen(name) >= 56 || f->nfiles >= FWCFG_MAX_FILES)
		return PAC_ERR_INVAL;
	uint16_t key = (uint16_t)(FW_CFG_FILE_FIRST + f->nfiles);
	int err = fwcfg_add(f, key, data, len);
	if (err)
		return err;
	/* the directory: count, then one entry per file (sorted by key) */
	struct fwcfg_item *d = find(f, FW_CFG_FILE_DIR);
	uint8_t dir[4 + FWCFG_MAX_FILES * FILE_ENTRY];
	memset(dir, 0, sizeof dir);
	if (d)
		memcpy(dir, d->data, d->len);
	uint8_t *e = dir + 4 + f->nfiles * FILE_ENTRY;
	put_be(e, len, 4);
	put_be(e + 4, key, 2);
	memcpy(e + 8, name, strlen(name));
	f->nfiles++;
	put_be(dir, f->nfiles, 4);
	return fwcfg_add(f, FW_CFG_FILE_DIR, dir, 4 + f->nfiles * FILE_ENTRY);
}

void fwcfg_select(struct fwcfg *f, uint16_t key)
{
	f->sel = key;
	f->off = 0;
	f->cur = find(f, key & 0xbfff);
}

uint8_t fwcfg_read_byte(struct fwcfg *f)
{
	if (!f->cur)
		f->cur = find(f, f->sel & 0xbfff);
	if (!f->cur || f->off >= f->cur->len)
		return 0;
	return f->cur->data[f->off++];
}

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < size && i < 4; i++)
		v |= (uint32_t)(port + i <= FWCFG_PORT + 1 ? fwcfg_read_byte(ctx) : 0xff) << 8 * i;
	return v;
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	if (port == FWCFG_PORT && size >= 2)
		fwcfg_select(ctx, (uint16_t)v);
}

static const struct pac_port_ops fwcfg_ops = { io_in, io_out };

int fwcfg_init(struct fwcfg *f, pac_machine *m)
{
	memset(f, 0, sizeof *f);
	int err = fwcfg_add(f, FW_CFG_SIGNATURE, "QEMU", 4);
	if (!err)
		err = fwcfg_add_i32(f, FW_CFG_ID, 1); /* traditional interface only */
	if (!err)
		err = pac_register_ports(m, FWCFG_PORT, 2, &fwcfg_ops, f);
	return err;
}

void fwcfg_free(struct fwcfg *f)
{
	for (unsigned i = 0; i < f->nitems; i++)
		free(f->items[i].data);
	f->nitems = 0;
}
