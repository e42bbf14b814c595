// Parses a static little-endian ELF64 RISC-V executable into its loadable segments, entry
// point and symbol table, as the System V ABI "gABI" (chapters 4 "Object Files" and 5
// "Program Loading") and the RISC-V ELF psABI (EM_RISCV = 243) define them.
//
// Every value in the file is untrusted: offsets and sizes are read as bigint and compared
// with the file length before anything is sliced, and nothing is allocated in proportion
// to a header field (segment data are views into the input), so a malformed file yields
// { ok: false } instead of an exception or a huge allocation.

export interface ElfSegment {
  /** p_paddr: where the segment is loaded in physical memory (mica loads by p_paddr, as QEMU does). */
  readonly paddr: bigint;
  /** p_vaddr */
  readonly vaddr: bigint;
  /** The p_filesz file bytes at p_offset: a view into the input, not a copy. */
  readonly data: Uint8Array;
  /** p_memsz: bytes past data.length up to memsz are zero (.bss). */
  readonly memsz: bigint;
  /** p_flags: PF_X | PF_W | PF_R */
  readonly flags: number;
}

export interface Elf {
  /** e_entry */
  readonly entry: bigint;
  /** PT_LOAD segments with p_memsz > 0, in program header order. */
  readonly segments: readonly ElfSegment[];
  /** Defined symbols of .symtab, name -> st_value; empty when the file is stripped. */
  readonly symbols: ReadonlyMap<string, bigint>;
}

export type ElfParseResult = { ok: true; elf: Elf } | { ok: false; error: string };

// e_ident indexes and values.
const EI_CLASS = 4;
const EI_DATA = 5;
const EI_VERSION = 6;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const EV_CURRENT = 1;

// e_type
const ET_NONE = 0;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;

export const EM_RISCV = 243;

// p_type
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;

// p_flags
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

// sh_type
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;

// Extended numbering (gABI "Sections"): when a count does not fit its 16-bit field, the
// real value lives in section header 0.
const PN_XNUM = 0xffff;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;
const SHN_XINDEX = 0xffff;

// st_info
const STB_LOCAL = 0;
const STT_SECTION = 3;
const STT_FILE = 4;

const ELF64_EHDR_SIZE = 64;
const ELF64_PHDR_SIZE = 56;
const ELF64_SHDR_SIZE = 64;
const ELF64_SYM_SIZE = 24;

const U64_LIMIT = 1n << 64n;

const MACHINE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "none"],
  [2, "SPARC"],
  [3, "x86 (i386)"],
  [8, "MIPS"],
  [20, "PowerPC"],
  [21, "PowerPC64"],
  [22, "S/390"],
  [40, "ARM"],
  [43, "SPARC V9"],
  [62, "x86-64"],
  [183, "AArch64"],
  [258, "LoongArch"],
]);

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [ET_NONE, "ET_NONE"],
  [ET_REL, "ET_REL"],
  [ET_EXEC, "ET_EXEC"],
  [ET_DYN, "ET_DYN"],
  [ET_CORE, "ET_CORE"],
]);

interface SectionHeader {
  readonly sh_type: number;
  readonly sh_offset: bigint;
  readonly sh_size: bigint;
  readonly sh_link: number;
  readonly sh_info: number;
  readonly sh_entsize: bigint;
}

type Step<T> = { ok: true; value: T } | { ok: false; error: string };

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

/** True when [offset, offset + size) lies inside a file of `length` bytes. */
function fits(offset: bigint, size: bigint, length: number): boolean {
  return offset + size <= BigInt(length);
}

