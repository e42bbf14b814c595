import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  encodeFdt,
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_MAGIC,
  FDT_PROP,
  type FdtNode,
  fdtValueBytes,
} from "./fdt.js";
import {
  fdtFindNode,
  fdtProp,
  fdtString,
  fdtStrings,
  fdtU32s,
  fdtU64s,
  parseFdt,
} from "./fdt-parse.js";

const hasDtc = spawnSync("dtc", ["--version"]).status === 0;

function node(name: string, props: FdtNode["props"] = [], children: FdtNode[] = []): FdtNode {
  return { name, props, children };
}

const sample: FdtNode = node(
  "",
  [
    ["#address-cells", { u32: [2] }],
    ["#size-cells", { u32: [2] }],
    ["compatible", { str: "riscv-virtio" }],
  ],
  [
    node("chosen", [["bootargs", { str: "console=ttyS0 earlycon" }]]),
    node("memory@80000000", [
      ["device_type", { str: "memory" }],
      ["reg", { u64: [0x80000000n, 0x8000000n] }],
    ]),
    node(
      "soc",
      [
        ["#address-cells", { u32: [2] }],
        ["#size-cells", { u32: [2] }],
        ["compatible", { str: "simple-bus" }],
        ["ranges", { empty: true }],
      ],
      [
        node("test@100000", [
          ["compatible", { strs: ["sifive,test1", "sifive,test0", "syscon"] }],
          ["reg", { u64: [0x100000n, 0x1000n] }],
          ["blob", { bytes: new Uint8Array([1, 2, 3]) }],
        ]),
      ],
    ),
  ],
);

function encodeOk(root: FdtNode, options?: Parameters<typeof encodeFdt>[1]): Uint8Array {
  const r = encodeFdt(root, options);
  if (!r.ok) throw new Error(r.error);
  return r.blob;
}

function be32(blob: Uint8Array, at: number): number {
  return new DataView(blob.buffer, blob.byteOffset).getUint32(at);
}

describe("fdtValueBytes", () => {
  it("encodes each value kind big-endian, strings NUL-terminated", () => {
    const bytes = (v: Parameters<typeof fdtValueBytes>[0]) => {
      const r = fdtValueBytes(v);
      return r.ok ? [...r.bytes] : r.error;
    };
    expect(bytes({ u32: [1, 0xdeadbeef] })).toEqual([0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef]);
    expect(bytes({ u64: [0x1_0000_0002n] })).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    expect(bytes({ str: "ab" })).toEqual([0x61, 0x62, 0]);
    expect(bytes({ strs: ["a", "", "b"] })).toEqual([0x61, 0, 0, 0x62, 0]);
    expect(bytes({ bytes: new Uint8Array([7]) })).toEqual([7]);
    expect(bytes({ empty: true })).toEqual([]);
  });

  it("rejects values that do not fit their encoding", () => {
    for (const v of [
      { u32: [-1] },
      { u32: [2 ** 32] },
      { u32: [1.5] },
      { u32: [Number.NaN] },
      { u64: [-1n] },
      { u64: [1n << 64n] },
      { str: "a\0b" },
      { strs: ["ok", "no\0"] },
    ]) {
      expect(fdtValueBytes(v).ok).toBe(false);
    }
  });
});

