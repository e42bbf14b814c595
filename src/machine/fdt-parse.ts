// Reads a Flattened Devicetree blob (DTB, versions 16 and 17) back into a node tree, per
// the Devicetree Specification v0.4 chapter 5: header (5.2), memory reservation block
// (5.3), structure block tokens (5.4) and strings block (5.5).
//
// The blob is untrusted (a file, or memory a guest wrote): every offset is checked against
// the block it should lie in, nesting is tracked with an explicit stack rather than
// recursion, and malformed input yields { ok: false } rather than an exception.

import {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE,
  FDT_MAGIC,
  FDT_NOP,
  FDT_PROP,
  FDT_VERSION,
  type FdtNode,
  type FdtProperty,
  type FdtReservation,
  fdtValueBytes,
} from "./fdt.js";

export interface Fdt {
  /** The tree; every property value comes back as { bytes }. */
  readonly root: FdtNode;
  readonly reservations: readonly FdtReservation[];
  readonly version: number;
  readonly lastCompVersion: number;
  readonly bootCpuidPhys: number;
}

export type FdtParseResult = { ok: true; fdt: Fdt } | { ok: false; error: string };

interface OpenNode {
  name: string;
  props: FdtProperty[];
  children: FdtNode[];
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function hex(v: number): string {
  return `0x${v.toString(16)}`;
}

const decoder = new TextDecoder("utf-8");

export function parseFdt(blob: Uint8Array): FdtParseResult {
  if (blob.length < FDT_HEADER_SIZE) {
    return fail(
      `truncated DTB: the header needs ${FDT_HEADER_SIZE} bytes, blob has ${blob.length}`,
    );
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const magic = view.getUint32(0);
  if (magic !== FDT_MAGIC) return fail(`not a flattened devicetree (bad magic ${hex(magic)})`);
  const totalsize = view.getUint32(4);
  const off_dt_struct = view.getUint32(8);
  const off_dt_strings = view.getUint32(12);
  const off_mem_rsvmap = view.getUint32(16);
  const version = view.getUint32(20);
  const last_comp_version = view.getUint32(24);
  const boot_cpuid_phys = view.getUint32(28);
  const size_dt_strings = view.getUint32(32);
  const size_dt_struct = view.getUint32(36);

  if (totalsize > blob.length) {
    return fail(`truncated DTB: totalsize is ${totalsize} bytes, blob has ${blob.length}`);
  }
  if (totalsize < FDT_HEADER_SIZE) return fail(`bad DTB header: totalsize ${totalsize}`);
  // size_dt_struct exists from version 17; the v16 header ends before it.
  if (version < 16) return fail(`DTB version ${version} is not supported (need 16 or later)`);
  if (last_comp_version > FDT_VERSION) {
    return fail(`DTB needs a version ${last_comp_version} reader; this one reads ${FDT_VERSION}`);
  }
  if (off_mem_rsvmap % 8 !== 0 || off_mem_rsvmap < FDT_HEADER_SIZE) {
    return fail(`bad DTB header: off_mem_rsvmap ${hex(off_mem_rsvmap)}`);
  }
  if (off_dt_struct % 4 !== 0) return fail(`bad DTB header: off_dt_struct ${hex(off_dt_struct)}`);
  const structEnd = version >= 17 ? off_dt_struct + size_dt_struct : totalsize;
  if (off_dt_struct > totalsize || structEnd > totalsize) {
    return fail("truncated DTB: the structure block extends past totalsize");
  }
  const stringsEnd = version >= 17 ? off_dt_strings + size_dt_strings : totalsize;
  if (off_dt_strings > totalsize || stringsEnd > totalsize) {
    return fail("truncated DTB: the strings block extends past totalsize");
  }
  const strings = blob.subarray(off_dt_strings, stringsEnd);

  // Memory reservation block: 64-bit (address, size) pairs up to a (0, 0) pair.
  const reservations: FdtReservation[] = [];
  for (let at = off_mem_rsvmap; ; at += 16) {
    if (at + 16 > totalsize) return fail("truncated DTB: memory reservation block has no end");
    const address = view.getBigUint64(at);
    const size = view.getBigUint64(at + 8);
    if (address === 0n && size === 0n) break;
    reservations.push({ address, size });
  }

  // Structure block.
  const stack: OpenNode[] = [];
  let root: FdtNode | undefined;
  let pos = off_dt_struct;
  const align4 = (n: number) => (n + 3) & ~3;
  for (;;) {
    if (pos + 4 > structEnd) return fail("truncated DTB: structure block ends without FDT_END");
    const token = view.getUint32(pos);
    const tokenAt = pos;
    pos += 4;
    if (token === FDT_NOP) continue;
    if (token === FDT_BEGIN_NODE) {
      if (root !== undefined) return fail(`bad DTB: a second root node at ${hex(tokenAt)}`);
      const end = blob.subarray(0, structEnd).indexOf(0, pos);
      if (end < 0) return fail(`truncated DTB: node name at ${hex(pos)} is not NUL-terminated`);
      const node: OpenNode = {
        name: decoder.decode(blob.subarray(pos, end)),
        props: [],
        children: [],
      };
      pos = align4(end + 1);
      stack.push(node);
      continue;
    }
    if (token === FDT_PROP) {
      const parent = stack.at(-1);
      if (parent === undefined) return fail(`bad DTB: FDT_PROP outside a node at ${hex(tokenAt)}`);
      if (parent.children.length > 0) {
        return fail(`bad DTB: property after a subnode in "${parent.name}" at ${hex(tokenAt)}`);
      }
      if (pos + 8 > structEnd) return fail("truncated DTB: structure block ends inside FDT_PROP");
      const len = view.getUint32(pos);
      const nameoff = view.getUint32(pos + 4);
      pos += 8;
      if (len > structEnd - pos) {
        return fail(
          `truncated DTB: property value at ${hex(pos)} extends past the structure block`,
        );
      }
      const value = blob.slice(pos, pos + len);
      pos = align4(pos + len);
      if (nameoff >= strings.length) {
        return fail(`bad DTB: property name offset ${nameoff} is outside the strings block`);
      }
      const nameEnd = strings.indexOf(0, nameoff);
      if (nameEnd < 0) return fail(`bad DTB: property name at ${nameoff} is not NUL-terminated`);
      parent.props.push([decoder.decode(strings.subarray(nameoff, nameEnd)), { bytes: value }]);
      continue;
    }
    if (token === FDT_END_NODE) {
      const node = stack.pop();
      if (node === undefined) return fail(`bad DTB: unmatched FDT_END_NODE at ${hex(tokenAt)}`);
      const parent = stack.at(-1);
      if (parent === undefined) root = node;
      else parent.children.push(node);
      continue;
    }
    if (token === FDT_END) {
      if (stack.length > 0) return fail(`bad DTB: FDT_END inside node "${stack.at(-1)!.name}"`);
      if (root === undefined) return fail("bad DTB: no root node");
      break;
    }
    return fail(`bad DTB: unknown token ${hex(token)} at ${hex(tokenAt)}`);
  }

  return {
    ok: true,
    fdt: {
      root,
      reservations,
      version,
      lastCompVersion: last_comp_version,
      bootCpuidPhys: boot_cpuid_phys,
    },
  };
}

/** The node at an absolute path such as "/soc/serial@10000000"; names must match exactly. */
export function fdtFindNode(root: FdtNode, path: string): FdtNode | undefined {
  let node: FdtNode | undefined = root;
  for (const part of path.split("/")) {
    if (part === "") continue;
    node = node.children.find((c) => c.name === part);
    if (node === undefined) return undefined;
  }
  return node;
}

/** A property's bytes, whether the tree was built or parsed; undefined if absent or invalid. */
export function fdtProp(node: FdtNode, name: string): Uint8Array | undefined {
  const prop = node.props.find(([n]) => n === name);
  if (prop === undefined) return undefined;
  const bytes = fdtValueBytes(prop[1]);
  return bytes.ok ? bytes.bytes : undefined;
}

/** Decodes 32-bit cells; undefined unless the length is a multiple of 4. */
export function fdtU32s(bytes: Uint8Array): number[] | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(4 * i));
}

/** Decodes 64-bit values (cell pairs); undefined unless the length is a multiple of 8. */
export function fdtU64s(bytes: Uint8Array): bigint[] | undefined {
  if (bytes.length % 8 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, i) => view.getBigUint64(8 * i));
}

/** Decodes a <stringlist>; undefined unless the bytes end with NUL. */
export function fdtStrings(bytes: Uint8Array): string[] | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0) return undefined;
  return decoder.decode(bytes.subarray(0, -1)).split("\0");
}

/** Decodes a single <string>; undefined unless it is exactly one NUL-terminated string. */
export function fdtString(bytes: Uint8Array): string | undefined {
  const list = fdtStrings(bytes);
  return list?.length === 1 ? list[0] : undefined;
}
