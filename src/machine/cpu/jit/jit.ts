// The translator's host side: the core asks for a page's function
// (env.jitCompile, core/jit.ts), and this translates the page, compiles and
// instantiates the module, and puts its function in the shared table.
//
// PERF (sel4test): seL4 programs load the same ELF into fresh frames for
// every process, so the same code appears at the same virtual page in many
// physical pages. Functions are cached by (virtual page, content): a page
// whose bytes were translated before gets the existing function (one hash
// and one compare of 4 KiB) instead of a new compile (about 1 us per
// instruction plus V8's tier-up).

import { type JIT_IMPORTS, type PageCode, PageTranslator } from "./translate.js";

const PAGE = 4096;
/** Recompiles of one page for new entries, before its new entries are left to the interpreter. */
const MAX_VERSIONS = 8;
/** Table slots before the whole cache is dropped (bounds the memory compiled code takes). */
const MAX_SLOTS = 16384;

/**
 * Compiled modules of this process, by virtual page, content and entries:
 * another machine (a test, a benchmark's next boot) running the same code
 * instantiates the module again instead of translating and compiling it;
 * V8 shares the compiled code between instances.
 */
const modules = new Map<
  string,
  { words: Int32Array; module: WebAssembly.Module; instructions: number }
>();

interface CachedPage {
  /** (virtual page, content hash): the cache key. */
  key: string;
  /** The bytes translated (to tell a hash collision from a hit). */
  words: Int32Array;
  vpage: bigint;
  entries: Set<number>;
  slot: number;
  versions: number;
}

export interface JitStats {
  /** Modules compiled, pages given a cached function, guest instructions translated, ms spent. */
  compiles: number;
  cacheHits: number;
  instructions: number;
  milliseconds: number;
}

/** The wasm functions of the core that translated code imports. */
export type JitCoreImports = Record<(typeof JIT_IMPORTS)[number], WebAssembly.ExportValue>;

export class Jit {
  private readonly translator = new PageTranslator();
  private readonly cache = new Map<string, CachedPage>();
  private nextSlot = 1;
  private readonly imports: WebAssembly.Imports;
  private readonly rvc: Uint32Array;
  private readonly ram32: Int32Array;
  /** The core's table slot per page of RAM (core/jit.ts). */
  private readonly slots: Uint32Array;
  private used = false;
  readonly stats: JitStats = { compiles: 0, cacheHits: 0, instructions: 0, milliseconds: 0 };

  constructor(
    memory: WebAssembly.Memory,
    private readonly table: WebAssembly.Table,
    layout: {
      rvcOffset: number;
      ramOffset: number;
      ramSize: number;
      tablesOffset: number;
      /** The core's exports that translated code calls. */
      core: JitCoreImports;
    },
  ) {
    this.imports = { env: { memory, table, ...layout.core } };
    const buf = memory.buffer;
    this.rvc = new Uint32Array(buf, layout.rvcOffset, 65536);
    this.ram32 = new Int32Array(buf, layout.ramOffset, layout.ramSize / 4);
    const pages = Math.floor(layout.ramSize / PAGE);
    this.slots = new Uint32Array(buf, layout.tablesOffset, pages);
  }

  /**
   * env.jitCompile: a function for RAM page ppn, mapped at the page of pc,
   * with an entry at pc. Returns its table slot, or 0 for none.
   */
  compile(ppn: number, pcLo: number, pcHi: number): number {
    const pc = (BigInt(pcHi >>> 0) << 32n) | BigInt(pcLo >>> 0);
    const vpage = pc & ~0xfffn;
    const off = pcLo & (PAGE - 1);
    const words = this.ram32.subarray(ppn * (PAGE / 4), (ppn + 1) * (PAGE / 4));
    const key = `${vpage.toString(16)}:${hashWords(words).toString(16)}`;
    let page = this.cache.get(key);
    if (page !== undefined && !sameWords(page.words, words)) page = undefined;
    if (page !== undefined) {
      if (page.entries.has(off)) {
        this.stats.cacheHits++;
        return page.slot;
      }
      // A new entry: translate again with it, a few times at most.
      if (page.versions >= MAX_VERSIONS) return page.slot;
      page.entries.add(off);
      page.versions++;
    } else {
      if (this.nextSlot >= MAX_SLOTS) this.dropAll();
      page = { key, words: words.slice(), vpage, entries: new Set([off]), slot: 0, versions: 1 };
      this.cache.set(key, page);
    }
    page.slot = this.build(page);
    return page.slot;
  }

  private build(page: CachedPage): number {
    const started = performance.now();
    const code: PageCode = {
      bytes: new Uint8Array(page.words.buffer, page.words.byteOffset, PAGE),
      vpage: page.vpage,
      rvc: this.rvc,
    };
    // The same code may have been compiled for another machine in this process.
    const key = `${page.key}:${[...page.entries].sort((a, b) => a - b).join(",")}`;
    let compiled = modules.get(key);
    if (compiled === undefined || !sameWords(compiled.words, page.words)) {
      const t = this.translator.translate(code, page.entries);
      compiled = {
        words: page.words,
        module: new WebAssembly.Module(t.bytes),
        instructions: t.instructions,
      };
      if (modules.size >= MAX_SLOTS) modules.clear();
      modules.set(key, compiled);
      this.stats.compiles++;
      this.stats.instructions += t.instructions;
    } else this.stats.cacheHits++;
    const instance = new WebAssembly.Instance(compiled.module, this.imports);
    const slot = this.nextSlot++;
    if (slot >= this.table.length) this.table.grow(Math.max(64, this.table.length));
    this.table.set(slot, instance.exports.page as WebAssembly.ExportValue as () => void);
    this.used = true;
    this.stats.milliseconds += performance.now() - started;
    return slot;
  }

  /** Forgets every translation (the cache is full). */
  private dropAll(): void {
    this.cache.clear();
    this.slots.fill(0);
    this.nextSlot = 1;
  }

  /**
   * The host wrote RAM bytes [offset, offset + length) (offsets from RAM's
   * start): translations of those pages are stale.
   */
  codeWritten(offset: number, length: number): void {
    if (!this.used || length <= 0) return;
    const slots = this.slots;
    const end = Math.min(Math.ceil((offset + length) / PAGE), slots.length);
    for (let p = Math.floor(offset / PAGE); p < end; p++) {
      if (slots[p] !== 0) slots[p] = 0;
    }
  }
}

/** FNV-1a over 32-bit words. */
function hashWords(words: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h >>> 0;
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
