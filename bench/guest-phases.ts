/**
 * Times the phases a benchmark guest marks on its console, for bench/ipc and bench/irq.
 *
 * The guest prints `NAME: begin PHASE COUNT` and `NAME: end PHASE` lines; a phase runs from
 * the newline of its `begin` line to the first byte of its `end` line, so the markers' own
 * output falls outside it. Each is timed with the host clock and the hart's retired
 * instruction count. `NAME: done` ends the run; with `withCycles`, `NAME: cycles PHASE N`
 * records a guest figure; any other line is an error.
 */

export interface Phase {
  /** The COUNT of the `begin` line (rounds, interrupts...). */
  count: number;
  ns: bigint;
  instructions: bigint;
}

interface Instant {
  ns: bigint;
  instret: bigint;
}

export class GuestPhases {
  readonly phases = new Map<string, Phase>();
  /** `NAME: cycles PHASE N` lines. */
  readonly cycles = new Map<string, number>();
  /** The first problem seen: an unexpected line or an unmatched marker. */
  error: string | undefined;
  /** Whether `NAME: done` arrived. */
  done = false;
  /** Where instructions are counted; set once the system is booted. */
  hart: { readonly instret: bigint } | undefined;

  private line = "";
  private lineStart: Instant = { ns: 0n, instret: 0n };
  private open: (Instant & { name: string; count: number }) | undefined;
  private readonly begin: RegExp;
  private readonly end: RegExp;
  private readonly cycle: RegExp | undefined;
  private readonly doneLine: string;

  constructor(name: string, withCycles = false) {
    this.begin = new RegExp(`^${name}: begin (\\S+) (\\d+)$`);
    this.end = new RegExp(`^${name}: end (\\S+)$`);
    this.cycle = withCycles ? new RegExp(`^${name}: cycles (\\S+) (\\d+)$`) : undefined;
    this.doneLine = `${name}: done`;
  }

  /** The guest's console: give it to System.boot. */
  readonly putChar = (byte: number): void => {
    if (this.line.length === 0 || byte === 10) {
      const at = { ns: process.hrtime.bigint(), instret: this.hart!.instret };
      if (this.line.length === 0) this.lineStart = at;
      if (byte === 10) {
        this.onLine(this.line, at);
        this.line = "";
        return;
      }
    }
    this.line += String.fromCharCode(byte);
  };

  /** A whole line; `at` is when its newline arrived. */
  private onLine(text: string, at: Instant): void {
    const begin = this.begin.exec(text);
    const end = this.end.exec(text);
    const cyc = this.cycle?.exec(text);
    if (begin) this.open = { name: begin[1]!, count: Number(begin[2]), ...at };
    else if (end) {
      if (this.open?.name !== end[1]) this.error ??= `unmatched marker: ${text}`;
      else {
        this.phases.set(this.open.name, {
          count: this.open.count,
          ns: this.lineStart.ns - this.open.ns,
          instructions: this.lineStart.instret - this.open.instret,
        });
        this.open = undefined;
      }
    } else if (cyc) this.cycles.set(cyc[1]!, Number(cyc[2]));
    else if (text === this.doneLine) this.done = true;
    else this.error ??= `guest: ${text}`;
  }
}
