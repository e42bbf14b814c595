// Where each argument of a method travels, as libsel4's generated stubs put it: the message
// length and extra-cap count of the request, the message word (and bit range) of every packed
// argument, the extra-cap slot of every cap argument, and the words of the reply's results.
//
// Source: seL4/seL4 16.0.0 libsel4/tools/syscall_stub_gen.py (get_parameter_positions,
// generate_stub). The rule: non-cap arguments are laid end to end in C order, each aligned to
// min(its width, 64) bits, and a word-sized one starts a new word; the message length is the
// number of words touched. Cap arguments fill caps_or_badges[0..] in C order. The kernel decoders
// read the same positions (MR i = a2+i for i < 4, else IPC-buffer msg[i]).

import type { Method } from "./methods.js";
import { type ParamTypeName, paramTypes } from "./param-types.js";

export interface MrArg {
  readonly name: string;
  readonly type: ParamTypeName;
  /** Message register holding the argument (its first word, for a struct). */
  readonly mr: number;
  /** Lowest bit within that word. */
  readonly shift: number;
  /** Width in bits (a multiple of 64 for a struct). */
  readonly bits: number;
}

export interface CapArg {
  readonly name: string;
  readonly type: ParamTypeName;
  /** Index into caps_or_badges[] (extra cap k; the kernel's InvalidCapability calls it k + 1). */
  readonly cap: number;
}

export interface MethodLayout {
  /** seL4_MessageInfo length of the request. */
  readonly length: number;
  /** seL4_MessageInfo extraCaps of the request. */
  readonly extraCaps: number;
  readonly mrArgs: readonly MrArg[];
  readonly capArgs: readonly CapArg[];
  /** Results in the reply's message registers (on success). */
  readonly results: readonly MrArg[];
  /** Words of results. */
  readonly resultLength: number;
}

function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

function pack(params: readonly { name: string; type: ParamTypeName }[]): {
  args: MrArg[];
  words: number;
} {
  let used = 0;
  const args: MrArg[] = [];
  for (const p of params) {
    const bits = paramTypes[p.type].bits;
    used = alignUp(used, Math.min(bits, 64));
    args.push({ name: p.name, type: p.type, mr: Math.floor(used / 64), shift: used % 64, bits });
    used += bits;
  }
  return { args, words: Math.ceil(used / 64) };
}

export function methodLayout(method: Method): MethodLayout {
  const caps = method.in.filter((p) => p.via === "cap");
  const request = pack(method.in.filter((p) => p.via === "mr"));
  const reply = pack(method.out);
  return {
    length: request.words,
    extraCaps: caps.length,
    mrArgs: request.args,
    capArgs: caps.map((p, cap) => ({ name: p.name, type: p.type, cap })),
    results: reply.args,
    resultLength: reply.words,
  };
}
