// A tiny ELF64 writer for tests: builds well-formed and deliberately broken
// RISC-V executables without a toolchain.
import { EM_RISCV, PF_R, PF_X } from "../../src/boot/elf.js";

// A tiny ELF64 writer for the tests. Layout:
//   ELF header | program headers | segment data... | .symtab | .strtab | .shstrtab | section headers
// Section headers: 0 null, 1 .text (over segment 0), then .symtab and .strtab when symbols
// are given, then .shstrtab.

export interface SegmentSpec {
  type?: number;
  flags?: number;
  vaddr?: bigint;
  paddr?: bigint;
  data?: Uint8Array;
  memsz?: bigint;
}

export interface SymbolSpec {
  name: string;
  value: bigint;
  bind?: number;
  type?: number;
  shndx?: number;
}

export interface ElfSpec {
  elfClass?: number;
  data?: number;
  type?: number;
  machine?: number;
  entry?: bigint;
  segments?: SegmentSpec[];
  symbols?: SymbolSpec[];
  sections?: boolean;
}

export interface BuiltElf {
  bytes: Uint8Array;
  phoff: number;
  shoff: number;
  segmentOffsets: number[];
  symtabOffset: number;
  strtabOffset: number;
}

export const PT_LOAD = 1;
export const STB_GLOBAL = 1;
export const STB_LOCAL = 0;
export const STT_NOTYPE = 0;
export const STT_SECTION = 3;

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export function buildElf(spec: ElfSpec = {}): BuiltElf {
  const segments = spec.segments ?? [
    {
      flags: PF_R | PF_X,
      vaddr: 0x80000000n,
      paddr: 0x80000000n,
      data: new Uint8Array([0x13, 0, 0, 0, 0x73, 0, 0x10, 0x10]),
      memsz: 0x1000n,
    },
  ];
  const withSections = spec.sections ?? true;
  const enc = new TextEncoder();

  let off = 64;
  const phoff = off;
  off += 56 * segments.length;
  const segmentOffsets: number[] = [];
  for (const s of segments) {
    off = align(off, 8);
    segmentOffsets.push(off);
    off += s.data?.length ?? 0;
  }

  // String and symbol tables.
  const strtab: number[] = [0];
  const symtab: number[] = [];
  const symEntry = (name: number, info: number, shndx: number, value: bigint) => {
    const e = new DataView(new ArrayBuffer(24));
    e.setUint32(0, name, true);
    e.setUint8(4, info);
    e.setUint16(6, shndx, true);
    e.setBigUint64(8, value, true);
    symtab.push(...new Uint8Array(e.buffer));
  };
  if (spec.symbols !== undefined) {
    symEntry(0, 0, 0, 0n);
    for (const sym of spec.symbols) {
      const nameOff = strtab.length;
      strtab.push(...enc.encode(sym.name), 0);
      const info = ((sym.bind ?? STB_GLOBAL) << 4) | (sym.type ?? STT_NOTYPE);
      symEntry(nameOff, info, sym.shndx ?? 1, sym.value);
    }
  }
  off = align(off, 8);
  const symtabOffset = off;
  off += symtab.length;
  const strtabOffset = off;
  off += strtab.length;
  const shstrtab = [0, ...enc.encode(".text\0.symtab\0.strtab\0.shstrtab\0")];
  const shstrtabOffset = off;
  off += shstrtab.length;
  off = align(off, 8);
  const shoff = withSections ? off : 0;
  const haveSymtab = spec.symbols !== undefined;
  const shnum = withSections ? (haveSymtab ? 5 : 3) : 0;
  off += shnum * 64;

  const bytes = new Uint8Array(off);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 2, spec.data ?? 1, 1, 0]);
  v.setUint16(16, spec.type ?? 2, true);
  v.setUint16(18, spec.machine ?? EM_RISCV, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, spec.entry ?? 0x80000000n, true);
  v.setBigUint64(32, BigInt(phoff), true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, segments.length, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, shnum, true);
  v.setUint16(62, shnum === 0 ? 0 : shnum - 1, true);

  segments.forEach((s, i) => {
    const o = phoff + 56 * i;
    const filesz = s.data?.length ?? 0;
    v.setUint32(o, s.type ?? PT_LOAD, true);
    v.setUint32(o + 4, s.flags ?? PF_R, true);
    v.setBigUint64(o + 8, BigInt(segmentOffsets[i]!), true);
    v.setBigUint64(o + 16, s.vaddr ?? 0x80000000n, true);
    v.setBigUint64(o + 24, s.paddr ?? s.vaddr ?? 0x80000000n, true);
    v.setBigUint64(o + 32, BigInt(filesz), true);
    v.setBigUint64(o + 40, s.memsz ?? BigInt(filesz), true);
    v.setBigUint64(o + 48, 0x1000n, true);
    if (s.data) bytes.set(s.data, segmentOffsets[i]!);
  });
  bytes.set(symtab, symtabOffset);
  bytes.set(strtab, strtabOffset);
  bytes.set(shstrtab, shstrtabOffset);

  const sh = (
    i: number,
    name: number,
    type: number,
    offset: number,
    size: number,
    link = 0,
    entsize = 0,
  ) => {
    const o = shoff + 64 * i;
    v.setUint32(o, name, true);
    v.setUint32(o + 4, type, true);
    v.setBigUint64(o + 24, BigInt(offset), true);
    v.setBigUint64(o + 32, BigInt(size), true);
    v.setUint32(o + 40, link, true);
    v.setBigUint64(o + 56, BigInt(entsize), true);
  };
  if (withSections) {
    sh(1, 1, 1, segmentOffsets[0] ?? 0, segments[0]?.data?.length ?? 0);
    if (haveSymtab) {
      sh(2, 7, 2, symtabOffset, symtab.length, 3, 24);
      sh(3, 15, 3, strtabOffset, strtab.length);
      sh(4, 23, 3, shstrtabOffset, shstrtab.length);
    } else {
      sh(2, 23, 3, shstrtabOffset, shstrtab.length);
    }
  }
  return { bytes, phoff, shoff, segmentOffsets, symtabOffset, strtabOffset };
}
