// Builds the C program the marshalling test runs (calls.c, linked with marshal/fake-kernel.c) and
// the trace it must print, both from interface/: every invocation wrapper is called with distinct
// argument values, once answered with success and once with an error, and the fake kernel logs
// the registers, caps and IPC-buffer words each call carries. The expected words are computed
// from interface/marshal.ts, so the test checks the generated C against the ABI tables.

import {
  allMethods,
  faults,
  fieldPositions,
  inRelease,
  invocationLabels,
  type MethodOf,
  methodLayout,
  paramTypes,
  type Release,
  seL4_CNode_CapData,
  seL4_Fault,
  syscallNumbers,
  userContext,
} from "../../interface/index.js";

const REPLY = 0xf00d0000n;
const COUNT = 20n; // Read/WriteRegisters count: more than the 4 register MRs, fewer than 32

export function hex(v: bigint | number): string {
  return BigInt.asUintN(64, BigInt(v)).toString(16);
}

function infoWord(label: number | bigint, caps: number, length: number): bigint {
  return (BigInt(label) << 12n) | (BigInt(caps) << 7n) | BigInt(length);
}

function sysNumber(name: string, release: Release): bigint {
  const s = syscallNumbers(release).find((x) => x.name === name);
  if (!s) throw new Error(`no syscall ${name}`);
  return BigInt(s.number);
}

/** The value passed for argument j of method k, as C text and as the word it packs to. */
function argValue(k: number, j: number, name: string, type: keyof typeof paramTypes) {
  const t = paramTypes[type];
  if (t.kind === "cap") {
    const v = BigInt(0x100 + 0x10 * k + j);
    return { c: `0x${hex(v)}`, v };
  }
  if (t.kind === "bitfield") return { c: "seL4_CapRights_new(1, 0, 1, 1)", v: 0xbn };
  if (t.kind === "struct") return { c: `&${name}`, v: 0n };
  if (name === "count") return { c: `${COUNT}`, v: COUNT };
  if (type === "seL4_Bool") return { c: "1", v: 1n };
  if (type === "seL4_RISCV_VMAttributes") return { c: "seL4_RISCV_ExecuteNever", v: 1n };
  if (t.bits < 64) {
    const v = BigInt(0xa0 + j) & ((1n << BigInt(t.bits)) - 1n);
    return { c: `0x${hex(v)}`, v };
  }
  const v = (BigInt(k + 1) << 40n) | (BigInt(j + 1) << 8n) | 0x5n;
  return { c: `0x${hex(v)}ull`, v };
}

const structIn = (i: number) => 0x5000n + BigInt(i);
const structOutFill = (i: number) => 0xee00n + BigInt(i);

interface Case {
  readonly c: string[];
  readonly expected: string[];
}

