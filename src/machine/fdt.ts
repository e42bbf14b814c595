// Writes a Flattened Devicetree blob (DTB, version 17) from a node tree, laid out as the
// Devicetree Specification v0.4 chapter 5 "Flattened Devicetree (DTB) Format" describes:
// header (5.2), memory reservation block (5.3), structure block (5.4) and strings block
// (5.5), all big-endian; node and property names are checked against chapter 2.2.

import { ByteBuffer } from "./byte-buffer.js";

/** A property value, typed by how it is encoded (spec 2.2.4 "Property Values"). */
export type FdtValue =
  /** <prop-encoded-array> of 32-bit cells */
  | { readonly u32: readonly number[] }
  /** 64-bit values, each as two cells, high cell first */
  | { readonly u64: readonly bigint[] }
  /** a NUL-terminated <string> */
  | { readonly str: string }
  /** a <stringlist>: each string NUL-terminated */
  | { readonly strs: readonly string[] }
  /** raw bytes, as written (also what the parser returns for every property) */
  | { readonly bytes: Uint8Array }
  /** <empty>: a boolean property such as interrupt-controller */
  | { readonly empty: true };

export type FdtProperty = readonly [name: string, value: FdtValue];

export interface FdtNode {
  /** node-name[@unit-address]; "" for the root node (spec 2.2.1). */
  readonly name: string;
  readonly props: readonly FdtProperty[];
  readonly children: readonly FdtNode[];
}

/** One memory reservation block entry (spec 5.3.2). */
export interface FdtReservation {
  readonly address: bigint;
  readonly size: bigint;
}

export interface FdtEncodeOptions {
  /** boot_cpuid_phys: the physical ID of the boot CPU; 0 unless said otherwise. */
  readonly bootCpuidPhys?: number;
  readonly reservations?: readonly FdtReservation[];
}

export type FdtEncodeResult = { ok: true; blob: Uint8Array } | { ok: false; error: string };

export type FdtValueResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
/** The lowest version a v17 blob is backwards compatible with (spec 5.2). */
export const FDT_LAST_COMP_VERSION = 16;
export const FDT_HEADER_SIZE = 40;

// Structure block tokens (spec 5.4.1).
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;

