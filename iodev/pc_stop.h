/* SPDX-License-Identifier: MIT */
/* Codes the PC platform devices give to pac_request_stop() (seen by the
 * front end in pac_exit.stop_code). They continue the front end's
 * iodev_stop_code numbering (0x1de0 debug-exit, 0x1de1 shutdown port). */
#ifndef PAC_IODEV_PC_STOP_H
#define PAC_IODEV_PC_STOP_H
enum pc_stop_code {
	PC_STOP_RESET = 0x1de2,   /* port 0x92 bit 0, 8042 0xFE / D1, port 0xCF9 */
	PC_STOP_POWEROFF = 0x1de3 /* ACPI PM1a_CNT SLP_EN with SLP_TYP = S5 */
};
#endif
