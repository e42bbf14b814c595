// The host's clock for `mica machine run --realtime`: Node's monotonic
// clock, and a synchronous sleep (the run loop is synchronous).

import type { HostClock } from "../machine/host-ports.js";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export const nodeClock: HostClock = {
  now: () => Number(process.hrtime.bigint()),
  sleep: (ms) => {
    // Nobody notifies: this waits out the timeout.
    Atomics.wait(sleeper, 0, 0, ms);
  },
};
