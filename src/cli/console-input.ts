// The host side of the guest console's input (the UART's receiver), as
// QEMU's `-nographic` gives it:
// - stdin piped or redirected: every byte is read up front (to EOF), and the
//   UART takes them whenever its FIFO has room. The guest then sees the
//   same stream at the same instructions on every run.
// - stdin a terminal: raw mode, bytes delivered as they are typed, and
//   QEMU's escape: Ctrl-A x quits, Ctrl-A Ctrl-A sends a Ctrl-A, Ctrl-A h
//   lists the keys. The terminal is restored on every way out.
//
// Why the terminal path is asynchronous: Node offers no non-blocking read
// of a terminal on fd 0 (libuv reopens the tty for its own non-blocking
// handle), so the bytes come as 'data' events, and the run loop gives the
// event loop a turn between slices (see runInteractive in
// commands/machine-run.ts).

import { readSync } from "node:fs";

import type { ByteSource } from "../machine/host-ports.js";

/** A source of bytes kept in a growable queue. */
export class ByteQueue implements ByteSource {
  private buf: Uint8Array;
  private head = 0;
  private tail = 0;

  constructor(initial: Uint8Array = new Uint8Array(0)) {
    this.buf = initial;
    this.tail = initial.length;
  }

  get length(): number {
    return this.tail - this.head;
  }

  read(): number {
    return this.head < this.tail ? this.buf[this.head++]! : -1;
  }

  push(byte: number): void {
    if (this.tail === this.buf.length) {
      const live = this.tail - this.head;
      const next = new Uint8Array(Math.max(64, live * 2));
      next.set(this.buf.subarray(this.head, this.tail));
      this.buf = next;
      this.head = 0;
      this.tail = live;
    }
    this.buf[this.tail++] = byte;
  }
}

/** Reads a file descriptor to its end (the piped-stdin case). */
export function readAll(fd: number): Uint8Array {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking pipe with nothing yet: wait for it (we want all of it).
      if (code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      // EOF-like conditions (a closed terminal, a socket shut down).
      // No input at all: a closed descriptor, a terminal gone, a socket shut down.
      if (code === "EOF" || code === "EBADF" || code === "EINVAL" || code === "ENOTCONN") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return new Uint8Array(Buffer.concat(chunks));
}

const CTRL_A = 0x01;

export type EscapeAction = "quit" | "help";

/**
 * QEMU's console multiplexer escape, as a byte filter: bytes for the guest
 * go to `deliver`; Ctrl-A followed by x or h is a command for mica.
 */
export class EscapeDecoder {
  private afterEscape = false;

  constructor(
    private readonly deliver: (byte: number) => void,
    private readonly command: (action: EscapeAction) => void,
  ) {}

  feed(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (!this.afterEscape) {
        if (b === CTRL_A) this.afterEscape = true;
        else this.deliver(b);
        continue;
      }
      this.afterEscape = false;
      if (b === CTRL_A) this.deliver(CTRL_A);
      else if (b === 0x78 /* x */) this.command("quit");
      else if (b === 0x68 /* h */) this.command("help");
      // Any other key after Ctrl-A is dropped, as QEMU does.
    }
  }
}

export const ESCAPE_HELP =
  "\r\nC-a h    print this help\r\nC-a x    exit mica\r\nC-a C-a  send C-a\r\n";

const SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGHUP", "SIGQUIT"];

/** The terminal side of an interactive run. */
export class TtyConsole {
  readonly queue = new ByteQueue();
  quit = false;
  private wake: (() => void) | undefined;
  private readonly decoder: EscapeDecoder;
  private restored = false;
  private readonly onData = (data: Buffer) => {
    this.decoder.feed(data);
    this.wakeUp();
  };
  private readonly restoreOnExit = () => this.restore();
  // A signal's default action would end the process without the 'exit' event.
  private readonly restoreOnSignal = (signal: NodeJS.Signals) => {
    this.restore();
    process.kill(process.pid, signal);
  };

  constructor() {
    this.decoder = new EscapeDecoder(
      (b) => this.queue.push(b),
      (action) => {
        if (action === "quit") this.quit = true;
        else process.stderr.write(ESCAPE_HELP);
      },
    );
    const stdin = process.stdin;
    stdin.setRawMode(true);
    // Whatever way the process leaves (an exception included), the terminal
    // goes back to cooked mode.
    process.on("exit", this.restoreOnExit);
    for (const sig of SIGNALS) process.once(sig, this.restoreOnSignal);
    stdin.on("data", this.onData);
    stdin.resume();
  }

  /** Resolves when input arrives or the user quits. */
  waitForInput(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  restore(): void {
    if (this.restored) return;
    this.restored = true;
    const stdin = process.stdin;
    stdin.off("data", this.onData);
    stdin.setRawMode(false);
    stdin.pause();
    process.off("exit", this.restoreOnExit);
    for (const sig of SIGNALS) process.off(sig, this.restoreOnSignal);
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