describe("encodeFdt", () => {
  it("writes a v17 header and blocks in spec order and alignment", () => {
    const blob = encodeOk(sample);
    expect(be32(blob, 0)).toBe(FDT_MAGIC);
    const [
      totalsize,
      offStruct,
      offStrings,
      offRsv,
      version,
      lastComp,
      boot,
      sizeStrings,
      sizeStruct,
    ] = [4, 8, 12, 16, 20, 24, 28, 32, 36].map((at) => be32(blob, at));
    expect(totalsize).toBe(blob.length);
    expect(offRsv).toBe(40);
    expect(offRsv! % 8).toBe(0);
    expect(offStruct).toBe(40 + 16); // just the terminating reservation entry
    expect(offStruct! % 4).toBe(0);
    expect(offStrings).toBe(offStruct! + sizeStruct!);
    expect(offStrings! + sizeStrings!).toBe(totalsize);
    expect(version).toBe(17);
    expect(lastComp).toBe(16);
    expect(boot).toBe(0);
    // Structure block: begins with the root node and ends with FDT_END_NODE, FDT_END.
    expect(be32(blob, offStruct!)).toBe(FDT_BEGIN_NODE);
    expect(be32(blob, offStruct! + 4)).toBe(0); // "" padded to 4 bytes
    expect(be32(blob, offStruct! + 8)).toBe(FDT_PROP);
    expect(be32(blob, offStrings! - 8)).toBe(FDT_END_NODE);
    expect(be32(blob, offStrings! - 4)).toBe(FDT_END);
  });

  it("stores each property name once in the strings block", () => {
    const blob = encodeOk(sample);
    const offStrings = be32(blob, 12);
    const strings = new TextDecoder().decode(blob.subarray(offStrings)).split("\0");
    expect(strings.at(-1)).toBe(""); // ends with NUL
    const names = strings.slice(0, -1);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      "#address-cells",
      "#size-cells",
      "compatible",
      "bootargs",
      "device_type",
      "reg",
      "ranges",
      "blob",
    ]);
  });

  it("produces exactly the bytes the spec describes for a tiny tree", () => {
    const blob = encodeOk(node("", [["a", { u32: [5] }]], [node("n@1", [["a", { empty: true }]])]));
    const words = (from: number, to: number) =>
      Array.from({ length: (to - from) / 4 }, (_, i) => be32(blob, from + 4 * i));
    expect(words(56, blob.length - 2)).toEqual([
      FDT_BEGIN_NODE,
      0, // ""
      FDT_PROP,
      4, // len
      0, // nameoff of "a"
      5,
      FDT_BEGIN_NODE,
      0x6e403100, // "n@1\0"
      FDT_PROP,
      0,
      0,
      FDT_END_NODE,
      FDT_END_NODE,
      FDT_END,
    ]);
    expect([...blob.subarray(-2)]).toEqual([0x61, 0]);
    expect(blob.length).toBe(56 + 14 * 4 + 2);
  });

  it("pads odd-length values and names to 4 bytes with zeros", () => {
    const blob = encodeOk(node("", [["s", { str: "abcde" }]], [node("ab")]));
    const struct = blob.subarray(be32(blob, 8), be32(blob, 12));
    // prop: token len nameoff "abcde\0" + 2 pad
    expect([...struct.subarray(8, 28)]).toEqual([
      0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 0, 0x61, 0x62, 0x63, 0x64, 0x65, 0, 0, 0,
    ]);
    // node: token "ab\0" + 1 pad
    expect([...struct.subarray(28, 36)]).toEqual([0, 0, 0, 1, 0x61, 0x62, 0, 0]);
  });

  it("round-trips through parseFdt, including reservations and boot_cpuid_phys", () => {
    const reservations = [{ address: 0x80000000n, size: 0x200000n }];
    const blob = encodeOk(sample, { reservations, bootCpuidPhys: 3 });
    const parsed = parseFdt(blob);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.fdt.version).toBe(17);
    expect(parsed.fdt.bootCpuidPhys).toBe(3);
    expect(parsed.fdt.reservations).toEqual(reservations);
    // Re-encoding the parsed tree (all values as { bytes }) gives the same blob.
    expect(encodeOk(parsed.fdt.root, { reservations, bootCpuidPhys: 3 })).toEqual(blob);

    const root = parsed.fdt.root;
    expect(root.children.map((c) => c.name)).toEqual(["chosen", "memory@80000000", "soc"]);
    expect(fdtString(fdtProp(fdtFindNode(root, "/chosen")!, "bootargs")!)).toBe(
      "console=ttyS0 earlycon",
    );
    const mem = fdtFindNode(root, "/memory@80000000")!;
    expect(fdtU64s(fdtProp(mem, "reg")!)).toEqual([0x80000000n, 0x8000000n]);
    expect(fdtU32s(fdtProp(mem, "reg")!)).toEqual([0, 0x80000000, 0, 0x8000000]);
    const test = fdtFindNode(root, "/soc/test@100000")!;
    expect(fdtStrings(fdtProp(test, "compatible")!)).toEqual([
      "sifive,test1",
      "sifive,test0",
      "syscon",
    ]);
    expect([...fdtProp(test, "blob")!]).toEqual([1, 2, 3]);
    expect(fdtProp(fdtFindNode(root, "/soc")!, "ranges")!.length).toBe(0);
    expect(fdtFindNode(root, "/soc/test")).toBeUndefined();
    expect(fdtFindNode(root, "/")).toBe(root);
  });

  it("reports bad trees as values", () => {
    const cases: Array<[FdtNode, RegExp]> = [
      [node("root"), /root node's name must be ""/],
      [node("", [], [node("")]), /invalid node name ""/],
      [node("", [], [node("a/b")]), /invalid node name/],
      [node("", [], [node("x".repeat(32))]), /invalid node name/],
      [node("", [], [node("cpu@0"), node("cpu@0")]), /node \/cpu@0: duplicate node name/],
      [node("", [["bad name", { empty: true }]]), /invalid property name "bad name"/],
      [node("", [["p".repeat(32), { empty: true }]]), /invalid property name/],
      [
        node(
          "",
          [],
          [
            node("a", [
              ["x", { u32: [1] }],
              ["x", { u32: [2] }],
            ]),
          ],
        ),
        /node \/a: duplicate property "x"/,
      ],
      [
        node("", [], [node("a", [], [node("b", [["reg", { u32: [-4] }]])])]),
        /node \/a\/b: property reg: cell 0/,
      ],
      [node("", [["s", { str: "\0" }]]), /NUL/],
    ];
    for (const [tree, pattern] of cases) {
      const r = encodeFdt(tree);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(pattern);
    }
    expect(encodeFdt(node(""), { bootCpuidPhys: -1 }).ok).toBe(false);
    expect(encodeFdt(node(""), { reservations: [{ address: -1n, size: 0n }] }).ok).toBe(false);
  });

  it("reports a cyclic tree instead of overflowing the stack", () => {
    const children: FdtNode[] = [];
    const loop: FdtNode = { name: "loop", props: [], children };
    children.push(loop);
    const r = encodeFdt(node("", [], [loop]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/deeper than/);
  });
});

