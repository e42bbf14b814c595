import { closeSync, openSync, readSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildElf,
  PT_LOAD,
  STB_GLOBAL,
  STB_LOCAL,
  STT_SECTION,
} from "../../tests/support/elf-builder.js";
import { EM_RISCV, PF_R, PF_W, PF_X, parseElf } from "./elf.js";

function expectError(bytes: Uint8Array, pattern: RegExp | string): void {
  const r = parseElf(bytes);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error).not.toContain("\n");
    if (typeof pattern === "string") expect(r.error).toBe(pattern);
    else expect(r.error).toMatch(pattern);
  }
}

describe("parseElf: valid executables", () => {
  it("returns entry and PT_LOAD segments by p_paddr with file bytes and p_memsz", () => {
    const text = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const dataBytes = new Uint8Array([9, 10]);
    const { bytes } = buildElf({
      entry: 0x80000004n,
      segments: [
        {
          flags: PF_R | PF_X,
          vaddr: 0xffffffc000000000n,
          paddr: 0x80000000n,
          data: text,
          memsz: 8n,
        },
        { flags: PF_R | PF_W, vaddr: 0x80001000n, data: dataBytes, memsz: 0x2000n },
      ],
    });
    const r = parseElf(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.elf.entry).toBe(0x80000004n);
    expect(r.elf.segments).toHaveLength(2);
    const [s0, s1] = r.elf.segments;
    expect(s0!.paddr).toBe(0x80000000n);
    expect(s0!.vaddr).toBe(0xffffffc000000000n);
    expect([...s0!.data]).toEqual([...text]);
    expect(s0!.memsz).toBe(8n);
    expect(s0!.flags).toBe(PF_R | PF_X);
    expect(s1!.paddr).toBe(0x80001000n);
    expect([...s1!.data]).toEqual([9, 10]);
    expect(s1!.memsz).toBe(0x2000n);
    expect(s1!.flags).toBe(PF_R | PF_W);
  });

  it("skips non-PT_LOAD segments and PT_LOAD segments with p_memsz 0", () => {
    const { bytes } = buildElf({
      segments: [
        { type: 4 /* PT_NOTE */, data: new Uint8Array(4) },
        { type: 0x70000003 /* PT_RISCV_ATTRIBUTES */, data: new Uint8Array(4) },
        { type: PT_LOAD, memsz: 0n },
        { type: PT_LOAD, data: new Uint8Array([1]), memsz: 1n },
        { type: 0x6474e551 /* PT_GNU_STACK */ },
      ],
    });
    const r = parseElf(bytes);
    expect(r.ok && r.elf.segments.length).toBe(1);
  });

  it("accepts a pure .bss segment (p_filesz 0)", () => {
    const { bytes } = buildElf({
      segments: [
        { data: new Uint8Array([1]), memsz: 1n },
        { vaddr: 0x80010000n, memsz: 0x100n },
      ],
    });
    const r = parseElf(bytes);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.elf.segments[1]!.data.length).toBe(0);
      expect(r.elf.segments[1]!.memsz).toBe(0x100n);
    }
  });

  it("accepts ET_DYN without PT_DYNAMIC or PT_INTERP", () => {
    expect(parseElf(buildElf({ type: 3 }).bytes).ok).toBe(true);
  });

  it("reads tohost/fromhost from .symtab", () => {
    const { bytes } = buildElf({
      symbols: [
        { name: "_start", value: 0x80000000n },
        { name: "tohost", value: 0x80001000n },
        { name: "fromhost", value: 0x80001040n },
      ],
    });
    const r = parseElf(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.elf.symbols.get("tohost")).toBe(0x80001000n);
    expect(r.elf.symbols.get("fromhost")).toBe(0x80001040n);
    expect(r.elf.symbols.get("_start")).toBe(0x80000000n);
    expect(r.elf.symbols.size).toBe(3);
  });

  it("returns no symbols when there is no .symtab or no section headers at all", () => {
    for (const r of [parseElf(buildElf().bytes), parseElf(buildElf({ sections: false }).bytes)]) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.elf.symbols.size).toBe(0);
    }
  });

  it("skips undefined, section and file symbols, and prefers globals over locals", () => {
    const { bytes } = buildElf({
      symbols: [
        { name: "loop", value: 1n, bind: STB_LOCAL },
        { name: "loop", value: 2n, bind: STB_GLOBAL },
        { name: "loop", value: 3n, bind: STB_LOCAL },
        { name: "undef", value: 4n, shndx: 0 },
        { name: ".text", value: 5n, type: STT_SECTION },
        { name: "crt.S", value: 6n, type: 4 /* STT_FILE */, shndx: 0xfff1 },
        { name: "abs", value: 7n, shndx: 0xfff1 /* SHN_ABS */ },
        { name: "common", value: 8n, shndx: 0xfff2 /* SHN_COMMON */ },
      ],
    });
    const r = parseElf(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.elf.symbols]).toEqual([
      ["loop", 2n],
      ["abs", 7n],
    ]);
  });
});

