// One RV64 hart: an instance of the wasm core with its own linear memory
// holding registers, TLB and guest RAM. MMIO outside RAM and the CLINT is
// forwarded to the host callbacks given at creation.

import { type CoreExports, coreModule } from "./core-module.js";
import { Jit, type JitCoreImports } from "./jit/jit.js";
import { JIT_IMPORTS } from "./jit/translate.js";

export interface MmioHandler {
  /** Reads `size` (1, 2 or 4) bytes at physical address pa; undefined = no device (access fault). */
  load(pa: number, size: number): number | undefined;
  /** Writes; returns false when no device answers (access fault). */
  store(pa: number, size: number, value: number): boolean;
}

const WASM_PAGE = 65536;
const MROM_SIZE = 0xf000;
export const RAM_BASE = 0x8000_0000n;

export class Hart {
  readonly core: CoreExports;
  readonly memory: WebAssembly.Memory;
  /** Guest RAM as bytes (index 0 = physical RAM_BASE). */
  readonly ram: Uint8Array;
  readonly x: BigUint64Array;
  readonly f: BigUint64Array;
  /** x0..x31 and f0..f31 as bytes, for whole-context copies. */
  readonly xBytes: Uint8Array;
  readonly fBytes: Uint8Array;
  /**
   * The core's host block as 32-bit halves (core/layout.ts): [0,1] pc,
   * [2,3] retired instructions, [4,5] host trap cause, [6,7] tval. Valid
   * [8] mstatus.FS at the end of the run. Valid between runs; writing the
   * pc here sets where the next run starts.
   */
  readonly host32: Uint32Array;
  /** The reset ROM (physical 0x1000, 0xf000 bytes), read-only to the guest. */
  readonly rom: Uint8Array;
  readonly ramSize: number;

  /** The translator (jit/): hot guest pages run as wasm functions. */
  readonly jit: Jit;

  /** `jit`: translate hot code (default); off, everything is interpreted. */
  constructor(ramSize: number, mmio: MmioHandler, hartId = 0, jit = true) {
    this.ramSize = ramSize;
    const ramOffset = 0x100_0000;
    // One extra page past RAM (the fetch fast path may read 2 bytes beyond
    // a page), then the translator's tables: a slot per page of RAM and
    // 4096 visit counters (core/jit.ts).
    const jitTables = Math.ceil((ramOffset + ramSize + WASM_PAGE) / WASM_PAGE) * WASM_PAGE;
    const pages = Math.ceil((jitTables + (ramSize / 4096) * 4 + 4096 * 4) / WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const table = new WebAssembly.Table({ initial: 1, element: "anyfunc" });
    let core: CoreExports | undefined;
    const env = {
      memory: this.memory,
      table,
      jitCompile: (ppn: number, pcLo: number, pcHi: number): number =>
        this.jit.compile(ppn, pcLo, pcHi),
      mmioLoad: (pa: number, size: number): number => {
        const v = mmio.load(pa >>> 0, size);
        if (v === undefined) {
          core!.reportBusError();
          return 0;
        }
        return v;
      },
      mmioStore: (pa: number, size: number, value: number): void => {
        if (!mmio.store(pa >>> 0, size, value >>> 0)) core!.reportBusError();
      },
      abort: () => {
        throw new Error("mica core: abort");
      },
    };
    const instance = new WebAssembly.Instance(coreModule(), { env });
    // The module's start function (asconfig exportStart): its globals'
    // initial values (the TLB's base among them) are set here, before any use.
    (instance.exports._initialize as () => void)();
    core = instance.exports as unknown as CoreExports;
    this.core = core;
    const buf = this.memory.buffer;
    this.ram = new Uint8Array(buf, ramOffset, ramSize);
    this.x = new BigUint64Array(buf, core.X_BASE.value as number, 32);
    this.f = new BigUint64Array(buf, core.F_BASE.value as number, 32);
    this.xBytes = new Uint8Array(buf, core.X_BASE.value as number, 256);
    this.fBytes = new Uint8Array(buf, core.F_BASE.value as number, 256);
    this.host32 = new Uint32Array(buf, core.HOST_BASE.value as number, 9);
    this.rom = new Uint8Array(buf, core.MROM_WASM_OFFSET.value as number, MROM_SIZE);
    core.reset(BigInt(ramSize), BigInt(hartId), RAM_BASE);
    if (core.jitTablesAt(BigInt(ramSize)) >>> 0 !== jitTables)
      throw new Error("mica: core and host disagree on the JIT tables");
    const exports = instance.exports as Record<string, WebAssembly.ExportValue>;
    this.jit = new Jit(this.memory, table, {
      rvcOffset: core.RVC_TABLE.value as number,
      ramOffset,
      ramSize,
      tablesOffset: jitTables,
      core: Object.fromEntries(JIT_IMPORTS.map((name) => [name, exports[name]!])) as JitCoreImports,
    });
    core.setJit(jit ? 1 : 0);
  }

  /**
   * The host wrote guest RAM at physical pa..pa+length (a loader, a kernel,
   * DMA): translated code of those pages is dropped.
   */
  codeWritten(pa: bigint, length: number): void {
    this.jit.codeWritten(Number(pa - RAM_BASE), length);
  }

  get pc(): bigint {
    return this.core.getPc();
  }
  set pc(v: bigint) {
    this.core.setPc(v);
  }
  get instret(): bigint {
    return this.core.getRetired();
  }

  /** Retired instructions as a number (exact below 2^53), read from the host block. */
  get retired(): number {
    return this.host32[2]! + this.host32[3]! * 0x1_0000_0000;
  }

  /** Reads guest physical RAM; undefined if outside RAM. */
  ramSlice(pa: bigint, length: number): Uint8Array | undefined {
    const off = pa - RAM_BASE;
    if (off < 0n || off + BigInt(length) > BigInt(this.ramSize)) return undefined;
    return this.ram.subarray(Number(off), Number(off) + length);
  }

  readU64(pa: bigint): bigint | undefined {
    const s = this.ramSlice(pa, 8);
    if (!s) return undefined;
    return new DataView(s.buffer, s.byteOffset, 8).getBigUint64(0, true);
  }

  writeU64(pa: bigint, v: bigint): boolean {
    const s = this.ramSlice(pa, 8);
    if (!s) return false;
    new DataView(s.buffer, s.byteOffset, 8).setBigUint64(0, v, true);
    return true;
  }
}
