/* COM1 output (polled 16550), a small printf, TAP-style reports, exit
 * through isa-debug-exit (port 0xf4). */
#include "io.h"

#define COM1 0x3f8

static unsigned passed, failed, skipped, todo;

void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO on */
	outb(COM1 + 4, 0x03);	/* DTR, RTS */
}

void serial_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

struct sink { char *buf; size_t n, len; };

static void put(struct sink *s, char c)
{
	if (s->buf) {
		if (s->len + 1 < s->n)
			s->buf[s->len] = c;
	} else {
		if (c == '\n')
			serial_putc('\r');
		serial_putc(c);
	}
	s->len++;
}

/* *v /= base, returns the remainder; 32-bit operations only, so the 32-bit
 * runtime needs no libgcc helper for 64-bit division. */
static unsigned divmod(uint64_t *v, unsigned base)
{
	uint64_t q = 0;
	uint32_t r = 0;
	for (int shift = 48; shift >= 0; shift -= 16) {
		uint32_t cur = (r << 16) | (uint32_t)((*v >> shift) & 0xffff);
		q |= (uint64_t)(cur / base) << shift;
		r = cur % base;
	}
	*v = q;
	return r;
}

static void put_num(struct sink *s, uint64_t v, unsigned base, bool neg, int width,
		    bool zero, bool upper, const char *prefix)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		tmp[n++] = digits[divmod(&v, base)];
	} while (v);
	int len = n + (neg ? 1 : 0) + (int)strlen(prefix);
	if (!zero)
		for (; width > len; width--)
			put(s, ' ');
	if (neg)
		put(s, '-');
	for (const char *p = prefix; *p; p++)
		put(s, *p);
	if (zero)
		for (; width > len; width--)
			put(s, '0');
	while (n)
		put(s, tmp[--n]);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		bool zero = false, alt = false;
		int width = 0, lng = 0;
		fmt++;
		for (; *fmt == '0' || *fmt == '#'; fmt++)
			*fmt == '0' ? (zero = true) : (alt = true);
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		uint64_t u;
		int64_t i;
		switch (*fmt) {
		case 'd':
		case 'i':
			i = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(s, i < 0 ? -(uint64_t)i : (uint64_t)i, 10, i < 0, width, zero, false, "");
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng >= 2 ? va_arg(ap, unsigned long long)
			    : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			put_num(s, u, *fmt == 'u' ? 10 : 16, false, width, zero, *fmt == 'X',
				alt && *fmt != 'u' ? "0x" : "");
			break;
		case 'p':
			put_num(s, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, width, zero, false, "0x");
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			for (str = str ? str : "(null)"; *str; str++)
				put(s, *str);
			break;
		}
		case 'c':
			put(s, (char)va_arg(ap, int));
			break;
		case '%':
			put(s, '%');
			break;
		default:
			return;
		}
	}
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s = { buf, n, 0 };
	format(&s, fmt, ap);
	if (buf && n)
		buf[s.len < n ? s.len : n - 1] = 0;
	return (int)s.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int printf(const char *fmt, ...)
{
	struct sink s = { 0, 0, 0 };
	va_list ap;
	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	return (int)s.len;
}

void report(const char *name, bool ok)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", name);
	ok ? passed++ : failed++;
}

void reportf(bool ok, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	report(buf, ok);
}

extern uint32_t mb_info;

/* run-guest.sh --qemu boots kernels with -append emu=qemu; the multiboot
 * command line (info flags bit 2, pointer at offset 16) says so. A device
 * probe would not do: Pacifica's fw_cfg also answers "QEMU". */
bool under_qemu(void)
{
	static int cached = -1;	/* first called at boot, before tests reuse low memory */
	if (cached < 0) {
		const uint32_t *mbi = (const uint32_t *)(uintptr_t)mb_info;
		cached = 0;
		if (mbi && (mbi[0] & 4) && mbi[4])
			for (const char *cmd = (const char *)(uintptr_t)mbi[4]; *cmd; cmd++)
				if (!memcmp(cmd, "emu=qemu", 8))
					cached = 1;
	}
	return cached;
}

void report_q(const char *name, bool ok, const char *qemu_reason)
{
	if (!ok && qemu_reason && under_qemu()) {
		printf("not ok - %s # TODO QEMU deviation: %s\n", name, qemu_reason);
		todo++;
		return;
	}
	report(name, ok);
}

void skip(const char *name, const char *why)
{
	printf("ok - %s # SKIP %s\n", name, why);
	skipped++;
}

void note(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
}

_Noreturn void rt_exit(int code)
{
	printf("# %u passed, %u failed, %u skipped, %u known QEMU deviations\n", passed, failed,
	       skipped, todo);
	/* isa-debug-exit: status (value << 1) | 1; 0 = all passed */
	outb(0xf4, (uint8_t)(code || failed ? 1 : 0));
	for (;;)
		__asm__ volatile("cli; hlt");
}