function methodCase(m: MethodOf, k: number, release: Release, label: number): Case {
  const layout = methodLayout(m);
  const fn = `${m.interface}_${m.name}`;
  const service = BigInt(0x40 + k);
  const args = m.in.map((p, j) => ({ p, ...argValue(k, j, p.name, p.type) }));
  const value = (name: string) => args.find((a) => a.p.name === name)!.v;
  // The request words, packed as the layout says.
  const words: bigint[] = Array.from({ length: layout.length }, () => 0n);
  for (const a of layout.mrArgs) {
    if (paramTypes[a.type].kind === "struct") {
      const n = Number(COUNT);
      for (let i = 0; i < a.bits / 64; i++) words[a.mr + i] = i < n ? structIn(i) : 0n;
    } else {
      words[a.mr]! |= value(a.name) << BigInt(a.shift);
    }
  }
  // CallWithMRs passes MR i in a register only if the message is longer than i.
  const regs = [0, 1, 2, 3].map((i) => (i < layout.length ? words[i]! : 0n));
  const info = infoWord(label, layout.extraCaps, layout.length);
  const sent = [`E ${[sysNumber("Call", release), service, info, ...regs].map(hex).join(" ")}`];
  if (layout.extraCaps > 0)
    sent.push(`C ${layout.capArgs.map((c) => hex(value(c.name))).join(" ")}`);
  if (layout.length > 4) sent.push(`B ${words.slice(4).map(hex).join(" ")}`);

  const isStruct = (p: { type: keyof typeof paramTypes }) => paramTypes[p.type].kind === "struct";
  const results = m.out.filter((p) => !isStruct(p));
  const outArgs = m.out.filter(isStruct).map((p) => `, &${p.name}`);
  const call = `${fn}(0x${hex(service)}${args.map((a) => `, ${a.c}`).join("")}${outArgs.join("")})`;
  const c: string[] = [`fake_puts("M ${fn}\\n");`, "for (int pass = 0; pass < 2; pass++) {"];
  const fills = [
    ...m.in.filter(isStruct).map((p) => [p.name, "0x5000"]),
    ...m.out.filter(isStruct).map((p) => [p.name, "0xee00"]),
  ];
  for (const [name, fill] of fills) {
    c.push(`    seL4_UserContext ${name};`);
    c.push(`    for (int i = 0; i < 32; i++) ((seL4_Word *)&${name})[i] = ${fill} + i;`);
  }
  c.push("    fake_clear_ipc_buffer();");
  c.push(
    `    fake_reply(0, pass ? 4 : 0, pass ? 2 : ${layout.resultLength === 32 ? COUNT : layout.resultLength});`,
  );
  if (results.length > 0) {
    c.push(`    ${fn}_t r = ${call};`, "    seL4_Error error = (seL4_Error)r.error;");
  } else {
    c.push(`    seL4_Error error = ${call};`);
  }
  c.push("    fake_puts(\"R\"); fake_word(error); fake_putc('\\n');");
  c.push("    if (pass == 0) {");
  for (const r of results)
    c.push(`        fake_puts("O ${r.name}"); fake_word(r.${r.name}); fake_putc('\\n');`);
  for (const o of m.out.filter(isStruct)) {
    c.push(`        fake_puts("O ${o.name}");`);
    c.push(`        for (int i = 0; i < 32; i++) fake_word(((seL4_Word *)&${o.name})[i]);`);
    c.push("        fake_putc('\\n');");
  }
  c.push("    } else {");
  c.push('        fake_puts("G");');
  c.push("        for (int i = 0; i < 4; i++) fake_word(seL4_GetMR(i));");
  c.push("        fake_putc('\\n');");
  c.push("    }", "}");

  const expected = [`M ${fn}`, ...sent, "R 0"];
  for (const r of layout.results) {
    if (paramTypes[r.type].kind === "struct") {
      const regs = userContext.map((_, i) =>
        BigInt(i) < COUNT ? REPLY + BigInt(i) : structOutFill(i),
      );
      expected.push(`O ${r.name} ${regs.map(hex).join(" ")}`);
    } else {
      expected.push(`O ${r.name} ${hex(REPLY + BigInt(r.mr))}`);
    }
  }
  expected.push(...sent, "R 4");
  // The error reply wrote MR0 and MR1; a4 and a5 still hold what the call passed.
  expected.push(`G ${[REPLY, REPLY + 1n, regs[2]!, regs[3]!].map(hex).join(" ")}`);
  return { c: c.map((l) => `    ${l}`), expected };
}

