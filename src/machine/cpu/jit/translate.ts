// Translates one 4 KiB guest page of RV64IMC code into one WebAssembly
// module, whose page function
//
//   (func (param pc i64) (param n i32) (param tlb i32) (param fs i32) (result i32) ...)
//
// runs at most n instructions from pc, with the data TLB set at `tlb`, and
// returns the instructions left with the pc where it stopped at JIT_PC, or
// -1 when there is no entry at pc (with pc and n at JIT_PC and JIT_N). The
// contract with the core is in core/jit.ts.
//
// Shape: the page's basic blocks (followed from the entries asked for and
// from likely function starts), in address order, fall into chunks of up
// to CHUNK_INSTRUCTIONS; each chunk is one wasm function (its parameters:
// which of its blocks to start at, and the page function's n, tlb and fs),
// and the page function only dispatches on pc to the chunk of the block
// there. In a chunk function the
// blocks sit in nested wasm blocks inside a dispatch loop with a br_table:
// a jump forward is a plain br, a jump back sets the block and goes around
// the loop. Every other way on is a tail call (return_call): to another
// chunk of the page; for a jalr into the page, to the page function; out
// of the page, to the next page's function, found by the core's jitSlot().
// Only stopping for the interpreter returns. Between blocks the guest
// registers stay in the core's register file in memory: entering and
// leaving costs nothing, which is what code that runs a few dozen
// instructions per call needs; within a block they live in locals (see
// get). Each
// block checks the budget at its start and takes its whole instruction
// count, so the retired count at every exit is exact.
//
// PERF (sel4test: about 3 G instructions over hundreds of code pages, much
// of it short functions calling each other across pages; and bench/ipc,
// where translation happened inside the measured phase): V8 compiles a
// wasm function at its first call (Liftoff), and again with TurboFan once
// it is hot, at a cost that grows with its size. One function for the whole
// page cost 50-150 ms of TurboFan per page; one function per basic block
// paid a call per block (about five instructions); one function per region
// reachable from each block wrote the same code many times over (~30 ms per
// page in the translator). Registers in wasm locals, loaded at a chunk's
// start and stored at its end, made hot loops a little faster but every
// call into translated code dearer (docs/decisions/0002-jit.md). Chunks are
// compiled only when they run, hold loops and forward control flow, and
// each block is written once.

// Translated: RV64I and M (with the C extension through the core's
// expansion table), loads and stores (also F/D) through an inlined TLB hit
// check, F/D arithmetic through the core's own code (jitFpOp), fences (no
// operation: one hart, and stores drop stale translations). Everything else
// (SYSTEM, A, illegal encodings, instructions that cross the page's end)
// ends its block: the function returns with the pc on it and the
// interpreter executes it. A TLB miss calls the core's jitLoadMiss or
// jitStoreMiss; when they cannot do the access (a fault, MMIO), the
// function returns before the instruction, likewise.

import { CodeWriter, Op, ValType, writeModule } from "./wasm-writer.js";

/** Core addresses the generated code uses (core/layout.ts). */
export const X_BASE = 0x1000;
export const F_BASE = 0x1100;
export const JIT_FS_DIRTY = 0x123c;
export const JIT_PC = 0x1230;
export const JIT_STATUS = 0x1238;
export const JIT_N = 0x1240;
/** (TLB_ENTRIES - 1) << 5: a TLB entry's byte offset from va >> 7 (core/mmu.ts). */
const TLB_INDEX_MASK = 0x7fe0;
const PAGE = 4096;

/** Imports of every translated module, in function index order. */
export const JIT_IMPORTS = [
  "jitLoadMiss",
  "jitStoreMiss",
  "jitMulh",
  "jitMulhsu",
  "jitMulhu",
  "jitDiv",
  "jitDivu",
  "jitRem",
  "jitRemu",
  "jitDivw",
  "jitDivuw",
  "jitRemw",
  "jitRemuw",
  "jitFpOp",
  "jitSlot",
] as const;
const F_LOAD_MISS = 0;
const F_STORE_MISS = 1;
const F_MULH = 2;
const F_MULHSU = 3;
const F_MULHU = 4;
const F_DIV = 5;
const F_DIVU = 6;
const F_REM = 7;
const F_REMU = 8;
const F_DIVW = 9;
const F_DIVUW = 10;
const F_REMW = 11;
const F_REMUW = 12;
const F_FP_OP = 13;
const F_SLOT = 14;

const T_PAGE = 0;
const T_LOAD_MISS = 1;
const T_STORE_MISS = 2;
const T_BINARY = 3;
// (i32) -> i32: jitFpOp.
const T_I32_I32 = 4;
const I32 = ValType.i32;
const I64 = ValType.i64;
const TYPES = [
  { params: [I64, I32, I32, I32], results: [I32] },
  { params: [I64, I32], results: [I64] },
  { params: [I64, I32, I64], results: [I32] },
  { params: [I64, I64], results: [I64] },
  { params: [I32], results: [I32] },
  { params: [I64], results: [I32] },
  { params: [I32, I32, I32, I32], results: [I32] },
];
const T_SLOT = 5;
const T_CHUNK = 6;

