/* SPDX-License-Identifier: MIT */
/* Minimal 8042 (IBM PC/AT keyboard controller): status register, command
 * byte (0x20/0x60), self-tests (0xAA -> 0x55, 0xAB/0xA9 -> 0x00), port
 * enable/disable, output port (0xD0/0xD1: bit 0 = 0 resets, bit 1 A20),
 * 0xD2/0xD3 (write to the output buffer), A20 0xDD/0xDF, pulse output
 * lines 0xF0-0xFF (bit 0 clear = reset, e.g. 0xFE). No keyboard or mouse
 * is attached: bytes for them are dropped and nothing answers, so a
 * driver times out as on a machine without them. IRQ 1 / IRQ 12 follow
 * the output buffer when enabled in the command byte. */
#include <string.h>
#include "port92.h"
#include "pc_stop.h"

#define ST_OBF 0x01
#define ST_SYS 0x04
#define ST_CMD 0x08
#define ST_UNINH 0x10
#define ST_AUX 0x20
#define CTR_KBD_INT 0x01
#define CTR_AUX_INT 0x02
#define CTR_SYS 0x04

static void update_irq(struct i8042 *k)
{
	bool aux = k->qn && k->q_aux[0];
	irq_set(&k->irq1, k->qn && !aux && (k->ctr & CTR_KBD_INT));
	irq_set(&k->irq12, k->qn && aux && (k->ctr & CTR_AUX_INT));
}

static void push(struct i8042 *k, uint8_t v, bool aux)
{
	if (k->qn < I8042_QUEUE) {
		k->q[k->qn] = v;
		k->q_aux[k->qn] = aux;
		k->qn++;
	}
	update_irq(k);
}

static void set_outport(struct i8042 *k, uint8_t v)
{
	k->outport = v;
	if (!(v & 1))
		pac_request_stop(k->m, PC_STOP_RESET); /* reset line driven low */
}

static void command(struct i8042 *k, uint8_t c)
{
	switch (c) {
	case 0x20: push(k, k->ctr, false); break;
	case 0xa7: k->ctr |= 0x20; break;
	case 0xa8: k->ctr &= ~0x20; break;
	case 0xa9: case 0xab: push(k, 0x00, false); break; /* interface tests pass */
	case 0xaa: k->sys = true; push(k, 0x55, false); break;
	case 0xad: k->ctr |= 0x10; break;
	case 0xae: k->ctr &= ~0x10; break;
	case 0xc0: push(k, 0x80, false); break; /* input port: not inhibited */
	case 0xd0: push(k, k->outport, false); break;
	case 0xdd: k->outport &= ~0x02; break;
	case 0xdf: k->outport |= 0x02; break;
	case 0xe0: push(k, 0x00, false); break;
	case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4:
		k->pending = c;
		break;
	default:
		if (c >= 0xf0 && !(c & 1))
			pac_request_stop(k->m, PC_STOP_RESET); /* pulse reset line */
		break;
	}
	update_irq(k);
}

static void data(struct i8042 *k, uint8_t v)
{
	uint8_t c = k->pending;
	k->pending = 0;
	switch (c) {
	case 0x60: k->ctr = v; update_irq(k); break;
	case 0xd1: set_outport(k, v); break;
	case 0xd2: push(k, v, false); break;
	case 0xd3: push(k, v, true); break;
	default: break; /* to the (absent) keyboard or mouse */
	}
}

uint8_t i8042_read(struct i8042 *k, uint16_t port)
{
	if (port == 0x64) {
		uint8_t st = ST_UNINH | k->status_cmd | (k->sys || (k->ctr & CTR_SYS) ? ST_SYS : 0);
		if (k->qn)
			st |= ST_OBF | (k->q_aux[0] ? ST_AUX : 0);
		return st;
	}
	if (k->qn) {
		k->last = k->q[0];
		k->qn--;
		memmove(k->q, k->q + 1, k->qn);
		memmove(k->q_aux, k->q_aux + 1, k->qn);
		update_irq(k);
	}
	return k->last;
}

void i8042_write(struct i8042 *k, uint16_t port, uint8_t v)
{
	if (port == 0x64) {
		k->status_cmd = ST_CMD;
		k->pending = 0;
		command(k, v);
	} else {
		k->status_cmd = 0;
		data(k, v);
	}
}

static uint32_t io_in(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = i8042_read(ctx, port);
	return size == 1 ? v : v | (0xffffffffu << 8);
}

static void io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	i8042_write(ctx, port, (uint8_t)v);
}

static const struct pac_port_ops kbc_ops = { io_in, io_out };

int i8042_init(struct i8042 *k, pac_machine *m, struct irq_bus *bus)
{
	memset(k, 0, sizeof *k);
	k->m = m;
	k->ctr = 0x61;           /* translate, aux disabled, keyboard interrupt (as QEMU) */
	k->sys = true;           /* the BIOS ran the self-test */
	k->status_cmd = ST_CMD;  /* and its last write was a command */
	k->outport = 0x03;       /* reset line inactive, A20 on */
	if (bus && (irq_line_init(&k->irq1, bus, 1) || irq_line_init(&k->irq12, bus, 12)))
		return PAC_ERR_RANGE;
	int err = pac_register_ports(m, 0x60, 1, &kbc_ops, k);
	return err ? err : pac_register_ports(m, 0x64, 1, &kbc_ops, k);
}
