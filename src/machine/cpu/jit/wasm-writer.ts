// Writes WebAssembly binary code (WebAssembly core spec 1.0, section 5):
// LEB128 numbers, instructions with their immediates, and the module
// sections the translator needs. No validation: the translator's output is
// checked by WebAssembly.Module, and a bad module is a translator bug.
//
// PERF: one growing byte buffer reused for every function (the translator
// writes thousands of pages in a long run); no per-instruction objects.

import { ByteBuffer } from "../../byte-buffer.js";

export const Op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  /** Tail calls (the tail-call proposal, in V8 since 11.2, Node 20). */
  returnCall: 0x12,
  returnCallIndirect: 0x13,
  drop: 0x1a,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i64Load: 0x29,
  i64Load8S: 0x30,
  i64Load8U: 0x31,
  i64Load16S: 0x32,
  i64Load16U: 0x33,
  i64Load32S: 0x34,
  i64Load32U: 0x35,
  i32Store: 0x36,
  i64Store: 0x37,
  i64Store8: 0x3c,
  i64Store16: 0x3d,
  i64Store32: 0x3e,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GeS: 0x4e,
  i64Eq: 0x51,
  i64Ne: 0x52,
  i64LtS: 0x53,
  i64LtU: 0x54,
  i64GeS: 0x59,
  i64GeU: 0x5a,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64And: 0x83,
  i64Or: 0x84,
  i64Xor: 0x85,
  i64Shl: 0x86,
  i64ShrS: 0x87,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32S: 0xac,
  i64ExtendI32U: 0xad,
  i64Extend8S: 0xc2,
  i64Extend16S: 0xc3,
  i64Extend32S: 0xc4,
} as const;

export const ValType = { i32: 0x7f, i64: 0x7e } as const;
/** Block type of a block with no result. */
export const EMPTY = 0x40;

/** Appends wasm's encodings: bytes and LEB128 numbers. */
export class ByteWriter extends ByteBuffer {
  reset(): void {
    this.length = 0;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned LEB128 of a number below 2^32. */
  u32(v: number): void {
    this.reserve(5);
    let x = v >>> 0;
    for (;;) {
      const b = x & 0x7f;
      x >>>= 7;
      if (x === 0) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }

  /** Signed LEB128 of an int32. */
  s32(v: number): void {
    this.reserve(5);
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }

  /** Signed LEB128 of an int64 given as a BigInt. */
  s64(v: bigint): void {
    let x = BigInt.asIntN(64, v);
    if (x >= -0x8000_0000n && x < 0x8000_0000n) {
      this.s32(Number(x));
      return;
    }
    this.reserve(10);
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }
}

/** An instruction writer that keeps the stack of open labels, for br depths. */
export class CodeWriter extends ByteWriter {
  private labels: number[] = [];
  private nextLabel = 0;

  constructor() {
    super(1 << 16);
  }

  override reset(): void {
    super.reset();
    this.labels.length = 0;
    this.nextLabel = 0;
  }

  /** Opens a block, loop or if; returns its label for br. */
  open(op: number, type: number = EMPTY): number {
    this.byte(op);
    this.byte(type);
    const label = this.nextLabel++;
    this.labels.push(label);
    return label;
  }

  end(): void {
    this.labels.pop();
    this.byte(Op.end);
  }

  /** The relative depth of an open label. */
  depth(label: number): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error(`jit: label ${label} is not open`);
    return this.labels.length - 1 - i;
  }

  br(label: number): void {
    this.byte(Op.br);
    this.u32(this.depth(label));
  }

  i32Const(v: number): void {
    this.byte(Op.i32Const);
    this.s32(v);
  }

  i64Const(v: bigint): void {
    this.byte(Op.i64Const);
    this.s64(v);
  }

  /** A small i64 constant (|v| < 2^31), without BigInt. */
  i64Small(v: number): void {
    this.byte(Op.i64Const);
    this.s32(v);
  }

  local(op: number, index: number): void {
    this.byte(op);
    this.u32(index);
  }

  /** A load or store with its memarg: alignment hint log2(align) and offset. */
  mem(op: number, alignLog2: number, offset: number): void {
    this.byte(op);
    this.u32(alignLog2);
    this.u32(offset);
  }

  call(index: number): void {
    this.byte(Op.call);
    this.u32(index);
  }
}

/** A function type: parameter and result value types. */
export interface FuncType {
  params: readonly number[];
  results: readonly number[];
}

export interface ModuleParts {
  types: readonly FuncType[];
  /** Imported functions (module "env"): name and type index. */
  funcImports: readonly { name: string; type: number }[];
  /** Imports env.memory (minimum one page). */
  importMemory: boolean;
  /** Imports env.table (funcref, table 0), after the memory. */
  importTable?: boolean;
  /** Defined functions: type, local declarations (count, type), body (ends with `end`). */
  funcs: readonly { type: number; locals: readonly [number, number][]; body: Uint8Array }[];
  /** Exports of defined functions by index among all functions (imports first). */
  exports: readonly { name: string; func: number }[];
}

const encoder = new TextEncoder();

/** A whole module's binary from its parts. */
export function writeModule(m: ModuleParts): Uint8Array<ArrayBuffer> {
  const out = new ByteWriter(1 << 14);
  out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  const section = (id: number, write: (w: ByteWriter) => void): void => {
    const w = new ByteWriter();
    write(w);
    out.byte(id);
    out.u32(w.length);
    out.bytes(w.view());
  };
  const name = (w: ByteWriter, s: string): void => {
    const b = encoder.encode(s);
    w.u32(b.length);
    w.bytes(b);
  };
  section(1, (w) => {
    w.u32(m.types.length);
    for (const t of m.types) {
      w.byte(0x60);
      w.u32(t.params.length);
      for (const p of t.params) w.byte(p);
      w.u32(t.results.length);
      for (const r of t.results) w.byte(r);
    }
  });
  section(2, (w) => {
    w.u32(m.funcImports.length + (m.importMemory ? 1 : 0) + (m.importTable ? 1 : 0));
    if (m.importMemory) {
      name(w, "env");
      name(w, "memory");
      w.byte(0x02);
      w.byte(0x00);
      w.u32(1);
    }
    if (m.importTable) {
      name(w, "env");
      name(w, "table");
      w.byte(0x01);
      w.byte(0x70); // funcref
      w.byte(0x00);
      w.u32(1);
    }
    for (const f of m.funcImports) {
      name(w, "env");
      name(w, f.name);
      w.byte(0x00);
      w.u32(f.type);
    }
  });
  section(3, (w) => {
    w.u32(m.funcs.length);
    for (const f of m.funcs) w.u32(f.type);
  });
  section(7, (w) => {
    w.u32(m.exports.length);
    for (const e of m.exports) {
      name(w, e.name);
      w.byte(0x00);
      w.u32(e.func);
    }
  });
  section(10, (w) => {
    w.u32(m.funcs.length);
    for (const f of m.funcs) {
      const body = new ByteWriter();
      body.u32(f.locals.length);
      for (const [count, type] of f.locals) {
        body.u32(count);
        body.byte(type);
      }
      body.bytes(f.body);
      w.u32(body.length);
      w.bytes(body.view());
    }
  });
  return out.take();
}