describe("encodeFdt against dtc", () => {
  it.skipIf(!hasDtc)("dtc decompiles our blob to the expected source, without warnings", () => {
    const dir = mkdtempSync(join(tmpdir(), "mica-fdt-"));
    try {
      const file = join(dir, "sample.dtb");
      writeFileSync(file, encodeOk(sample));
      const dts = spawnSync("dtc", ["-I", "dtb", "-O", "dts", file], { encoding: "utf8" });
      expect(dts.status).toBe(0);
      expect(dts.stderr).toBe("");
      const text = dts.stdout;
      expect(text).toContain("/dts-v1/;");
      expect(text).toContain("#address-cells = <0x02>;");
      expect(text).toContain('bootargs = "console=ttyS0 earlycon";');
      expect(text).toContain("memory@80000000 {");
      expect(text).toContain("reg = <0x00 0x80000000 0x00 0x8000000>;");
      expect(text).toContain("ranges;");
      expect(text).toContain('compatible = "sifive,test1\\0sifive,test0\\0syscon";');
      expect(text).toContain("blob = [01 02 03];");

      // dtc's own re-encoding of our blob describes the same tree.
      const again = join(dir, "again.dtb");
      const dtb = spawnSync("dtc", ["-I", "dtb", "-O", "dtb", "-o", again, file]);
      expect(dtb.status).toBe(0);
      const theirs = parseFdt(new Uint8Array(readFileSync(again)));
      const ours = parseFdt(encodeOk(sample));
      expect(theirs.ok && ours.ok).toBe(true);
      if (theirs.ok && ours.ok) expect(theirs.fdt.root).toEqual(ours.fdt.root);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
