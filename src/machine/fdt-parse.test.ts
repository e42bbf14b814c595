import { describe, expect, it } from "vitest";
import {
  encodeFdt,
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_NOP,
  FDT_PROP,
  type FdtNode,
} from "./fdt.js";
import { fdtString, fdtStrings, fdtU32s, fdtU64s, parseFdt } from "./fdt-parse.js";

const tree: FdtNode = {
  name: "",
  props: [["compatible", { str: "riscv-virtio" }]],
  children: [
    {
      name: "cpus",
      props: [["#address-cells", { u32: [1] }]],
      children: [{ name: "cpu@0", props: [["reg", { u32: [0] }]], children: [] }],
    },
  ],
};

function blobOf(root: FdtNode): Uint8Array {
  const r = encodeFdt(root);
  if (!r.ok) throw new Error(r.error);
  return r.blob;
}

/** A blob with a hand-written structure block (a list of 32-bit words) and strings block. */
function rawBlob(
  struct: number[],
  strings: string,
  header: Partial<Record<string, number>> = {},
): Uint8Array {
  const strBytes = new TextEncoder().encode(strings);
  const offStruct = 40 + 16;
  const offStrings = offStruct + 4 * struct.length;
  const total = offStrings + strBytes.length;
  const blob = new Uint8Array(total);
  const v = new DataView(blob.buffer);
  const fields = {
    magic: 0xd00dfeed,
    totalsize: total,
    off_dt_struct: offStruct,
    off_dt_strings: offStrings,
    off_mem_rsvmap: 40,
    version: 17,
    last_comp_version: 16,
    boot_cpuid_phys: 0,
    size_dt_strings: strBytes.length,
    size_dt_struct: 4 * struct.length,
    ...header,
  };
  Object.values(fields).forEach((value, i) => {
    v.setUint32(4 * i, value);
  });
  struct.forEach((w, i) => {
    v.setUint32(offStruct + 4 * i, w);
  });
  blob.set(strBytes, offStrings);
  return blob;
}

function expectError(blob: Uint8Array, pattern: RegExp): void {
  const r = parseFdt(blob);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(pattern);
}

