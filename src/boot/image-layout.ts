// Where the pieces of a boot go in guest RAM (firmware, kernel, device
// tree), checked before anything is written: every piece inside RAM, no two
// overlapping. An image is an ELF (loaded by p_paddr, as QEMU does) or, when
// it does not start with the ELF magic, a raw binary at a given address (as
// QEMU's load_image_targphys fallback).

import type { Machine } from "../machine/machine.js";
import { RAM_BASE } from "../machine/machine.js";
import { parseElf } from "./elf.js";

/** Bytes to place at a physical address; memsz past data.length is zeroed. */
export interface Piece {
  readonly what: string;
  readonly paddr: bigint;
  readonly data: Uint8Array;
  readonly memsz: bigint;
}

export interface PlacedImage {
  readonly pieces: readonly Piece[];
  /** Lowest and one past the highest address the image occupies. */
  readonly low: bigint;
  readonly high: bigint;
  /** e_entry for an ELF; the load address for a raw binary. */
  readonly entry: bigint;
  readonly isElf: boolean;
}

export type PlaceResult = { ok: true; image: PlacedImage } | { ok: false; error: string };

const hex = (v: bigint) => `0x${v.toString(16)}`;

function isElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x7f &&
    bytes[1] === 0x45 &&
    bytes[2] === 0x4c &&
    bytes[3] === 0x46
  );
}

/** Places an ELF at its addresses, or a raw binary at rawAddr. */
export function placeImage(what: string, bytes: Uint8Array, rawAddr: bigint): PlaceResult {
  if (!isElf(bytes)) {
    if (bytes.length === 0) return { ok: false, error: `${what}: empty file` };
    const memsz = BigInt(bytes.length);
    return {
      ok: true,
      image: {
        pieces: [{ what, paddr: rawAddr, data: bytes, memsz }],
        low: rawAddr,
        high: rawAddr + memsz,
        entry: rawAddr,
        isElf: false,
      },
    };
  }
  const parsed = parseElf(bytes);
  if (!parsed.ok) return { ok: false, error: `${what}: ${parsed.error}` };
  const { elf } = parsed;
  if (elf.segments.length === 0) return { ok: false, error: `${what}: no loadable segment` };
  let low = elf.segments[0]!.paddr;
  let high = low;
  const pieces = elf.segments.map((seg, i) => {
    if (seg.paddr < low) low = seg.paddr;
    if (seg.paddr + seg.memsz > high) high = seg.paddr + seg.memsz;
    return { what: `${what} segment ${i}`, paddr: seg.paddr, data: seg.data, memsz: seg.memsz };
  });
  return { ok: true, image: { pieces, low, high, entry: elf.entry, isElf: true } };
}

/** Checks that every piece lies in RAM and none overlaps another; an error line if not. */
export function checkLayout(pieces: readonly Piece[], ramSize: number): string | undefined {
  const ramEnd = RAM_BASE + BigInt(ramSize);
  for (const p of pieces) {
    const end = p.paddr + p.memsz;
    if (p.paddr < RAM_BASE || end > ramEnd) {
      return `${p.what} at ${hex(p.paddr)}..${hex(end)} lies outside RAM (${hex(RAM_BASE)}..${hex(ramEnd)})`;
    }
  }
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      const a = pieces[i]!;
      const b = pieces[j]!;
      if (a.paddr < b.paddr + b.memsz && b.paddr < a.paddr + a.memsz) {
        return `${a.what} at ${hex(a.paddr)} overlaps ${b.what} at ${hex(b.paddr)} (RAM too small?)`;
      }
    }
  }
  return undefined;
}

/** Writes checked pieces into the machine's RAM, zeroing each one's tail. */
export function writePieces(machine: Machine, pieces: readonly Piece[]): void {
  for (const p of pieces) {
    machine.writePhys(p.paddr, p.data);
    const bss = Number(p.memsz) - p.data.length;
    if (bss > 0) machine.writePhys(p.paddr + BigInt(p.data.length), new Uint8Array(bss));
  }
}