/** The plain syscall wrappers, each with the trace it must produce. */
function syscallCases(release: Release): Case {
  const n = (s: string) => hex(sysNumber(s, release));
  const msg = (len: number) => `for (int i = 0; i < ${len}; i++) seL4_SetMR(i, 0x5000 + i);`;
  const mrs = (len: number) => Array.from({ length: len }, (_, i) => hex(0x5000 + i));
  const reply = (i: number) => hex(REPLY + BigInt(i));
  const info = (label: number, caps: number, len: number) => hex(infoWord(label, caps, len));
  const c = [
    "seL4_Word sender, m0, m1, m2, m3;",
    "seL4_MessageInfo_t in;",
    'fake_puts("S Send\\n");',
    "fake_clear_ipc_buffer();",
    msg(6),
    "seL4_Send(0x11, seL4_MessageInfo_new(0x123, 0, 0, 6));",
    'fake_puts("S NBSend\\n");',
    "seL4_NBSend(0x12, seL4_MessageInfo_new(0x124, 0, 2, 3));",
    'fake_puts("S SendWithMRs\\n");',
    "m0 = 0x70; m1 = 0x71; m2 = 0x72; m3 = 0x73;",
    "seL4_SendWithMRs(0x13, seL4_MessageInfo_new(0x125, 0, 0, 2), &m0, &m1, &m2, &m3);",
    'fake_puts("S Call\\n");',
    "fake_clear_ipc_buffer();",
    msg(5),
    "seL4_SetCap(0, 0x99);",
    "fake_reply(0x77, 9, 6);",
    "in = seL4_Call(0x14, seL4_MessageInfo_new(0x126, 0, 1, 5));",
    'fake_puts("I"); fake_word(in.words[0]);',
    "for (int i = 0; i < 6; i++) fake_word(seL4_GetMR(i));",
    "fake_putc('\\n');",
    'fake_puts("S CallWithMRs\\n");',
    "fake_clear_ipc_buffer();",
    "m0 = 0x80; m1 = 0x81; m2 = 0x82; m3 = 0x83;",
    "fake_reply(0x78, 0, 3);",
    "in = seL4_CallWithMRs(0x15, seL4_MessageInfo_new(0x127, 0, 0, 3), &m0, &m1, &m2, &m3);",
    'fake_puts("I"); fake_word(in.words[0]); fake_word(m0); fake_word(m1); fake_word(m2); fake_word(m3);',
    "fake_putc('\\n');",
    'fake_puts("S Reply\\n");',
    "fake_clear_ipc_buffer();",
    msg(5),
    "seL4_Reply(seL4_MessageInfo_new(0x128, 0, 0, 5));",
    'fake_puts("S ReplyWithMRs\\n");',
    "m0 = 0x90; m1 = 0x91; m2 = 0x92; m3 = 0x93;",
    "seL4_ReplyWithMRs(seL4_MessageInfo_new(0x129, 0, 0, 4), &m0, &m1, &m2, &m3);",
    'fake_puts("S Recv\\n");',
    "fake_clear_ipc_buffer();",
    "fake_reply(0xbad, 0x33, 6);",
    "in = seL4_Recv(0x16, &sender);",
    'fake_puts("I"); fake_word(in.words[0]); fake_word(sender);',
    "for (int i = 0; i < 6; i++) fake_word(seL4_GetMR(i));",
    "fake_putc('\\n');",
    'fake_puts("S RecvWithMRs\\n");',
    "fake_reply(0xbae, 0x34, 2);",
    "m0 = m1 = m2 = m3 = 0;",
    "in = seL4_RecvWithMRs(0x17, &sender, &m0, &m1, seL4_Null, seL4_Null);",
    'fake_puts("I"); fake_word(in.words[0]); fake_word(sender); fake_word(m0); fake_word(m1);',
    "fake_putc('\\n');",
    'fake_puts("S NBRecv\\n");',
    "fake_reply(0, 0, 0);",
    "in = seL4_NBRecv(0x18, seL4_Null);",
    "fake_puts(\"I\"); fake_word(in.words[0]); fake_putc('\\n');",
    'fake_puts("S ReplyRecv\\n");',
    "fake_clear_ipc_buffer();",
    msg(2),
    "fake_reply(0xbaf, 0x35, 1);",
    "in = seL4_ReplyRecv(0x19, seL4_MessageInfo_new(0x12a, 0, 0, 2), &sender);",
    'fake_puts("I"); fake_word(in.words[0]); fake_word(sender); fake_word(seL4_GetMR(0));',
    "fake_putc('\\n');",
    'fake_puts("S ReplyRecvWithMRs\\n");',
    "m0 = 0xa0; m1 = 0xa1; m2 = 0xa2; m3 = 0xa3;",
    "fake_reply(0xbb0, 0x36, 4);",
    "in = seL4_ReplyRecvWithMRs(0x1a, seL4_MessageInfo_new(0x12b, 0, 0, 1), &sender, &m0, &m1, &m2, &m3);",
    'fake_puts("I"); fake_word(in.words[0]); fake_word(sender); fake_word(m0); fake_word(m1); fake_word(m2); fake_word(m3);',
    "fake_putc('\\n');",
    'fake_puts("S Yield\\n");',
    "seL4_Yield();",
    'fake_puts("S Signal\\n");',
    "seL4_Signal(0x1b);",
    'fake_puts("S Wait\\n");',
    "fake_reply(0x4, 0, 0);",
    "seL4_Wait(0x1c, &sender);",
    "fake_puts(\"I\"); fake_word(sender); fake_putc('\\n');",
    'fake_puts("S Poll\\n");',
    "fake_reply(0x5, 0, 0);",
    "in = seL4_Poll(0x1d, &sender);",
    "fake_puts(\"I\"); fake_word(sender); fake_putc('\\n');",
    'fake_puts("S Debug\\n");',
    "seL4_DebugPutChar('x');",
    "seL4_DebugDumpScheduler();",
    "seL4_DebugHalt();",
    "seL4_DebugSnapshot();",
    "seL4_Word id = seL4_DebugCapIdentify(0x1e);",
    "fake_puts(\"I\"); fake_word(id); fake_putc('\\n');",
    'seL4_DebugNameThread(0x1f, "worker-7");',
  ];
  const z = "0";
  const expected = [
    "S Send",
    `E ${n("Send")} 11 ${info(0x123, 0, 6)} ${mrs(4).join(" ")}`,
    `B ${mrs(6).slice(4).join(" ")}`,
    "S NBSend",
    `E ${n("NBSend")} 12 ${info(0x124, 2, 3)} ${mrs(4).join(" ")}`,
    `C 0 0`,
    "S SendWithMRs",
    `E ${n("Send")} 13 ${info(0x125, 0, 2)} 70 71 ${z} ${z}`,
    "S Call",
    `E ${n("Call")} 14 ${info(0x126, 1, 5)} ${mrs(4).join(" ")}`,
    "C 99",
    "B 5004",
    `I ${info(9, 0, 6)} ${[0, 1, 2, 3, 4, 5].map(reply).join(" ")}`,
    "S CallWithMRs",
    `E ${n("Call")} 15 ${info(0x127, 0, 3)} 80 81 82 ${z}`,
    `I ${info(0, 0, 3)} ${reply(0)} ${reply(1)} ${reply(2)} ${z}`,
    "S Reply",
    `E ${n("Reply")} ${info(0x128, 0, 5)} ${mrs(4).join(" ")}`,
    "B 5004",
    "S ReplyWithMRs",
    `E ${n("Reply")} ${info(0x129, 0, 4)} 90 91 92 93`,
    "S Recv",
    `E ${n("Recv")} 16`,
    `I ${info(0x33, 0, 6)} bad ${[0, 1, 2, 3, 4, 5].map(reply).join(" ")}`,
    "S RecvWithMRs",
    `E ${n("Recv")} 17`,
    `I ${info(0x34, 0, 2)} bae ${reply(0)} ${reply(1)}`,
    "S NBRecv",
    `E ${n("NBRecv")} 18`,
    `I ${info(0, 0, 0)}`,
    "S ReplyRecv",
    `E ${n("ReplyRecv")} 19 ${info(0x12a, 0, 2)} 5000 5001 0 0`,
    `I ${info(0x35, 0, 1)} baf ${reply(0)}`,
    "S ReplyRecvWithMRs",
    `E ${n("ReplyRecv")} 1a ${info(0x12b, 0, 1)} a0 0 0 0`,
    `I ${info(0x36, 0, 4)} bb0 ${[0, 1, 2, 3].map(reply).join(" ")}`,
    "S Yield",
    `E ${n("Yield")}`,
    "S Signal",
    `E ${n("Send")} 1b 0 0 0 0 0`,
    "S Wait",
    `E ${n("Recv")} 1c`,
    "I 4",
    "S Poll",
    `E ${n("NBRecv")} 1d`,
    "I 5",
    "S Debug",
    `E ${n("DebugPutChar")} 78`,
    `E ${n("DebugDumpScheduler")} 0`,
    `E ${n("DebugHalt")}`,
    `E ${n("DebugSnapshot")}`,
    `E ${n("DebugCapIdentify")} 1e`,
    "I c",
    `E ${n("DebugNameThread")} 1f`,
    "N worker-7",
  ];
  return { c: c.map((l) => `    ${l}`), expected };
}