describe("parseElf: rejected files", () => {
  it("rejects bad magic and empty input", () => {
    expectError(new Uint8Array(0), "not an ELF file (bad magic)");
    expectError(new TextEncoder().encode("#!/bin/sh\n"), "not an ELF file (bad magic)");
  });

  it("rejects a 32-bit ELF", () => {
    const bytes = buildElf({ elfClass: 1 }).bytes;
    expectError(bytes, "ELF is 32-bit (ELFCLASS32); mica runs RV64 (ELFCLASS64) programs");
    // Even one cut down to the 52-byte ELF32 header.
    expectError(bytes.subarray(0, 52), /32-bit/);
  });

  it("rejects an invalid class, big-endian and invalid data encodings", () => {
    expectError(buildElf({ elfClass: 3 }).bytes, /invalid ELF class 3/);
    expectError(buildElf({ data: 2 }).bytes, "big-endian ELF not supported");
    expectError(buildElf({ data: 0 }).bytes, /invalid ELF data encoding 0/);
  });

  it("rejects other machines, naming them", () => {
    expectError(buildElf({ machine: 62 }).bytes, "ELF machine is x86-64 (62), not RISC-V (243)");
    expectError(buildElf({ machine: 183 }).bytes, "ELF machine is AArch64 (183), not RISC-V (243)");
    expectError(buildElf({ machine: 9999 }).bytes, "ELF machine is 9999, not RISC-V (243)");
  });

  it("rejects relocatable, core and unknown e_type", () => {
    expectError(buildElf({ type: 1 }).bytes, "not an executable (e_type ET_REL)");
    expectError(buildElf({ type: 4 }).bytes, "not an executable (e_type ET_CORE)");
    expectError(buildElf({ type: 0xfe00 }).bytes, "not an executable (e_type 0xfe00)");
  });

  it("rejects PT_INTERP, and PT_DYNAMIC in ET_DYN", () => {
    const interp = {
      type: 3,
      data: new TextEncoder().encode("/lib/ld-linux-riscv64-lp64d.so.1\0"),
    };
    const load = { data: new Uint8Array(4), memsz: 4n };
    expectError(buildElf({ segments: [interp, load] }).bytes, /PT_INTERP.*statically linked/);
    expectError(buildElf({ type: 3, segments: [interp, load] }).bytes, /PT_INTERP/);
    expectError(
      buildElf({ type: 3, segments: [load, { type: 2, data: new Uint8Array(16) }] }).bytes,
      /PT_DYNAMIC/,
    );
  });

  it("rejects p_filesz > p_memsz", () => {
    const { bytes } = buildElf({ segments: [{ data: new Uint8Array(16), memsz: 8n }] });
    expectError(bytes, "bad program header 0: p_filesz 0x10 is larger than p_memsz 0x8");
  });

  it("rejects a file with nothing to load", () => {
    expectError(buildElf({ segments: [] }).bytes, /nothing to load/);
    expectError(buildElf({ segments: [{ memsz: 0n }] }).bytes, /nothing to load/);
  });

  it("rejects segments that wrap the address space", () => {
    const { bytes } = buildElf({ segments: [{ vaddr: 0xfffffffffffff000n, memsz: 0x2000n }] });
    expectError(bytes, /wraps/);
  });

  it("rejects segment data beyond the end of the file, even with huge p_offset/p_filesz", () => {
    const built = buildElf();
    const v = new DataView(built.bytes.buffer);
    const ph0 = built.phoff;
    v.setBigUint64(ph0 + 8, 0xfffffffffffffff0n, true); // p_offset
    expectError(built.bytes, "truncated ELF: segment 0 data extends past end of file");
    v.setBigUint64(ph0 + 8, 0n, true);
    v.setBigUint64(ph0 + 32, 0xffffffffffffffffn, true); // p_filesz
    v.setBigUint64(ph0 + 40, 0xffffffffffffffffn, true); // p_memsz
    expectError(built.bytes, "truncated ELF: segment 0 data extends past end of file");
  });

  it("rejects a huge e_phoff, e_phnum or e_shoff without allocating", () => {
    const a = buildElf();
    new DataView(a.bytes.buffer).setBigUint64(32, 0xffffffffffffffc0n, true);
    expectError(a.bytes, "truncated ELF: program header 0 extends past end of file");
    const b = buildElf();
    new DataView(b.bytes.buffer).setUint16(56, 0xfffe, true);
    // Garbage headers may be rejected for their contents before the table runs out.
    expectError(b.bytes, /program header \d+/);
    const c = buildElf();
    new DataView(c.bytes.buffer).setBigUint64(40, 0xffffffffffffffc0n, true);
    expectError(c.bytes, "truncated ELF: section header 0 extends past end of file");
  });

  it("follows extended numbering (PN_XNUM, e_shnum 0) through section header 0", () => {
    const built = buildElf({ symbols: [{ name: "tohost", value: 0x80001000n }] });
    const v = new DataView(built.bytes.buffer);
    v.setUint16(56, 0xffff, true); // e_phnum = PN_XNUM
    v.setUint32(built.shoff + 44, 1, true); // section 0 sh_info = real e_phnum
    v.setUint16(60, 0, true); // e_shnum = 0
    v.setBigUint64(built.shoff + 32, 5n, true); // section 0 sh_size = real e_shnum
    const r = parseElf(built.bytes);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.elf.segments).toHaveLength(1);
      expect(r.elf.symbols.get("tohost")).toBe(0x80001000n);
    }
    v.setBigUint64(built.shoff + 32, 1n << 60n, true);
    expectError(built.bytes, /truncated ELF: section header \d+ extends past end of file/);
  });

  it("rejects bad header entry sizes", () => {
    const a = buildElf();
    new DataView(a.bytes.buffer).setUint16(54, 32, true);
    expectError(a.bytes, /bad e_phentsize 32/);
    const b = buildElf();
    new DataView(b.bytes.buffer).setUint16(58, 40, true);
    expectError(b.bytes, /bad e_shentsize 40/);
  });

  it("rejects malformed symbol tables", () => {
    const syms = [{ name: "tohost", value: 0x80001000n }];
    // st_name beyond .strtab
    const a = buildElf({ symbols: syms });
    new DataView(a.bytes.buffer).setUint32(a.symtabOffset + 24, 0x7fffffff, true);
    expectError(a.bytes, /bad symbol 1: st_name .* outside the string table/);
    // name not NUL-terminated: overwrite the final NUL of .strtab
    const b = buildElf({ symbols: syms });
    b.bytes[b.strtabOffset + 1 + "tohost".length] = 0x41;
    expectError(b.bytes, /not NUL-terminated/);
    // sh_link of .symtab pointing past the section table
    const c = buildElf({ symbols: syms });
    new DataView(c.bytes.buffer).setUint32(c.shoff + 2 * 64 + 40, 99, true);
    expectError(c.bytes, /sh_link 99 is not a section/);
    // sh_link pointing at a non-STRTAB section (.text)
    const d = buildElf({ symbols: syms });
    new DataView(d.bytes.buffer).setUint32(d.shoff + 2 * 64 + 40, 1, true);
    expectError(d.bytes, /not a SHT_STRTAB/);
    // wrong sh_entsize
    const e = buildElf({ symbols: syms });
    new DataView(e.bytes.buffer).setBigUint64(e.shoff + 2 * 64 + 56, 16n, true);
    expectError(e.bytes, /sh_entsize 16/);
    // huge sh_size
    const f = buildElf({ symbols: syms });
    new DataView(f.bytes.buffer).setBigUint64(f.shoff + 2 * 64 + 32, 0xffffffffffffff00n, true);
    expectError(f.bytes, "truncated ELF: symbol table (section 2) extends past end of file");
  });

  it("rejects truncation at every header and table", () => {
    const built = buildElf({
      segments: [
        { data: new Uint8Array(16).fill(0x13), memsz: 16n },
        { vaddr: 0x80001000n, data: new Uint8Array(8).fill(1), memsz: 0x100n },
      ],
      symbols: [{ name: "tohost", value: 0x80001000n }],
    });
    const full = built.bytes;
    expect(parseElf(full).ok).toBe(true);
    const cases: Array<[number, RegExp]> = [
      [3, /bad magic/],
      [10, /truncated ELF: e_ident/],
      [63, /truncated ELF: file header/],
      [built.phoff + 56 + 10, /truncated ELF: program header 1 extends/],
      [built.segmentOffsets[1]! + 4, /truncated ELF: segment 1 data/],
      [built.shoff + 64 * 3 + 1, /truncated ELF: section header 3 extends/],
      [built.shoff + 10, /truncated ELF: section header 0 extends/],
    ];
    for (const [length, pattern] of cases) {
      expectError(full.subarray(0, length), pattern);
    }
    // Section data cut while the section headers still point at it (headers moved off the end).
    const copy = full.slice();
    new DataView(copy.buffer).setBigUint64(
      copy.length - 64 * 3 + 24,
      BigInt(copy.length + 8),
      true,
    );
    expectError(copy, /truncated ELF: symbol table \(section 2\)/);
    // Every shorter prefix fails, and with a one-line message.
    for (let length = 0; length < full.length; length++) {
      expectError(full.subarray(0, length), /truncated ELF|bad magic/);
    }
  });

  it("rejects this host's own executable unless the host is RISC-V", () => {
    // The headers are enough to reject it; the whole binary is ~100 MB.
    const head = new Uint8Array(4096);
    const fd = openSync(process.execPath, "r");
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const r = parseElf(head.subarray(0, n));
    if (process.arch === "riscv64") return;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^ELF machine is .*, not RISC-V \(243\)$|bad magic/);
  });
});