export function parseElf(bytes: Uint8Array): ElfParseResult {
  if (
    bytes.length < 4 ||
    bytes[0] !== 0x7f ||
    bytes[1] !== 0x45 || // 'E'
    bytes[2] !== 0x4c || // 'L'
    bytes[3] !== 0x46 // 'F'
  ) {
    return fail("not an ELF file (bad magic)");
  }
  if (bytes.length < 16) {
    return fail(`truncated ELF: e_ident needs 16 bytes, file has ${bytes.length}`);
  }
  const elfClass = bytes[EI_CLASS]!;
  if (elfClass === ELFCLASS32) {
    return fail("ELF is 32-bit (ELFCLASS32); mica runs RV64 (ELFCLASS64) programs");
  }
  if (elfClass !== ELFCLASS64) {
    return fail(`invalid ELF class ${elfClass} in e_ident[EI_CLASS]`);
  }
  const elfData = bytes[EI_DATA]!;
  if (elfData === ELFDATA2MSB) {
    return fail("big-endian ELF not supported");
  }
  if (elfData !== ELFDATA2LSB) {
    return fail(`invalid ELF data encoding ${elfData} in e_ident[EI_DATA]`);
  }
  if (bytes[EI_VERSION] !== EV_CURRENT) {
    return fail(`unsupported ELF version ${bytes[EI_VERSION]} in e_ident[EI_VERSION]`);
  }
  if (bytes.length < ELF64_EHDR_SIZE) {
    return fail(`truncated ELF: file header needs 64 bytes, file has ${bytes.length}`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const e_type = view.getUint16(16, true);
  const e_machine = view.getUint16(18, true);
  const e_version = view.getUint32(20, true);
  const e_entry = view.getBigUint64(24, true);
  const e_phoff = view.getBigUint64(32, true);
  const e_shoff = view.getBigUint64(40, true);
  const e_phentsize = view.getUint16(54, true);
  const e_phnum16 = view.getUint16(56, true);
  const e_shentsize = view.getUint16(58, true);
  const e_shnum16 = view.getUint16(60, true);

  if (e_machine !== EM_RISCV) {
    const name = MACHINE_NAMES.get(e_machine);
    const what = name === undefined ? `${e_machine}` : `${name} (${e_machine})`;
    return fail(`ELF machine is ${what}, not RISC-V (${EM_RISCV})`);
  }
  if (e_type !== ET_EXEC && e_type !== ET_DYN) {
    return fail(`not an executable (e_type ${TYPE_NAMES.get(e_type) ?? hex(e_type)})`);
  }
  if (e_version !== EV_CURRENT) {
    return fail(`unsupported ELF version ${e_version} in e_version`);
  }

  // Extended numbering keeps the real program header count in section header 0.
  let e_phnum = e_phnum16;
  if (e_phnum16 === PN_XNUM && e_shoff !== 0n) {
    const s0 = readSectionHeader(view, e_shoff, 0);
    if (!s0.ok) return s0;
    e_phnum = s0.value.sh_info;
  }

  // Program headers.
  if (e_phnum > 0 && e_phentsize !== ELF64_PHDR_SIZE) {
    return fail(`bad e_phentsize ${e_phentsize} (ELF64 program headers are 56 bytes)`);
  }
  const segments: ElfSegment[] = [];
  let hasDynamic = false;
  // The whole table is bounds-checked first, so a truncated file is reported as such
  // rather than through whichever segment's data happens to be missing too.
  const phdrs = checkTable(e_phoff, e_phnum, ELF64_PHDR_SIZE, bytes.length);
  if (phdrs !== undefined) {
    return fail(`truncated ELF: program header ${phdrs} extends past end of file`);
  }
  for (let i = 0; i < e_phnum; i++) {
    const o = Number(e_phoff) + i * ELF64_PHDR_SIZE;
    const p_type = view.getUint32(o, true);
    const p_flags = view.getUint32(o + 4, true);
    const p_offset = view.getBigUint64(o + 8, true);
    const p_vaddr = view.getBigUint64(o + 16, true);
    const p_paddr = view.getBigUint64(o + 24, true);
    const p_filesz = view.getBigUint64(o + 32, true);
    const p_memsz = view.getBigUint64(o + 40, true);

    if (p_type === PT_INTERP) {
      return fail(
        "dynamically linked ELF (has PT_INTERP); mica needs a statically linked executable",
      );
    }
    if (p_type === PT_DYNAMIC) hasDynamic = true;
    if (p_type !== PT_LOAD) continue;

    if (p_filesz > p_memsz) {
      return fail(
        `bad program header ${i}: p_filesz ${hex(p_filesz)} is larger than p_memsz ${hex(p_memsz)}`,
      );
    }
    if (!fits(p_offset, p_filesz, bytes.length)) {
      return fail(`truncated ELF: segment ${i} data extends past end of file`);
    }
    if (p_vaddr + p_memsz > U64_LIMIT || p_paddr + p_memsz > U64_LIMIT) {
      return fail(`bad program header ${i}: segment wraps past the top of the address space`);
    }
    if (p_memsz === 0n) continue;
    const start = Number(p_offset);
    segments.push({
      paddr: p_paddr,
      vaddr: p_vaddr,
      data: bytes.subarray(start, start + Number(p_filesz)),
      memsz: p_memsz,
      flags: p_flags,
    });
  }
  if (e_type === ET_DYN && hasDynamic) {
    return fail(
      "position-independent ELF with PT_DYNAMIC needs relocating; link it static and non-PIE",
    );
  }
  if (segments.length === 0) {
    return fail("ELF has nothing to load (no PT_LOAD segment with p_memsz > 0)");
  }

  const symbols = readSymbols(view, bytes, e_shoff, e_shentsize, e_shnum16);
  if (!symbols.ok) return symbols;
  return { ok: true, elf: { entry: e_entry, segments, symbols: symbols.value } };
}

/** The index of the first entry of a table that does not fit in the file, if any. */
function checkTable(
  offset: bigint,
  count: number | bigint,
  entrySize: number,
  length: number,
): bigint | undefined {
  const size = BigInt(entrySize);
  if (fits(offset, BigInt(count) * size, length)) return undefined;
  const present = BigInt(length) - offset;
  return present < 0n ? 0n : present / size;
}

function readSectionHeader(view: DataView, e_shoff: bigint, index: number): Step<SectionHeader> {
  const at = e_shoff + BigInt(index) * BigInt(ELF64_SHDR_SIZE);
  if (!fits(at, BigInt(ELF64_SHDR_SIZE), view.byteLength)) {
    return fail(`truncated ELF: section header ${index} extends past end of file`);
  }
  const o = Number(at);
  return {
    ok: true,
    value: {
      sh_type: view.getUint32(o + 4, true),
      sh_offset: view.getBigUint64(o + 24, true),
      sh_size: view.getBigUint64(o + 32, true),
      sh_link: view.getUint32(o + 40, true),
      sh_info: view.getUint32(o + 44, true),
      sh_entsize: view.getBigUint64(o + 56, true),
    },
  };
}

function readSymbols(
  view: DataView,
  bytes: Uint8Array,
  e_shoff: bigint,
  e_shentsize: number,
  e_shnum16: number,
): Step<Map<string, bigint>> {
  const symbols = new Map<string, bigint>();
  if (e_shoff === 0n) return { ok: true, value: symbols };
  if (e_shentsize !== ELF64_SHDR_SIZE) {
    return fail(`bad e_shentsize ${e_shentsize} (ELF64 section headers are 64 bytes)`);
  }
  // Extended numbering: e_shnum 0 with a section table means the count is in section 0.
  let e_shnum = BigInt(e_shnum16);
  if (e_shnum16 === 0) {
    const s0 = readSectionHeader(view, e_shoff, 0);
    if (!s0.ok) return s0;
    e_shnum = s0.value.sh_size;
  }
  // Bounding the whole table by the file size first also bounds the loop below.
  const shdrs = checkTable(e_shoff, e_shnum, ELF64_SHDR_SIZE, bytes.length);
  if (shdrs !== undefined) {
    return fail(`truncated ELF: section header ${shdrs} extends past end of file`);
  }
  const shnum = Number(e_shnum);

  // The gABI allows one SHT_SYMTAB per file; its sh_link names the string table.
  let symtabIndex = -1;
  let symtab: SectionHeader | undefined;
  for (let i = 0; i < shnum; i++) {
    const sh = readSectionHeader(view, e_shoff, i);
    if (!sh.ok) return sh;
    if (sh.value.sh_type === SHT_SYMTAB) {
      symtabIndex = i;
      symtab = sh.value;
      break;
    }
  }
  if (symtab === undefined) return { ok: true, value: symbols };

  if (symtab.sh_entsize !== BigInt(ELF64_SYM_SIZE)) {
    return fail(
      `bad symbol table (section ${symtabIndex}): sh_entsize ${symtab.sh_entsize}, expected 24`,
    );
  }
  if (!fits(symtab.sh_offset, symtab.sh_size, bytes.length)) {
    return fail(`truncated ELF: symbol table (section ${symtabIndex}) extends past end of file`);
  }
  if (symtab.sh_link === 0 || symtab.sh_link >= shnum) {
    return fail(
      `bad symbol table (section ${symtabIndex}): sh_link ${symtab.sh_link} is not a section`,
    );
  }
  const strtab = readSectionHeader(view, e_shoff, symtab.sh_link);
  if (!strtab.ok) return strtab;
  if (strtab.value.sh_type !== SHT_STRTAB) {
    return fail(
      `bad symbol table (section ${symtabIndex}): its sh_link ${symtab.sh_link} is not a SHT_STRTAB`,
    );
  }
  if (!fits(strtab.value.sh_offset, strtab.value.sh_size, bytes.length)) {
    return fail(`truncated ELF: string table (section ${symtab.sh_link}) extends past end of file`);
  }
  const strStart = Number(strtab.value.sh_offset);
  const strings = bytes.subarray(strStart, strStart + Number(strtab.value.sh_size));

  const decoder = new TextDecoder("utf-8");
  // A global definition beats a local one of the same name (several files may each have a
  // local "loop"); among equals the first wins, as a linker map would show.
  const global = new Set<string>();
  const count = Number(symtab.sh_size / BigInt(ELF64_SYM_SIZE));
  const base = Number(symtab.sh_offset);
  // Symbol 0 is the reserved null symbol.
  for (let i = 1; i < count; i++) {
    const o = base + i * ELF64_SYM_SIZE;
    const st_name = view.getUint32(o, true);
    const st_info = view.getUint8(o + 4);
    const st_shndx = view.getUint16(o + 6, true);
    const st_value = view.getBigUint64(o + 8, true);
    const type = st_info & 0xf;
    const bind = st_info >> 4;
    if (st_name === 0 || st_shndx === SHN_UNDEF) continue;
    if (type === STT_SECTION || type === STT_FILE) continue;
    // Reserved indexes other than SHN_ABS (e.g. SHN_COMMON) have no address yet.
    if (st_shndx >= SHN_LORESERVE && st_shndx !== SHN_ABS && st_shndx !== SHN_XINDEX) continue;
    if (st_name >= strings.length) {
      return fail(`bad symbol ${i}: st_name ${st_name} is outside the string table`);
    }
    const end = strings.indexOf(0, st_name);
    if (end < 0) {
      return fail(`bad symbol ${i}: its name is not NUL-terminated in the string table`);
    }
    const name = decoder.decode(strings.subarray(st_name, end));
    const isGlobal = bind !== STB_LOCAL;
    if (!symbols.has(name) || (isGlobal && !global.has(name))) {
      symbols.set(name, st_value);
      if (isGlobal) global.add(name);
    }
  }
  return { ok: true, value: symbols };
}
