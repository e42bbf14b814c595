// QEMU virt's reset ROM (VIRT_MROM at 0x1000): every hart starts here. A
// few instructions load a0 = mhartid, a1 = the device tree's address and
// a2 = the address of a fw_dynamic_info block, then jump to the firmware at
// the start of DRAM. fw_dynamic_info tells OpenSBI's fw_dynamic where the
// next stage is and in which mode to enter it.
// Sources: QEMU 7.2 hw/riscv/boot.c (riscv_setup_rom_reset_vec,
// riscv_rom_copy_firmware_info), include/hw/riscv/boot_opensbi.h, and
// OpenSBI's include/sbi/fw_dynamic.h for the block's layout.
//
//   0x00  auipc t0, 0                 t0 = 0x1000
//   0x04  addi  a2, t0, INFO          a2 = &fw_dynamic_info
//   0x08  csrr  a0, mhartid
//   0x0c  ld    a1, FDT(t0)
//   0x10  ld    t0, START(t0)
//   0x14  jr    t0
//   0x18  START  .dword firmware start (DRAM base)
//   0x20  FDT    .dword device tree address
//   0x28  INFO   fw_dynamic_info: magic, version, next_addr, next_mode,
//                options, boot_hart (6 x .dword)

export const MROM_BASE = 0x1000n;

/** fw_dynamic_info.magic: "OSBI" read as a little-endian word. */
export const FW_DYNAMIC_INFO_MAGIC = 0x4942534fn;
/** QEMU 7.2 writes version 2, the one that added boot_hart. */
export const FW_DYNAMIC_INFO_VERSION = 2n;
/** fw_dynamic_info.next_mode: the privilege the next stage runs in. */
export const FW_DYNAMIC_INFO_NEXT_MODE_S = 1n;

const START = 0x18;
const FDT = 0x20;
const INFO = 0x28;
const INFO_WORDS = 6;
/** Bytes of ROM the reset vector and fw_dynamic_info occupy. */
export const MROM_IMAGE_SIZE = INFO + INFO_WORDS * 8;

// Registers by ABI name, and the instruction formats (unprivileged spec 2.2-2.6).
const T0 = 5;
const A0 = 10;
const A1 = 11;
const A2 = 12;
const CSR_MHARTID = 0xf14;

const uType = (opcode: number, rd: number, imm20: number) =>
  ((imm20 << 12) | (rd << 7) | opcode) >>> 0;
const iType = (opcode: number, funct3: number, rd: number, rs1: number, imm12: number) =>
  (((imm12 & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;

const auipc = (rd: number, imm20: number) => uType(0x17, rd, imm20);
const addi = (rd: number, rs1: number, imm: number) => iType(0x13, 0, rd, rs1, imm);
const ld = (rd: number, rs1: number, imm: number) => iType(0x03, 3, rd, rs1, imm);
const jalr = (rd: number, rs1: number, imm: number) => iType(0x67, 0, rd, rs1, imm);
/** csrrs rd, csr, x0: a plain read. */
const csrr = (rd: number, csr: number) => iType(0x73, 2, rd, 0, csr);

export interface ResetVector {
  /** Where the harts jump: the firmware's start, QEMU's DRAM base for virt. */
  readonly start: bigint;
  /** The device tree's physical address (a1). */
  readonly fdt: bigint;
  /** fw_dynamic_info.next_addr: the payload's entry, 0 when there is none. */
  readonly nextAddr: bigint;
}

/** The reset ROM's contents (MROM_IMAGE_SIZE bytes) for these addresses. */
export function buildResetRom(v: ResetVector): Uint8Array {
  const bytes = new Uint8Array(MROM_IMAGE_SIZE);
  const view = new DataView(bytes.buffer);
  const code = [
    auipc(T0, 0),
    addi(A2, T0, INFO),
    csrr(A0, CSR_MHARTID),
    ld(A1, T0, FDT),
    ld(T0, T0, START),
    jalr(0, T0, 0),
  ];
  for (const [i, inst] of code.entries()) view.setUint32(i * 4, inst, true);
  view.setBigUint64(START, v.start, true);
  view.setBigUint64(FDT, v.fdt, true);
  const info = [
    FW_DYNAMIC_INFO_MAGIC,
    FW_DYNAMIC_INFO_VERSION,
    v.nextAddr,
    FW_DYNAMIC_INFO_NEXT_MODE_S,
    0n, // options: none (boot prints stay on)
    0n, // boot_hart: hart 0 boots, as QEMU sets it
  ];
  for (const [i, word] of info.entries()) view.setBigUint64(INFO + i * 8, word, true);
  return bytes;
}
