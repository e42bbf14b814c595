// The doors from the machine to the host: devices reach the outside world
// only through these, so tests, the CLI and a browser can each supply their
// own.

/** A stream of input bytes, such as a console's keyboard or piped stdin. */
export interface ByteSource {
  /**
   * The next byte, or -1 when none is available now (more may come later).
   * Called only when the device has room, so a source never loses bytes.
   */
  read(): number;
}

/**
 * The host's clock, for --realtime: the guest's time then follows it
 * instead of the instruction count (runs stop being repeatable).
 */
export interface HostClock {
  /** Nanoseconds since some fixed point. */
  now(): number;
  /** Blocks for up to `ms` milliseconds (the guest waits for its timer). */
  sleep(ms: number): void;
}
