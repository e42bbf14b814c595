// SiFive test finisher ("sifive,test0"), QEMU's virt poweroff device: a
// 32-bit write of 0x5555 powers off with status 0, (code << 16) | 0x3333
// powers off with status `code`, 0x7777 resets.

export const SIFIVE_TEST_SIZE = 0x1000;

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

export type FinisherEvent = { kind: "poweroff"; code: number } | { kind: "reset" };

export class SifiveTest {
  event: FinisherEvent | undefined;

  constructor(private readonly onEvent: (e: FinisherEvent) => void) {}

  load(_offset: number, _size: number): number {
    return 0;
  }

  store(offset: number, _size: number, value: number): void {
    if (offset !== 0) return;
    const status = value & 0xffff;
    let e: FinisherEvent | undefined;
    if (status === FINISHER_PASS) e = { kind: "poweroff", code: 0 };
    else if (status === FINISHER_FAIL) e = { kind: "poweroff", code: value >>> 16 };
    else if (status === FINISHER_RESET) e = { kind: "reset" };
    if (e) {
      this.event = e;
      this.onEvent(e);
    }
  }
}
