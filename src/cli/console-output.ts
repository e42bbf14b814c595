// Guest console bytes to a host file descriptor, line-buffered so a guest
// printing a byte at a time does not cost a system call per byte.

import { writeSync } from "node:fs";

export class ConsoleOutput {
  private buf = new Uint8Array(4096);
  private len = 0;

  constructor(private readonly fd: number) {}

  readonly put = (byte: number): void => {
    this.buf[this.len++] = byte;
    if (byte === 10 || this.len === this.buf.length) this.flush();
  };

  flush(): void {
    let off = 0;
    while (off < this.len) off += writeSync(this.fd, this.buf, off, this.len - off);
    this.len = 0;
  }
}