describe("parseFdt", () => {
  it("skips FDT_NOP tokens anywhere in the structure block", () => {
    const r = parseFdt(
      rawBlob(
        [
          FDT_NOP,
          FDT_BEGIN_NODE,
          0,
          FDT_NOP,
          FDT_PROP,
          4,
          0,
          7,
          FDT_NOP,
          FDT_END_NODE,
          FDT_NOP,
          FDT_END,
        ],
        "x\0",
      ),
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.fdt.root.props.map(([n]) => n)).toEqual(["x"]);
      expect(fdtU32s((r.fdt.root.props[0]![1] as { bytes: Uint8Array }).bytes)).toEqual([7]);
    }
  });

  it("reads a version 16 blob, whose structure block runs to totalsize", () => {
    const r = parseFdt(
      rawBlob([FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_END], "", { version: 16, size_dt_struct: 0 }),
    );
    expect(r.ok).toBe(true);
  });

  it("rejects malformed headers", () => {
    const good = blobOf(tree);
    expectError(good.subarray(0, 39), /truncated DTB: the header needs 40 bytes/);
    const badMagic = good.slice();
    badMagic[0] = 0xfe;
    expectError(badMagic, /bad magic 0xfe0dfeed/);
    expectError(rawBlob([FDT_END], "", { totalsize: 0xffffffff }), /totalsize is 4294967295 bytes/);
    expectError(rawBlob([FDT_END], "", { version: 3 }), /version 3 is not supported/);
    expectError(rawBlob([FDT_END], "", { last_comp_version: 18 }), /needs a version 18 reader/);
    expectError(rawBlob([FDT_END], "", { off_mem_rsvmap: 44 }), /off_mem_rsvmap/);
    expectError(rawBlob([FDT_END], "", { off_dt_struct: 57 }), /off_dt_struct/);
    expectError(
      rawBlob([FDT_END], "", { size_dt_struct: 0xfffffff0 }),
      /structure block extends past/,
    );
    expectError(
      rawBlob([FDT_END], "", { off_dt_strings: 0xfffffff0 }),
      /strings block extends past/,
    );
  });

  it("rejects malformed structure blocks", () => {
    const cases: Array<[number[], string, RegExp]> = [
      [[FDT_BEGIN_NODE, 0, FDT_END_NODE], "", /ends without FDT_END/],
      [[FDT_END], "", /no root node/],
      [[FDT_PROP, 0, 0, FDT_END], "a\0", /FDT_PROP outside a node/],
      [[FDT_END_NODE, FDT_END], "", /unmatched FDT_END_NODE/],
      [[FDT_BEGIN_NODE, 0, FDT_END], "", /FDT_END inside node/],
      [
        [FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_BEGIN_NODE, 0, FDT_END_NODE, FDT_END],
        "",
        /second root/,
      ],
      [[FDT_BEGIN_NODE, 0, 0x77, FDT_END], "", /unknown token 0x77/],
      [
        [FDT_BEGIN_NODE, 0, FDT_PROP, 0x1000, 0, FDT_END_NODE, FDT_END],
        "a\0",
        /property value .* extends past/,
      ],
      [
        [FDT_BEGIN_NODE, 0, FDT_PROP, 0, 99, FDT_END_NODE, FDT_END],
        "a\0",
        /name offset 99 is outside/,
      ],
      [[FDT_BEGIN_NODE, 0, FDT_PROP, 0, 0, FDT_END_NODE, FDT_END], "abc", /not NUL-terminated/],
      [[FDT_BEGIN_NODE, 0x61616161], "", /node name .* not NUL-terminated/],
      [[FDT_BEGIN_NODE, 0, FDT_PROP], "", /ends inside FDT_PROP/],
      [
        [
          FDT_BEGIN_NODE,
          0,
          FDT_BEGIN_NODE,
          0x61000000,
          FDT_END_NODE,
          FDT_PROP,
          0,
          0,
          FDT_END_NODE,
          FDT_END,
        ],
        "a\0",
        /property after a subnode/,
      ],
    ];
    for (const [struct, strings, pattern] of cases) expectError(rawBlob(struct, strings), pattern);
  });

  it("rejects every truncation of a valid blob", () => {
    const good = blobOf(tree);
    for (let length = 0; length < good.length; length++) {
      expectError(good.subarray(0, length), /truncated DTB/);
    }
  });

  it("never throws on bit-flipped or random input", () => {
    const good = blobOf(tree);
    let x = 0x9e3779b9;
    const next = () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x;
    };
    for (let round = 0; round < 20000; round++) {
      const blob = good.slice();
      const flips = 1 + (next() % 6);
      for (let k = 0; k < flips; k++) {
        const at = next() % blob.length;
        blob[at] = blob[at]! ^ (1 << (next() % 8));
      }
      expect(() => parseFdt(blob)).not.toThrow();
    }
    for (let round = 0; round < 2000; round++) {
      const blob = new Uint8Array(40 + (next() % 200));
      for (let i = 0; i < blob.length; i++) blob[i] = next() & 0xff;
      new DataView(blob.buffer).setUint32(0, 0xd00dfeed);
      expect(() => parseFdt(blob)).not.toThrow();
    }
  });
});

describe("value decoders", () => {
  const b = (...xs: number[]) => new Uint8Array(xs);
  it("decode cells and reject wrong lengths", () => {
    expect(fdtU32s(b(0, 0, 0, 1, 0xff, 0, 0, 0))).toEqual([1, 0xff000000]);
    expect(fdtU32s(b(0, 0, 1))).toBeUndefined();
    expect(fdtU64s(b(0, 0, 0, 1, 0, 0, 0, 2))).toEqual([0x1_0000_0002n]);
    expect(fdtU64s(b(0, 0, 0, 1))).toBeUndefined();
  });
  it("decode strings and reject unterminated ones", () => {
    expect(fdtString(b(0x61, 0))).toBe("a");
    expect(fdtString(b(0x61, 0, 0x62, 0))).toBeUndefined();
    expect(fdtString(b(0x61))).toBeUndefined();
    expect(fdtStrings(b(0x61, 0, 0x62, 0))).toEqual(["a", "b"]);
    expect(fdtStrings(b())).toBeUndefined();
  });
});