/**
 * The bit-field helpers: CNode guard data, message-info setters, and seL4_getFault reading each
 * fault kind back from message registers.
 */
function bitfieldCases(): Case {
  const guard = fieldPositions(seL4_CNode_CapData);
  const at = (name: string, v: bigint) => v << BigInt(guard.find((f) => f.name === name)!.shift);
  const c = [
    'fake_puts("F CNode_CapData");',
    "fake_word(seL4_CNode_CapData_new(0x2a, 6).words[0]);",
    "fake_putc('\\n');",
    "seL4_MessageInfo_t mi = seL4_MessageInfo_new(0, 0, 0, 0);",
    "mi = seL4_MessageInfo_set_label(mi, 0xabcde);",
    "mi = seL4_MessageInfo_set_capsUnwrapped(mi, 5);",
    "mi = seL4_MessageInfo_set_extraCaps(mi, 3);",
    "mi = seL4_MessageInfo_set_length(mi, 120);",
    'fake_puts("F MessageInfo"); fake_word(mi.words[0]);',
    "fake_word(seL4_MessageInfo_get_label(mi)); fake_word(seL4_MessageInfo_get_capsUnwrapped(mi));",
    "fake_word(seL4_MessageInfo_get_extraCaps(mi)); fake_word(seL4_MessageInfo_get_length(mi));",
    "fake_putc('\\n');",
  ];
  const expected = [
    `F CNode_CapData ${hex(at("guard", 0x2an) | at("guardSize", 6n))}`,
    `F MessageInfo ${hex(infoWord(0xabcde, 3, 120) | (5n << 9n))} abcde 5 3 78`,
  ];
  for (const f of faults.filter((k) => k.label !== 0)) {
    const kind = f.name.replace(/^seL4_Fault_/, "");
    const block = seL4_Fault.blocks.find((b) => b.name === kind)!;
    const fields = fieldPositions(block).filter((p) => p.name !== seL4_Fault.tagName);
    // Field i of the block is MR i; a value must fit its field (FSR is 5 bits).
    const mr = fields.map((p, i) => (p.bits < 64 ? 7n : 0x6000n + BigInt(i)));
    c.push("fake_clear_ipc_buffer();");
    c.push(...mr.map((v, i) => `seL4_SetMR(${i}, 0x${hex(v)});`));
    c.push("{");
    c.push(
      `    seL4_Fault_t f = seL4_getFault(seL4_MessageInfo_new(${f.name}, 0, 0, ${mr.length}));`,
    );
    c.push(`    fake_puts("F ${kind}"); fake_word(seL4_Fault_get_seL4_FaultType(f));`);
    for (const p of fields) c.push(`    fake_word(seL4_Fault_${kind}_get_${p.name}(f));`);
    c.push("    fake_putc('\\n');", "}");
    expected.push(`F ${kind} ${hex(f.label)} ${mr.map(hex).join(" ")}`);
  }
  return { c: c.map((l) => `    ${l}`), expected };
}