// Spec 2.2.1 Table 2.1 (node names) and 2.2.4.1 Table 2.2 (property names).
const NODE_NAME = /^[0-9a-zA-Z,._+-]{1,31}(@[0-9a-zA-Z,._+-]+)?$/;
const PROPERTY_NAME = /^[0-9a-zA-Z,._+?#-]{1,31}$/;

// A tree is built by code, so this only trips on a cycle, which would otherwise recurse
// until the stack overflows.
const MAX_DEPTH = 64;

const U64_MAX = (1n << 64n) - 1n;

/** Big-endian, as every FDT field is. */
class ByteSink extends ByteBuffer {
  u32(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  u64(v: bigint): void {
    this.u32(Number(v >> 32n));
    this.u32(Number(v & 0xffffffffn));
  }

  /** Zero bytes up to the next multiple of `to`. */
  align(to: number): void {
    const pad = (to - (this.length % to)) % to;
    this.reserve(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }
}

const encoder = new TextEncoder();

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function isU32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function cString(s: string, what: string): FdtValueResult {
  if (s.includes("\0")) return fail(`${what} contains a NUL character`);
  const text = encoder.encode(s);
  const out = new Uint8Array(text.length + 1);
  out.set(text);
  return { ok: true, bytes: out };
}

/** The bytes a property value is stored as in the structure block. */
export function fdtValueBytes(value: FdtValue): FdtValueResult {
  if ("u32" in value) {
    const out = new Uint8Array(4 * value.u32.length);
    const view = new DataView(out.buffer);
    for (const [i, cell] of value.u32.entries()) {
      if (!isU32(cell)) return fail(`cell ${i} (${cell}) is not a 32-bit unsigned integer`);
      view.setUint32(4 * i, cell);
    }
    return { ok: true, bytes: out };
  }
  if ("u64" in value) {
    const out = new Uint8Array(8 * value.u64.length);
    const view = new DataView(out.buffer);
    for (const [i, v] of value.u64.entries()) {
      if (v < 0n || v > U64_MAX) return fail(`value ${i} (${v}) is not a 64-bit unsigned integer`);
      view.setBigUint64(8 * i, v);
    }
    return { ok: true, bytes: out };
  }
  if ("str" in value) return cString(value.str, "string");
  if ("strs" in value) {
    const parts: Uint8Array[] = [];
    for (const [i, s] of value.strs.entries()) {
      const part = cString(s, `string ${i}`);
      if (!part.ok) return part;
      parts.push(part.bytes);
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return { ok: true, bytes: out };
  }
  if ("bytes" in value) return { ok: true, bytes: value.bytes };
  return { ok: true, bytes: new Uint8Array(0) };
}

/** Encodes `root` (whose name must be "") as a version 17 DTB. */
export function encodeFdt(root: FdtNode, options: FdtEncodeOptions = {}): FdtEncodeResult {
  const bootCpuidPhys = options.bootCpuidPhys ?? 0;
  if (!isU32(bootCpuidPhys)) return fail(`boot_cpuid_phys ${bootCpuidPhys} is not a 32-bit value`);
  if (root.name !== "") return fail(`the root node's name must be "", not "${root.name}"`);

  // Memory reservation block: (address, size) pairs ending with a zero pair (spec 5.3).
  const rsvmap = new ByteSink();
  for (const [i, r] of (options.reservations ?? []).entries()) {
    if (r.address < 0n || r.address > U64_MAX || r.size < 0n || r.size > U64_MAX) {
      return fail(`memory reservation ${i} is not a pair of 64-bit values`);
    }
    rsvmap.u64(r.address);
    rsvmap.u64(r.size);
  }
  rsvmap.u64(0n);
  rsvmap.u64(0n);

  // Strings block: each property name once, at the offset of its first use.
  const strings = new ByteSink();
  const nameOffsets = new Map<string, number>();
  const struct = new ByteSink();
  const written = writeNode(root, "/", 0, struct, strings, nameOffsets);
  if (!written.ok) return written;
  struct.u32(FDT_END);

  // Header, then the blocks in the order the spec recommends (5.1): the reservation map
  // 8-byte aligned, the structure block 4-byte aligned, strings unaligned.
  const off_mem_rsvmap = FDT_HEADER_SIZE;
  const off_dt_struct = off_mem_rsvmap + rsvmap.length;
  const off_dt_strings = off_dt_struct + struct.length;
  const totalsize = off_dt_strings + strings.length;

  const out = new ByteSink();
  out.u32(FDT_MAGIC);
  out.u32(totalsize);
  out.u32(off_dt_struct);
  out.u32(off_dt_strings);
  out.u32(off_mem_rsvmap);
  out.u32(FDT_VERSION);
  out.u32(FDT_LAST_COMP_VERSION);
  out.u32(bootCpuidPhys);
  out.u32(strings.length); // size_dt_strings
  out.u32(struct.length); // size_dt_struct
  out.bytes(rsvmap.view());
  out.bytes(struct.view());
  out.bytes(strings.view());
  return { ok: true, blob: out.take() };
}

function writeNode(
  node: FdtNode,
  path: string,
  depth: number,
  struct: ByteSink,
  strings: ByteSink,
  nameOffsets: Map<string, number>,
): { ok: true } | { ok: false; error: string } {
  if (depth > MAX_DEPTH) return fail(`node ${path}: tree is deeper than ${MAX_DEPTH} (a cycle?)`);
  if (depth > 0 && !NODE_NAME.test(node.name)) {
    return fail(`node ${path}: invalid node name "${node.name}"`);
  }
  struct.u32(FDT_BEGIN_NODE);
  struct.bytes(encoder.encode(node.name));
  struct.bytes(new Uint8Array(1));
  struct.align(4);

  // Properties must precede subnodes (spec 5.4.2).
  const seen = new Set<string>();
  for (const [name, value] of node.props) {
    if (!PROPERTY_NAME.test(name)) return fail(`node ${path}: invalid property name "${name}"`);
    if (seen.has(name)) return fail(`node ${path}: duplicate property "${name}"`);
    seen.add(name);
    const bytes = fdtValueBytes(value);
    if (!bytes.ok) return fail(`node ${path}: property ${name}: ${bytes.error}`);
    let nameoff = nameOffsets.get(name);
    if (nameoff === undefined) {
      nameoff = strings.length;
      nameOffsets.set(name, nameoff);
      strings.bytes(encoder.encode(name));
      strings.bytes(new Uint8Array(1));
    }
    struct.u32(FDT_PROP);
    struct.u32(bytes.bytes.length); // len
    struct.u32(nameoff);
    struct.bytes(bytes.bytes);
    struct.align(4);
  }

  const childNames = new Set<string>();
  for (const child of node.children) {
    const childPath = path === "/" ? `/${child.name}` : `${path}/${child.name}`;
    if (childNames.has(child.name)) return fail(`node ${childPath}: duplicate node name`);
    childNames.add(child.name);
    const r = writeNode(child, childPath, depth + 1, struct, strings, nameOffsets);
    if (!r.ok) return r;
  }
  struct.u32(FDT_END_NODE);
  return { ok: true };
}
