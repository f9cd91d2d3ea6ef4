/* SPDX-License-Identifier: MIT */
/* The ISA devices of libpacdev.a. Each device is a state struct the caller
 * owns, an init function that registers its ports, and a reset function. */
#ifndef PAC_IODEV_H
#define PAC_IODEV_H
#include <stdbool.h>
#include <stdint.h>
#include "pacifica/pacifica.h"
#include "chardev.h"

/* Codes given to pac_request_stop() by devices, so the front end can tell
 * who ended the run (pac_exit.stop_code). */
enum iodev_stop_code {
	IODEV_STOP_DEBUG_EXIT = 0x1de0, /* isa-debug-exit: value in debug_exit.value */
	IODEV_STOP_SHUTDOWN = 0x1de1    /* "Shutdown" written to port 0x8900 */
};

/* ---- 16550A UART (serial.c) ---- */
#define UART_FIFO_SIZE 16
struct uart16550 {
	uint16_t base;
	struct pac_chardev out;
	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;
	bool thre_pending; /* THR-empty interrupt condition (16550A data sheet) */
	uint8_t rx[UART_FIFO_SIZE]; /* receive FIFO, filled only in loopback mode */
	unsigned rx_head, rx_count;
};
int uart_init(struct uart16550 *u, pac_machine *m, uint16_t base, struct pac_chardev out);
void uart_reset(struct uart16550 *u);
uint8_t uart_read(struct uart16550 *u, unsigned reg);
void uart_write(struct uart16550 *u, unsigned reg, uint8_t val);

/* ---- isa-debug-exit (debug_exit.c) ---- */
struct debug_exit {
	pac_machine *m;
	uint16_t iobase, iosize;
	bool fired;
	uint32_t value; /* value written; QEMU's exit status is (value << 1) | 1 */
};
int debug_exit_init(struct debug_exit *d, pac_machine *m, uint16_t iobase, uint16_t iosize);
void debug_exit_reset(struct debug_exit *d);

/* ---- port 0xE9 console (debugcon.c) ---- */
struct debugcon {
	struct pac_chardev out;
};
int debugcon_init(struct debugcon *d, pac_machine *m, uint16_t port, struct pac_chardev out);
void debugcon_reset(struct debugcon *d);

/* ---- port 0x80 POST code (postcode.c) ---- */
struct postcode {
	uint8_t last;
};
int postcode_init(struct postcode *p, pac_machine *m);
void postcode_reset(struct postcode *p);

/* ---- Bochs shutdown port 0x8900 (shutdown_port.c) ---- */
struct shutdown_port {
	pac_machine *m;
	unsigned matched; /* characters of "Shutdown" seen in sequence */
	bool fired;
};
int shutdown_port_init(struct shutdown_port *s, pac_machine *m);
void shutdown_port_reset(struct shutdown_port *s);

#endif