export interface MarshalProgram {
  readonly source: string;
  readonly expected: string;
}

/** calls.c and its expected output, for the methods and numbering of `release`. */
export function marshalProgram(release: Release): MarshalProgram {
  const labels = invocationLabels(release).labels;
  const methods = allMethods.filter((m) => inRelease(m, release));
  const cases = methods.map((m, k) => ({ m, k, ...methodCase(m, k, release, labels[m.label]!) }));
  const sys = syscallCases(release);
  const bits = bitfieldCases();
  const source = [
    "/* Generated by tests/sdk/marshal-program.ts for one test run; see marshal.test.ts. */",
    "#include <sel4/sel4.h>",
    "",
    "void fake_puts(const char *s);",
    "void fake_putc(char c);",
    "void fake_word(seL4_Word v);",
    "void fake_reply(seL4_Word badge, seL4_Word label, seL4_Word length);",
    "void fake_clear_ipc_buffer(void);",
    "",
    ...cases.flatMap(({ c, k }) => [`static void method_${k}(void)`, "{", ...c, "}", ""]),
    "static void bitfields(void)",
    "{",
    ...bits.c,
    "}",
    "",
    "static void syscalls(void)",
    "{",
    ...sys.c,
    "}",
    "",
    "void run_calls(void)",
    "{",
    "    bitfields();",
    "    syscalls();",
    ...cases.map(({ k }) => `    method_${k}();`),
    "}",
    "",
  ].join("\n");
  const expected = [
    ...bits.expected,
    ...sys.expected,
    ...cases.flatMap((c) => c.expected),
    "done",
    "",
  ].join("\n");
  return { source, expected };
}