// A chunk function's parameters (the block to start at, by index in the
// chunk; then the page function's n, tlb and fs), its scratch locals, and
// x1..x31 within a block (see get).
const L_ENTRY = 0;
const L_N = 1;
const L_TLB = 2;
const L_FS = 3;
const L_E = 4;
const L_VA = 5;
const L_T = 6;
const L_SLOT = 7;
const L_X = 7; // x[r] in local L_X + r
// Values a block loaded or stored (see emitLoad): MEM_LOCALS locals from L_MEM.
const L_MEM = L_X + 32;
const MEM_LOCALS = 8;
const CHUNK_LOCALS: [number, number][] = [
  [1, ValType.i32],
  [2, ValType.i64],
  [1, ValType.i32],
  [31, ValType.i64],
  [MEM_LOCALS, ValType.i64],
];

/** Instructions translated per page at most (control flow from the entries, breadth first). */
const MAX_INSTRUCTIONS = 2048;
/** Instructions in one chunk at most (the blocks of a page are split into chunks). */
const CHUNK_INSTRUCTIONS = 64;
const SWEEP = true;

/** How an instruction is translated. */
enum Kind {
  /** Computes into rd; no memory, no control flow. */
  Plain,
  Load,
  Store,
  /** flw, fld, fsw, fsd. */
  FpLoad,
  FpStore,
  /** F and D computation, through the core (jitFpOp). */
  FpOp,
  /** fence, fence.i: nothing to do (one hart; stores drop stale translations). */
  Fence,
  Branch,
  Jal,
  Jalr,
  /** A valid instruction the interpreter executes (SYSTEM, A, F, D, fences). */
  Other,
  /** An illegal encoding, or one that cannot be fetched from this page. */
  Illegal,
}

function kindOf(inst: number): Kind {
  if ((inst & 3) !== 3 || inst === 0) return Kind.Illegal;
  const f3 = (inst >>> 12) & 7;
  const f7 = inst >>> 25;
  switch ((inst >>> 2) & 31) {
    case 0x0d: // LUI
    case 0x05: // AUIPC
      return Kind.Plain;
    case 0x1b:
      return Kind.Jal;
    case 0x19:
      return f3 === 0 ? Kind.Jalr : Kind.Illegal;
    case 0x18:
      return f3 === 2 || f3 === 3 ? Kind.Illegal : Kind.Branch;
    case 0x00:
      return f3 === 7 ? Kind.Illegal : Kind.Load;
    case 0x08:
      return f3 <= 3 ? Kind.Store : Kind.Illegal;
    case 0x04: // OP-IMM: shift encodings have fixed upper bits
      if (f3 === 1) return inst >>> 26 === 0 ? Kind.Plain : Kind.Illegal;
      if (f3 === 5) return inst >>> 26 === 0 || inst >>> 26 === 0x10 ? Kind.Plain : Kind.Illegal;
      return Kind.Plain;
    case 0x06: // OP-IMM-32
      if (f3 === 0) return Kind.Plain;
      if (f3 === 1) return f7 === 0 ? Kind.Plain : Kind.Illegal;
      if (f3 === 5) return f7 === 0 || f7 === 0x20 ? Kind.Plain : Kind.Illegal;
      return Kind.Illegal;
    case 0x0c: // OP
      if (f7 === 0 || f7 === 1) return Kind.Plain;
      return f7 === 0x20 && (f3 === 0 || f3 === 5) ? Kind.Plain : Kind.Illegal;
    case 0x0e: // OP-32
      if (f7 === 0) return f3 === 0 || f3 === 1 || f3 === 5 ? Kind.Plain : Kind.Illegal;
      if (f7 === 0x20) return f3 === 0 || f3 === 5 ? Kind.Plain : Kind.Illegal;
      if (f7 === 1) return f3 === 0 || f3 >= 4 ? Kind.Plain : Kind.Illegal;
      return Kind.Illegal;
    case 0x03: // MISC-MEM
      return f3 <= 1 ? Kind.Fence : Kind.Illegal;
    case 0x01: // LOAD-FP
      return f3 === 2 || f3 === 3 ? Kind.FpLoad : Kind.Other;
    case 0x09: // STORE-FP
      return f3 === 2 || f3 === 3 ? Kind.FpStore : Kind.Other;
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x13:
    case 0x14: // FMADD..OP-FP
      return Kind.FpOp;
    case 0x1c: // SYSTEM
    case 0x0b: // AMO
      return Kind.Other;
    default:
      return Kind.Illegal;
  }
}

// Immediates (unprivileged spec 2.3), sign-extended, as int32.
const immI = (i: number): number => (i | 0) >> 20;
const immS = (i: number): number => (((i | 0) >> 25) << 5) | ((i >>> 7) & 0x1f);
const immB = (i: number): number =>
  (((i | 0) >> 31) << 12) |
  (((i >>> 7) & 1) << 11) |
  (((i >>> 25) & 0x3f) << 5) |
  (((i >>> 8) & 0xf) << 1);
const immJ = (i: number): number =>
  (((i | 0) >> 31) << 20) |
  (((i >>> 12) & 0xff) << 12) |
  (((i >>> 20) & 1) << 11) |
  (((i >>> 21) & 0x3ff) << 1);

/** The guest code to translate: one page's bytes and where it is mapped. */
export interface PageCode {
  /** The page's 4096 bytes. */
  bytes: Uint8Array;
  /** Its virtual address (page-aligned). */
  vpage: bigint;
  /** The core's RVC expansion table: 16-bit parcel -> 32-bit instruction, 0 = illegal. */
  rvc: Uint32Array;
}

