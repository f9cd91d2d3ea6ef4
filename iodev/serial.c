/* SPDX-License-Identifier: MIT */
/* 16550A UART (COM1 at 0x3F8 by default). Register behaviour follows the
 * National Semiconductor PC16550D data sheet: DLAB-switched divisor latch,
 * IER/IIR/FCR/LCR/MCR/LSR/MSR/SCR, loopback mode. Transmission is instant:
 * LSR.THRE and LSR.TEMT are always set. No receive source other than
 * loopback yet, and no IRQ line (IRQ4 comes with the interrupt controller);
 * APPROX: no baud-rate timing, modem-status deltas or line errors;
 * the IER and the THRE interrupt condition are kept so IIR reads correctly. */
#include <string.h>
#include "iodev.h"

enum { REG_DATA, REG_IER, REG_IIR, REG_LCR, REG_MCR, REG_LSR, REG_MSR, REG_SCR };
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RDA 0x01
#define IER_THRE 0x02
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_FIFO 0xc0
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02

void uart_reset(struct uart16550 *u)
{
	u->ier = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->scr = 0;
	u->fcr = 0;
	u->dll = 0x0c; /* 9600 baud, a common firmware default */
	u->dlm = 0;
	u->thre_pending = false;
	u->rx_head = u->rx_count = 0;
}

static void rx_push(struct uart16550 *u, uint8_t b)
{
	if (u->rx_count == UART_FIFO_SIZE)
		return; /* overrun: the byte is lost */
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = b;
	u->rx_count++;
}

static uint8_t rx_pop(struct uart16550 *u)
{
	if (!u->rx_count)
		return 0;
	uint8_t b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	return b;
}

/* IIR: highest-priority pending condition (data sheet table 4). */
static uint8_t read_iir(struct uart16550 *u)
{
	uint8_t fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO : 0;
	if ((u->ier & IER_RDA) && u->rx_count)
		return fifo | IIR_RDA;
	if ((u->ier & IER_THRE) && u->thre_pending) {
		u->thre_pending = false; /* reading IIR clears the THRE source */
		return fifo | IIR_THRE;
	}
	return fifo | IIR_NONE;
}

/* MSR: in loopback the modem inputs are the MCR outputs
 * (CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2); otherwise a connected terminal. */
static uint8_t read_msr(const struct uart16550 *u)
{
	if (!(u->mcr & MCR_LOOP))
		return 0xb0;
	uint8_t m = u->mcr;
	return (uint8_t)(((m & 0x02) << 3) | ((m & 0x01) << 5) | ((m & 0x04) << 4) | ((m & 0x08) << 4));
}

uint8_t uart_read(struct uart16550 *u, unsigned reg)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (reg & 7) {
	case REG_DATA: return dlab ? u->dll : rx_pop(u);
	case REG_IER: return dlab ? u->dlm : u->ier;
	case REG_IIR: return read_iir(u);
	case REG_LCR: return u->lcr;
	case REG_MCR: return u->mcr;
	case REG_LSR: return (uint8_t)(LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0));
	case REG_MSR: return read_msr(u);
	default: return u->scr;
	}
}

static void transmit(struct uart16550 *u, uint8_t b)
{
	if (u->mcr & MCR_LOOP)
		rx_push(u, b);
	else
		chardev_put(&u->out, b);
	u->thre_pending = true; /* THR is empty again at once */
}

static void write_fcr(struct uart16550 *u, uint8_t v)
{
	if (v & FCR_CLEAR_RX)
		u->rx_head = u->rx_count = 0;
	u->fcr = v & 0xc9; /* enable, DMA mode, trigger level */
}

void uart_write(struct uart16550 *u, unsigned reg, uint8_t v)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (reg & 7) {
	case REG_DATA:
		if (dlab)
			u->dll = v;
		else
			transmit(u, v);
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = v;
			break;
		}
		if ((v & IER_THRE) && !(u->ier & IER_THRE))
			u->thre_pending = true; /* enabling it with THR empty raises it */
		u->ier = v & 0x0f;
		break;
	case REG_IIR: write_fcr(u, v); break;
	case REG_LCR: u->lcr = v; break;
	case REG_MCR: u->mcr = v & 0x1f; break;
	case REG_LSR: break; /* factory test register: writes ignored */
	case REG_MSR: break;
	default: u->scr = v; break;
	}
}

/* Wider accesses are split into byte accesses, as the ISA bus does. */
static uint32_t uart_in(void *ctx, uint16_t port, unsigned size)
{
	struct uart16550 *u = ctx;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (uint16_t)(port + i) - u->base;
		uint32_t b = reg < 8 ? uart_read(u, reg) : 0xff;
		v |= b << (8 * i);
	}
	return v;
}

static void uart_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
	struct uart16550 *u = ctx;
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = (uint16_t)(port + i) - u->base;
		if (reg < 8)
			uart_write(u, reg, (uint8_t)(val >> (8 * i)));
	}
}

static const struct pac_port_ops uart_ops = { uart_in, uart_out };

int uart_init(struct uart16550 *u, pac_machine *m, uint16_t base, struct pac_chardev out)
{
	memset(u, 0, sizeof *u);
	u->base = base;
	u->out = out;
	uart_reset(u);
	return pac_register_ports(m, base, 8, &uart_ops, u);
}