describe("parseElf: robustness", () => {
  // xorshift32: deterministic so a failure is reproducible.
  function rng(seed: number): () => number {
    let x = seed;
    return () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x;
    };
  }

  it("never throws on truncated or bit-flipped input", () => {
    const base = buildElf({
      segments: [
        { data: new Uint8Array(32).fill(0x13), memsz: 32n },
        { type: 3, data: new Uint8Array(4) },
        { vaddr: 0x80001000n, data: new Uint8Array(8), memsz: 0x100n },
      ],
      symbols: [
        { name: "tohost", value: 0x80001000n },
        { name: "fromhost", value: 0x80001040n },
      ],
    }).bytes;
    const next = rng(0x1234567);
    let oks = 0;
    for (let round = 0; round < 20000; round++) {
      let bytes = base.slice();
      const flips = 1 + (next() % 8);
      for (let k = 0; k < flips; k++) {
        const at = next() % bytes.length;
        // Mostly flip bits in the headers, where the interesting fields are.
        const pos = next() % 4 === 0 ? at : at % 128;
        bytes[pos] = bytes[pos]! ^ (1 << (next() % 8));
      }
      if (next() % 3 === 0) bytes = bytes.subarray(0, next() % (bytes.length + 1));
      let r: ReturnType<typeof parseElf> | undefined;
      expect(() => {
        r = parseElf(bytes);
      }).not.toThrow();
      if (r?.ok) {
        oks++;
        for (const s of r.elf.segments) expect(BigInt(s.data.length)).toBeLessThanOrEqual(s.memsz);
      } else {
        expect(r?.error).toMatch(/^[^\n]+$/);
      }
    }
    // Some mutations hit don't-care bytes, so the valid path is exercised too.
    expect(oks).toBeGreaterThan(0);
  });

  it("never throws on random bytes behind a valid e_ident", () => {
    const next = rng(42);
    for (let round = 0; round < 5000; round++) {
      const bytes = new Uint8Array(64 + (next() % 512));
      for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
      bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
      bytes[18] = EM_RISCV;
      bytes[19] = 0;
      expect(() => parseElf(bytes)).not.toThrow();
    }
  });
});