/** A memory value a block holds in a local: loaded (f3: the load) or stored (f3 3: sd) at x[base] + off. */
interface KnownValue {
  base: number;
  off: number;
  f3: number;
  local: number;
}

interface Block {
  start: number;
  /** Offsets and (expanded) instructions, the last possibly not translated (see end). */
  offs: number[];
  insts: number[];
  lens: number[];
  /** How the block ends: at a control-flow instruction (translated, the last of insts), at an
   * instruction left to the interpreter (the last of insts, not translated), or by running into
   * the next block or the page's end (`next`). */
  end: "control" | "interpret" | "next";
  /** For end "next": the offset control continues at (PAGE: the next page). */
  next: number;
}

export interface Translation {
  /** The module: imports env.memory and JIT_IMPORTS, exports "page". */
  bytes: Uint8Array<ArrayBuffer>;
  /** Guest instructions translated (for statistics). */
  instructions: number;
  blocks: number;
}

export class PageTranslator {
  private readonly w = new CodeWriter();
  private code!: PageCode;
  private blocks: Block[] = [];
  private blockAt = new Map<number, number>();
  private dispatchLabel = 0;
  /** The number of imported functions: the page function's index. */
  private imports = 0;
  private current = 0;
  /** Per block: its chunk, and its index in the chunk. */
  private chunkOf: number[] = [];
  private indexInChunk: number[] = [];
  /** Per chunk: its first block. */
  private chunkStart: number[] = [];
  /** Labels of the current chunk's blocks after the current one, by block index. */
  private readonly labels = new Map<number, number>();
  /** In the block being written: x registers in their locals, and those not yet stored. */
  private loaded = 0;
  private dirty = 0;
  /** In the block being written: memory values known by base register, offset and load kind. */
  private readonly known: KnownValue[] = [];
  private nextMem = 0;

  /** Translates a page for the given entry offsets (even, below 4096). */
  translate(code: PageCode, entries: Iterable<number>): Translation {
    this.code = code;
    this.findBlocks(entries);
    this.findChunks();
    const m = this.blocks.length;
    const imports = JIT_IMPORTS.length;
    const funcs: { type: number; locals: [number, number][]; body: Uint8Array }[] = [];
    funcs.push({ type: T_PAGE, locals: [], body: this.pageFunction(imports) });
    for (let c = 0; c < this.chunkStart.length; c++)
      funcs.push({ type: T_CHUNK, locals: CHUNK_LOCALS, body: this.chunkFunction(c, imports) });
    const bytes = writeModule({
      types: TYPES,
      importMemory: true,
      importTable: true,
      funcImports: JIT_IMPORTS.map((name, i) => ({
        name,
        type:
          i === F_LOAD_MISS
            ? T_LOAD_MISS
            : i === F_STORE_MISS
              ? T_STORE_MISS
              : i === F_FP_OP
                ? T_I32_I32
                : i === F_SLOT
                  ? T_SLOT
                  : T_BINARY,
      })),
      funcs,
      exports: [{ name: "page", func: imports }],
    });
    let instructions = 0;
    for (const b of this.blocks) instructions += b.insts.length;
    return { bytes, instructions, blocks: m };
  }

  // ---- decoding and basic blocks

