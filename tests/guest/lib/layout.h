/* Constants shared by the runtime's assembly and C. */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000002	/* ask for memory information */

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_CODE32 0x18
#define SEL_CODE16 0x20
#define SEL_DATA16 0x28
#define SEL_UCODE32 0x33
#define SEL_UDATA 0x3b
#define SEL_UCODE64 0x43
#define SEL_TSS 0x48
#define SEL_FREE 0x58		/* first slot tests may fill */
#define GDT_ENTRIES 32

#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_US 0x4
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_A 0x20
#define PTE_D 0x40
#define PTE_PS 0x80
#define PTE_G 0x100
#define PTE_PAT4K 0x80
#define PTE_PAT2M 0x1000

#define CR0_PE 0x1
#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_NE 0x20
#define CR0_WP 0x10000
#define CR0_AM 0x40000
#define CR0_NW 0x20000000
#define CR0_CD 0x40000000
#define CR0_PG 0x80000000

#define CR4_PSE 0x10
#define CR4_PAE 0x20
#define CR4_PGE 0x80
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define CR4_SMEP 0x100000
#define CR4_SMAP 0x200000

#define MSR_EFER 0xC0000080
#define EFER_SCE 0x1
#define EFER_LME 0x100
#define EFER_LMA 0x400
#define EFER_NXE 0x800

#define BOOT_STACK_SIZE 0x10000

#endif
