/* Output, reports, strings and port I/O: the part of the runtime shared by
 * the 64-bit runtime (rt.h) and the 32-bit one (lib32/rt32.h). */
#ifndef GUEST_IO_H
#define GUEST_IO_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- output and exit ---- */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void serial_putc(char c);
void serial_init(void);
void report(const char *name, bool ok);
void reportf(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void skip(const char *name, const char *why);
/* Like report(), but a failure under QEMU with a documented reason prints
 * "not ok - name # TODO QEMU deviation: reason" and does not count as failed
 * (docs/testing.md lists every such case). */
void report_q(const char *name, bool ok, const char *qemu_reason);
bool under_qemu(void);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rt_exit(int code);
int main(void);	/* each kernel's; its return value is ignored */

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