  /** The instruction at off (expanded) and its length; length 0 when it cannot be fetched here. */
  private decode(off: number): [number, number] {
    const b = this.code.bytes;
    const lo = b[off]! | (b[off + 1]! << 8);
    if ((lo & 3) !== 3) return [this.code.rvc[lo]!, 2];
    if (off + 4 > PAGE) return [0, 0];
    return [(lo | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0, 4];
  }

  private findBlocks(entries: Iterable<number>): void {
    // Leaders: the entries, in-page jump targets, and the instructions after
    // jumps and after instructions left to the interpreter (where control
    // comes back: returns from calls, the interpreter's resumption). Found
    // breadth first from the entries; past MAX_INSTRUCTIONS, further leaders
    // are not translated (jumps to them leave the function).
    const leaders = new Set<number>();
    const work: number[] = [];
    const add = (off: number): void => {
      if (off >= 0 && off < PAGE && !leaders.has(off)) {
        leaders.add(off);
        work.push(off);
      }
    };
    for (const e of entries) add(e);
    if (SWEEP) {
      // Likely function starts: after each return and each plain jump, in a
      // linear sweep of the page (a wrong guess only costs translation).
      for (let off = 0; off < PAGE; ) {
        const [inst, len] = this.decode(off);
        if (len === 0) break;
        off += len;
        if (inst === 0x00008067 || (inst & 0xfff) === 0x06f) add(off);
      }
    }
    const translated = new Set<number>();
    let count = 0;
    for (let next = 0; next < work.length && count < MAX_INSTRUCTIONS; next++) {
      let off = work[next]!;
      translated.add(off);
      for (;;) {
        if (off >= PAGE) break;
        const [inst, len] = this.decode(off);
        const kind = len === 0 ? Kind.Illegal : kindOf(inst);
        count++;
        if (kind === Kind.Branch) {
          add(off + immB(inst));
          add(off + len);
          break;
        }
        if (kind === Kind.Jal) {
          add(off + immJ(inst));
          add(off + len);
          break;
        }
        if (kind === Kind.Jalr || kind === Kind.Other) {
          add(off + len);
          break;
        }
        if (kind === Kind.Illegal) break;
        off += len;
      }
    }
    const starts = [...translated].sort((a, b) => a - b);
    this.blocks = [];
    this.blockAt.clear();
    for (const start of starts) {
      const block: Block = { start, offs: [], insts: [], lens: [], end: "next", next: PAGE };
      let off = start;
      for (;;) {
        if (off >= PAGE) {
          block.next = PAGE;
          break;
        }
        if (off !== start && leaders.has(off)) {
          block.next = off;
          break;
        }
        const [inst, len] = this.decode(off);
        const kind = len === 0 ? Kind.Illegal : kindOf(inst);
        block.offs.push(off);
        block.insts.push(inst);
        block.lens.push(len);
        if (kind === Kind.Other || kind === Kind.Illegal) {
          block.end = "interpret";
          break;
        }
        if (kind === Kind.Branch || kind === Kind.Jal || kind === Kind.Jalr) {
          block.end = "control";
          break;
        }
        off += len;
      }
      this.blockAt.set(start, this.blocks.length);
      this.blocks.push(block);
    }
  }

  // ---- the page function and the dispatch

  /** page(pc, n, tlb, fs): see the file comment. */
  private pageFunction(imports: number): Uint8Array {
    const w = this.w;
    w.reset();
    const m = this.blocks.length;
    const none = w.open(Op.block);
    // The page may be mapped elsewhere too: this code is for vpage only.
    w.local(Op.localGet, 0);
    w.i64Small(-PAGE);
    w.byte(Op.i64And);
    w.i64Const(this.code.vpage);
    w.byte(Op.i64Ne);
    w.byte(Op.brIf);
    w.u32(w.depth(none));
    for (let i = m - 1; i >= 0; i--) w.open(Op.block);
    // One br_table on the halfword offset: to the block starting there, or none.
    w.local(Op.localGet, 0);
    w.byte(Op.i32WrapI64);
    w.i32Const(PAGE - 2);
    w.byte(Op.i32And);
    w.i32Const(1);
    w.byte(Op.i32ShrU);
    w.byte(Op.brTable);
    w.u32(PAGE / 2);
    // cases[i] is i blocks out, `none` m (written directly: PAGE / 2 entries).
    for (let h = 0; h < PAGE / 2; h++) w.u32(this.blockAt.get(h * 2) ?? m);
    w.u32(m);
    for (let i = 0; i < m; i++) {
      w.end();
      w.i32Const(this.indexInChunk[i]!);
      w.local(Op.localGet, 1);
      w.local(Op.localGet, 2);
      w.local(Op.localGet, 3);
      w.byte(Op.returnCall);
      w.u32(imports + 1 + this.chunkOf[i]!);
    }
    w.end(); // none
    // No entry here: the host may translate the page again with one.
    w.i32Const(0);
    w.local(Op.localGet, 0);
    w.mem(Op.i64Store, 3, JIT_PC);
    w.i32Const(0);
    w.local(Op.localGet, 1);
    w.mem(Op.i32Store, 2, JIT_N);
    w.i32Const(-1);
    w.byte(Op.end);
    return w.take();
  }

  // ---- chunk functions

  /** Splits the blocks, in address order, into chunks of up to CHUNK_INSTRUCTIONS. */
  private findChunks(): void {
    this.chunkOf = [];
    this.indexInChunk = [];
    this.chunkStart = [];
    let size = CHUNK_INSTRUCTIONS;
    for (let i = 0; i < this.blocks.length; i++) {
      const n = this.blocks[i]!.insts.length;
      if (size + n > CHUNK_INSTRUCTIONS && size > 0) {
        this.chunkStart.push(i);
        size = 0;
      }
      size += n;
      this.chunkOf.push(this.chunkStart.length - 1);
      this.indexInChunk.push(i - this.chunkStart[this.chunkStart.length - 1]!);
    }
  }

  /** chunk(entry) -> the instructions left: see the file comment. */
  private chunkFunction(c: number, imports: number): Uint8Array {
    const w = this.w;
    w.reset();
    this.imports = imports;
    const first = this.chunkStart[c]!;
    const end = c + 1 < this.chunkStart.length ? this.chunkStart[c + 1]! : this.blocks.length;
    this.dispatchLabel = w.open(Op.loop);
    this.labels.clear();
    const inner = new Array<number>(end - first);
    for (let i = end - 1; i >= first; i--) {
      inner[i - first] = w.open(Op.block);
      this.labels.set(i, inner[i - first]!);
    }
    w.local(Op.localGet, L_ENTRY);
    w.byte(Op.brTable);
    w.u32(end - first);
    for (let i = 0; i < end - first; i++) w.u32(w.depth(inner[i]!));
    w.u32(w.depth(inner[0]!));
    for (let i = first; i < end; i++) {
      this.labels.delete(i);
      w.end();
      this.current = i;
      this.emitBlock(this.blocks[i]!);
    }
    w.end(); // loop
    // Every block ends in a br, a return or a tail call.
    w.byte(Op.unreachable);
    w.byte(Op.end);
    return w.take();
  }

  private emitBlock(b: Block): void {
    const w = this.w;
    // Translated instructions: all but an instruction left to the interpreter.
    const k = b.end === "interpret" ? b.insts.length - 1 : b.insts.length;
    this.loaded = 0;
    this.dirty = 0;
    this.known.length = 0;
    if (k > 0) {
      // The budget: the whole block or none of it.
      w.local(Op.localGet, L_N);
      w.i32Const(k);
      w.byte(Op.i32LtS);
      w.open(Op.if);
      this.exit(b.start, 0);
      w.end();
      w.local(Op.localGet, L_N);
      w.i32Const(k);
      w.byte(Op.i32Sub);
      w.local(Op.localSet, L_N);
    }
    const body = b.end === "control" ? k - 1 : k;
    for (let j = 0; j < body; j++) this.emitInstruction(b, j, k);
    if (b.end === "control") this.emitControl(b, k - 1);
    else if (b.end === "interpret") this.exit(b.offs[k]!, 0);
    else this.goto(b.next);
  }

  // Registers: the core's register file (X_BASE) holds them between blocks;
  // within a block each one is loaded into its local at its first use and
  // written there, and the written ones are stored on every way out
  // (spill). PERF (sel4test, whose -O0 code moves values through registers
  // from one instruction to the next): V8 does not forward wasm memory
  // stores to later loads, TurboFan does keep locals in host registers.
  // Only a block's straight-line top level calls get and set, so the state
  // is the same on every path through it.

  /** Pushes x[r]. */
  private get(r: number): void {
    const w = this.w;
    if (r === 0) {
      w.i64Small(0);
      return;
    }
    if ((this.loaded & (1 << r)) !== 0) {
      w.local(Op.localGet, L_X + r);
      return;
    }
    w.i32Const(0);
    w.mem(Op.i64Load, 3, X_BASE + r * 8);
    w.local(Op.localTee, L_X + r);
    this.loaded |= 1 << r;
  }

  /** x[rd] = the value `value` pushes (computed and dropped for x0). */
  private set(rd: number, value: () => void): void {
    const w = this.w;
    value();
    if (rd === 0) {
      w.byte(Op.drop);
      return;
    }
    this.written(rd);
  }

  /** x[rd] (not 0) was just set from the stack into its local. */
  private written(rd: number): void {
    this.w.local(Op.localSet, L_X + rd);
    this.loaded |= 1 << rd;
    this.dirty |= 1 << rd;
    // Memory values known through rd's old value are not known through the new one.
    this.forget((e) => e.base === rd);
  }

  /** A store of size bytes at x[base] + off: forgets what it may overwrite. */
  private forgetStored(base: number, off: number, size: number): void {
    // Another base may point anywhere; the same one, only overlapping bytes.
    this.forget((e) => e.base !== base || (e.off < off + size && off < e.off + (1 << (e.f3 & 3))));
  }

  /** A local for a known memory value (the oldest is reused). */
  private memLocal(): number {
    const local = L_MEM + this.nextMem;
    this.nextMem = (this.nextMem + 1) % MEM_LOCALS;
    this.forget((e) => e.local === local);
    return local;
  }

  /** Drops the known memory values `drop` picks. */
  private forget(drop: (e: KnownValue) => boolean): void {
    const known = this.known;
    for (let i = known.length - 1; i >= 0; i--) if (drop(known[i]!)) known.splice(i, 1);
  }

  /** Stores the registers the block has written so far (the state stays: for ways out). */
  private spill(): void {
    const w = this.w;
    for (let r = 1; r < 32; r++) {
      if ((this.dirty & (1 << r)) === 0) continue;
      w.i32Const(0);
      w.local(Op.localGet, L_X + r);
      w.mem(Op.i64Store, 3, X_BASE + r * 8);
    }
  }

  // ---- leaving and jumping

  private pcConst(off: number): bigint {
    return BigInt.asUintN(64, this.code.vpage + BigInt(off));
  }

  /** Returns to the core with pc = page offset off and `back` instructions given back to the budget. */
  private exit(off: number, back: number): void {
    const w = this.w;
    this.spill();
    w.i32Const(0);
    w.i64Const(this.pcConst(off));
    w.mem(Op.i64Store, 3, JIT_PC);
    w.local(Op.localGet, L_N);
    if (back !== 0) {
      w.i32Const(back);
      w.byte(Op.i32Add);
    }
    w.byte(Op.return);
  }

  /** Pushes the page function's arguments for going on at the pc in L_T. */
  private pageArguments(): void {
    const w = this.w;
    w.local(Op.localGet, L_T);
    w.local(Op.localGet, L_N);
    w.local(Op.localGet, L_TLB);
    w.local(Op.localGet, L_FS);
  }

  /**
   * Goes on at the pc in L_T, outside this page: tail-calls the function of
   * its page, or returns to the core when there is none.
   */
  private chain(): void {
    const w = this.w;
    w.local(Op.localGet, L_T);
    w.call(F_SLOT);
    w.local(Op.localTee, L_SLOT);
    w.byte(Op.i32Eqz);
    w.open(Op.if);
    w.i32Const(0);
    w.local(Op.localGet, L_T);
    w.mem(Op.i64Store, 3, JIT_PC);
    w.local(Op.localGet, L_N);
    w.byte(Op.return);
    w.end();
    this.pageArguments();
    w.local(Op.localGet, L_SLOT);
    w.byte(Op.returnCallIndirect);
    w.u32(T_PAGE);
    w.u32(0);
  }

  /** Continues at page offset off: in this chunk, in another, or in another page. */
  private goto(off: number): void {
    const w = this.w;
    const target = off >= 0 && off < PAGE ? this.blockAt.get(off) : undefined;
    if (target === undefined && off >= 0 && off < PAGE) {
      // Not translated (past MAX_INSTRUCTIONS): the interpreter goes on.
      this.exit(off, 0);
      return;
    }
    this.spill();
    if (target === undefined) {
      w.i64Const(this.pcConst(off));
      w.local(Op.localSet, L_T);
      this.chain();
      return;
    }
    if (this.chunkOf[target] !== this.chunkOf[this.current]) {
      w.i32Const(this.indexInChunk[target]!);
      w.local(Op.localGet, L_N);
      w.local(Op.localGet, L_TLB);
      w.local(Op.localGet, L_FS);
      w.byte(Op.returnCall);
      w.u32(this.imports + 1 + this.chunkOf[target]!);
      return;
    }
    const label = this.labels.get(target);
    if (label !== undefined) {
      w.br(label);
      return;
    }
    // Back within the chunk: around its dispatch loop.
    w.i32Const(this.indexInChunk[target]!);
    w.local(Op.localSet, L_ENTRY);
    w.br(this.dispatchLabel);
  }

  private emitControl(b: Block, j: number): void {
    const w = this.w;
    const inst = b.insts[j]!;
    const off = b.offs[j]!;
    const next = off + b.lens[j]!;
    const rd = (inst >>> 7) & 31;
    const rs1 = (inst >>> 15) & 31;
    const rs2 = (inst >>> 20) & 31;
    switch ((inst >>> 2) & 31) {
      case 0x18: {
        // BRANCH
        this.get(rs1);
        this.get(rs2);
        const f3 = (inst >>> 12) & 7;
        w.byte(
          f3 === 0
            ? Op.i64Eq
            : f3 === 1
              ? Op.i64Ne
              : f3 === 4
                ? Op.i64LtS
                : f3 === 5
                  ? Op.i64GeS
                  : f3 === 6
                    ? Op.i64LtU
                    : Op.i64GeU,
        );
        w.open(Op.if);
        this.goto(off + immB(inst));
        w.end();
        this.goto(next);
        return;
      }
      case 0x1b: // JAL
        if (rd !== 0) this.set(rd, () => w.i64Const(this.pcConst(next)));
        this.goto(off + immJ(inst));
        return;
      default: {
        // JALR: the target before rd is written (rd may be rs1).
        this.get(rs1);
        w.i64Small(immI(inst));
        w.byte(Op.i64Add);
        w.i64Small(-2);
        w.byte(Op.i64And);
        w.local(Op.localSet, L_T);
        if (rd !== 0) this.set(rd, () => w.i64Const(this.pcConst(next)));
        this.spill();
        // Into this page: through its page function; elsewhere: chain.
        w.local(Op.localGet, L_T);
        w.i64Small(-PAGE);
        w.byte(Op.i64And);
        w.i64Const(this.code.vpage);
        w.byte(Op.i64Eq);
        w.open(Op.if);
        this.pageArguments();
        w.byte(Op.returnCall);
        w.u32(this.imports);
        w.end();
        this.chain();
      }
    }
  }

  // ---- instructions

  private emitInstruction(b: Block, j: number, k: number): void {
    const inst = b.insts[j]!;
    const op = (inst >>> 2) & 31;
    if (op === 0x00) this.emitLoad(b, j, k);
    else if (op === 0x08) this.emitStore(b, j, k);
    else if (op === 0x01) this.emitFpLoad(b, j, k);
    else if (op === 0x09) this.emitFpStore(b, j, k);
    else if (op >= 0x10 && op <= 0x14) this.emitFpOp(b, j, k);
    else if (op !== 0x03) this.emitPlain(inst, b.offs[j]!);
  }

  /** F and D instructions need mstatus.FS on: otherwise the interpreter raises. */
  private emitFsCheck(b: Block, j: number, k: number): void {
    const w = this.w;
    w.local(Op.localGet, L_FS);
    w.byte(Op.i32Eqz);
    w.open(Op.if);
    this.exit(b.offs[j]!, k - j);
    w.end();
  }

  private emitFpLoad(b: Block, j: number, k: number): void {
    const w = this.w;
    const inst = b.insts[j]!;
    const double = ((inst >>> 12) & 7) === 3;
    this.emitFsCheck(b, j, k);
    // The f register's address under the value.
    w.i32Const(0);
    this.emitLoadValue(b, j, k, double ? 8 : 4, 0, double ? Op.i64Load : Op.i64Load32U);
    if (!double) {
      // NaN-boxed (F extension 12.2).
      w.i64Const(-0x1_0000_0000n);
      w.byte(Op.i64Or);
    }
    w.mem(Op.i64Store, 3, F_BASE + ((inst >>> 7) & 31) * 8);
    w.i32Const(0);
    w.i32Const(1);
    w.mem(Op.i32Store, 2, JIT_FS_DIRTY);
  }

  private emitFpStore(b: Block, j: number, k: number): void {
    const w = this.w;
    const inst = b.insts[j]!;
    const double = ((inst >>> 12) & 7) === 3;
    const rs2 = (inst >>> 20) & 31;
    this.emitFsCheck(b, j, k);
    this.known.length = 0;
    this.emitStoreValue(b, j, k, double ? 8 : 4, double ? Op.i64Store : Op.i64Store32, () => {
      w.i32Const(0);
      w.mem(Op.i64Load, 3, F_BASE + rs2 * 8);
    });
  }

  private emitFpOp(b: Block, j: number, k: number): void {
    const w = this.w;
    // The core reads and writes the register file itself.
    this.spill();
    this.dirty = 0;
    this.loaded = 0;
    this.known.length = 0;
    w.i32Const(b.insts[j]! | 0);
    w.call(F_FP_OP);
    w.byte(Op.i32Eqz);
    w.open(Op.if);
    this.exit(b.offs[j]!, k - j);
    w.end();
  }

  /** va = x[rs1] + imm into L_VA, and the TLB entry's address into L_E. */
  private emitAddress(rs1: number, imm: number): void {
    const w = this.w;
    this.get(rs1);
    w.i64Small(imm);
    w.byte(Op.i64Add);
    w.local(Op.localTee, L_VA);
    w.byte(Op.i32WrapI64);
    w.i32Const(7);
    w.byte(Op.i32ShrU);
    w.i32Const(TLB_INDEX_MASK);
    w.byte(Op.i32And);
    w.local(Op.localGet, L_TLB);
    w.byte(Op.i32Add);
    w.local(Op.localSet, L_E);
  }

  /** The TLB hit test: the entry's tag (at tagOffset) against va's page and alignment bits. */
  private emitTagMiss(tagOffset: number, size: number): void {
    const w = this.w;
    w.local(Op.localGet, L_E);
    w.mem(Op.i64Load, 3, tagOffset);
    w.local(Op.localGet, L_VA);
    w.i64Small(-PAGE | (size - 1));
    w.byte(Op.i64And);
    w.byte(Op.i64Ne);
  }

  /** The host address of va through the TLB entry. */
  private emitHostAddress(): void {
    const w = this.w;
    w.local(Op.localGet, L_VA);
    w.byte(Op.i32WrapI64);
    w.local(Op.localGet, L_E);
    w.mem(Op.i32Load, 2, 24);
    w.byte(Op.i32Add);
  }

  private emitLoad(b: Block, j: number, k: number): void {
    const inst = b.insts[j]!;
    const f3 = (inst >>> 12) & 7;
    const extend =
      f3 === 0 ? Op.i64Extend8S : f3 === 1 ? Op.i64Extend16S : f3 === 2 ? Op.i64Extend32S : 0;
    const loads = [
      Op.i64Load8S,
      Op.i64Load16S,
      Op.i64Load32S,
      Op.i64Load,
      Op.i64Load8U,
      Op.i64Load16U,
      Op.i64Load32U,
    ];
    const rd = (inst >>> 7) & 31;
    const base = (inst >>> 15) & 31;
    const off = immI(inst);
    // PERF (sel4test's -O0 code reloads the same stack slot again and
    // again): a value this block already loaded or stored at the same base
    // register (unchanged since) and offset is taken from its local. That
    // access succeeded, so this one cannot fault; stores through another
    // base register, which may alias, forget everything (forgetStored).
    const hit = this.known.find((e) => e.base === base && e.off === off && e.f3 === f3);
    if (hit !== undefined) {
      this.set(rd, () => this.w.local(Op.localGet, hit.local));
      return;
    }
    const local = this.memLocal();
    this.set(rd, () => {
      this.emitLoadValue(b, j, k, 1 << (f3 & 3), extend, loads[f3]!);
      this.w.local(Op.localTee, local);
    });
    if (rd !== base) this.known.push({ base, off, f3, local });
  }

  private emitStore(b: Block, j: number, k: number): void {
    const inst = b.insts[j]!;
    const f3 = (inst >>> 12) & 7;
    const rs2 = (inst >>> 20) & 31;
    const stores = [Op.i64Store8, Op.i64Store16, Op.i64Store32, Op.i64Store];
    const base = (inst >>> 15) & 31;
    const off = immS(inst);
    this.emitStoreValue(b, j, k, 1 << f3, stores[f3]!, () => this.get(rs2));
    this.forgetStored(base, off, 1 << f3);
    if (f3 === 3) {
      // The doubleword stored, for a later ld of it (emitStoreValue left it in L_T).
      const local = this.memLocal();
      this.w.local(Op.localGet, L_T);
      this.w.local(Op.localSet, local);
      this.known.push({ base, off, f3: 3, local });
    }
  }

  /**
   * The value a load (instruction j of block b, `size` bytes, address from
   * its rs1 and I-immediate) reads, left on the stack: the TLB hit with
   * `load`, a miss through the core (zero-extended, then `extend` if not 0);
   * when the core cannot do it, leaves before the instruction.
   */
  private emitLoadValue(
    b: Block,
    j: number,
    k: number,
    size: number,
    extend: number,
    load: number,
  ): void {
    const w = this.w;
    const inst = b.insts[j]!;
    this.emitAddress((inst >>> 15) & 31, immI(inst));
    this.emitTagMiss(0, size);
    w.open(Op.if, I64);
    w.local(Op.localGet, L_VA);
    w.i32Const(size);
    w.call(F_LOAD_MISS);
    w.local(Op.localSet, L_T);
    w.i32Const(0);
    w.mem(Op.i32Load, 2, JIT_STATUS);
    w.open(Op.if);
    this.exit(b.offs[j]!, k - j);
    w.end();
    w.local(Op.localGet, L_T);
    if (extend !== 0) w.byte(extend);
    w.byte(Op.else);
    this.emitHostAddress();
    w.mem(load, 0, 0);
    w.end();
  }

  /**
   * A store (instruction j of block b, `size` bytes, address from its rs1
   * and S-immediate) of the value `value` pushes: the TLB hit with `store`,
   * a miss through the core; the core's status 1 (not done) leaves before
   * the instruction, 2 (done, but it wrote translated code) after it.
   */
  private emitStoreValue(
    b: Block,
    j: number,
    k: number,
    size: number,
    store: number,
    value: () => void,
  ): void {
    const w = this.w;
    const inst = b.insts[j]!;
    this.emitAddress((inst >>> 15) & 31, immS(inst));
    value();
    w.local(Op.localSet, L_T);
    this.emitTagMiss(8, size);
    w.open(Op.if);
    w.local(Op.localGet, L_VA);
    w.i32Const(size);
    w.local(Op.localGet, L_T);
    w.call(F_STORE_MISS);
    w.local(Op.localTee, L_E);
    w.open(Op.if);
    w.local(Op.localGet, L_E);
    w.i32Const(1);
    w.byte(Op.i32Eq);
    w.open(Op.if);
    this.exit(b.offs[j]!, k - j);
    w.end();
    this.exit(b.offs[j]! + b.lens[j]!, k - j - 1);
    w.end();
    w.byte(Op.else);
    this.emitHostAddress();
    w.local(Op.localGet, L_T);
    w.mem(store, 0, 0);
    w.end();
  }

  private emitPlain(inst: number, off: number): void {
    const w = this.w;
    const rd = (inst >>> 7) & 31;
    // No effect but on rd: nothing to do for x0.
    if (rd === 0) return;
    const rs1 = (inst >>> 15) & 31;
    const rs2 = (inst >>> 20) & 31;
    const f3 = (inst >>> 12) & 7;
    const f7 = inst >>> 25;
    switch ((inst >>> 2) & 31) {
      case 0x0d: // LUI
        w.i64Small(inst & 0xfffff000);
        break;
      case 0x05: // AUIPC
        w.i64Const(this.pcConst(off) + BigInt(inst & 0xfffff000));
        break;
      case 0x04: {
        // OP-IMM
        this.get(rs1);
        const imm = immI(inst);
        if (f3 === 1 || f3 === 5) {
          w.i64Small((inst >>> 20) & 63);
          w.byte(f3 === 1 ? Op.i64Shl : inst >>> 26 === 0 ? Op.i64ShrU : Op.i64ShrS);
        } else {
          w.i64Small(imm);
          if (f3 === 2 || f3 === 3) {
            w.byte(f3 === 2 ? Op.i64LtS : Op.i64LtU);
            w.byte(Op.i64ExtendI32U);
          } else
            w.byte(f3 === 0 ? Op.i64Add : f3 === 4 ? Op.i64Xor : f3 === 6 ? Op.i64Or : Op.i64And);
        }
        break;
      }
      case 0x06: {
        // OP-IMM-32
        this.get(rs1);
        w.byte(Op.i32WrapI64);
        if (f3 === 0) {
          w.i32Const(immI(inst));
          w.byte(Op.i32Add);
        } else {
          w.i32Const((inst >>> 20) & 31);
          w.byte(f3 === 1 ? Op.i32Shl : f7 === 0 ? Op.i32ShrU : Op.i32ShrS);
        }
        w.byte(Op.i64ExtendI32S);
        break;
      }
      case 0x0c: {
        // OP
        this.get(rs1);
        this.get(rs2);
        if (f7 === 1) {
          if (f3 === 0) w.byte(Op.i64Mul);
          else w.call([0, F_MULH, F_MULHSU, F_MULHU, F_DIV, F_DIVU, F_REM, F_REMU][f3]!);
        } else if (f7 === 0x20) w.byte(f3 === 0 ? Op.i64Sub : Op.i64ShrS);
        else if (f3 === 2 || f3 === 3) {
          w.byte(f3 === 2 ? Op.i64LtS : Op.i64LtU);
          w.byte(Op.i64ExtendI32U);
        } else {
          w.byte([Op.i64Add, Op.i64Shl, 0, 0, Op.i64Xor, Op.i64ShrU, Op.i64Or, Op.i64And][f3]!);
        }
        break;
      }
      default: {
        // OP-32
        if (f7 === 1 && f3 >= 4) {
          this.get(rs1);
          this.get(rs2);
          w.call([F_DIVW, F_DIVUW, F_REMW, F_REMUW][f3 - 4]!);
          break;
        }
        this.get(rs1);
        w.byte(Op.i32WrapI64);
        this.get(rs2);
        w.byte(Op.i32WrapI64);
        if (f7 === 1) w.byte(Op.i32Mul);
        else if (f3 === 0) w.byte(f7 === 0 ? Op.i32Add : Op.i32Sub);
        else if (f3 === 1) w.byte(Op.i32Shl);
        else w.byte(f7 === 0 ? Op.i32ShrU : Op.i32ShrS);
        w.byte(Op.i64ExtendI32S);
      }
    }
    this.written(rd);
  }
}
