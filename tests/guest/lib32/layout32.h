/* Selectors of the 32-bit runtime. SYSENTER/SYSEXIT need kernel code,
 * kernel data, user code, user data in that order (APM vol. 3 SYSENTER). */
#ifndef GUEST_LAYOUT32_H
#define GUEST_LAYOUT32_H
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000002
#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_UCODE 0x1b
#define SEL_UDATA 0x23
#define SEL_CODE16 0x28
#define SEL_DATA16 0x30
#define SEL_TSS 0x38
#define SEL_TSS2 0x40
#define SEL_FREE 0x48
#define GDT_ENTRIES 32
#define STACK_SIZE 0x8000
#endif
