// Endpoint objects (seL4/seL4: src/object/endpoint.c): a queue of threads
// blocked sending or receiving.

import type { TCB } from "./tcb.js";

export type EndpointState = "Idle" | "Send" | "Recv";

export class Endpoint {
  state: EndpointState = "Idle";
  readonly queue: TCB[] = [];

  constructor(readonly paddr: bigint) {}
}
