import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FdtNode } from "./fdt.js";
import {
  type Fdt,
  fdtFindNode,
  fdtProp,
  fdtString,
  fdtStrings,
  fdtU32s,
  fdtU64s,
  parseFdt,
} from "./fdt-parse.js";
import { buildVirtDtb, VIRT_MMU_TYPE, VIRT_RISCV_ISA } from "./virt-dtb.js";

const hasDtc = spawnSync("dtc", ["--version"]).status === 0;
const hasQemu = spawnSync("qemu-system-riscv64", ["--version"]).status === 0;

const MiB = 1n << 20n;
const GiB = 1n << 30n;

function build(config: Parameters<typeof buildVirtDtb>[0]): { blob: Uint8Array; fdt: Fdt } {
  const built = buildVirtDtb(config);
  if (!built.ok) throw new Error(built.error);
  const parsed = parseFdt(built.dtb);
  if (!parsed.ok) throw new Error(parsed.error);
  return { blob: built.dtb, fdt: parsed.fdt };
}

function at(root: FdtNode, path: string): FdtNode {
  const node = fdtFindNode(root, path);
  if (node === undefined) throw new Error(`no node ${path}`);
  return node;
}

function u32s(root: FdtNode, path: string, name: string): number[] | undefined {
  const bytes = fdtProp(at(root, path), name);
  return bytes && fdtU32s(bytes);
}

function str(root: FdtNode, path: string, name: string): string | undefined {
  const bytes = fdtProp(at(root, path), name);
  return bytes && fdtString(bytes);
}

function regOf(root: FdtNode, path: string): bigint[] | undefined {
  const bytes = fdtProp(at(root, path), "reg");
  return bytes && fdtU64s(bytes);
}

describe("buildVirtDtb", () => {
  it("describes a 128 MiB, 1-hart machine", () => {
    const { fdt } = build({ ramSize: 128n * MiB, harts: 1 });
    const root = fdt.root;
    expect(fdt.version).toBe(17);
    expect(fdt.reservations).toEqual([]);
    expect(u32s(root, "/", "#address-cells")).toEqual([2]);
    expect(u32s(root, "/", "#size-cells")).toEqual([2]);
    expect(str(root, "/", "compatible")).toBe("riscv-virtio");
    expect(str(root, "/", "model")).toBe("riscv-virtio,qemu");

    expect(str(root, "/chosen", "stdout-path")).toBe("/soc/serial@10000000");
    expect(fdtProp(at(root, "/chosen"), "bootargs")).toBeUndefined();

    expect(str(root, "/memory@80000000", "device_type")).toBe("memory");
    expect(regOf(root, "/memory@80000000")).toEqual([0x80000000n, 0x8000000n]);

    expect(u32s(root, "/cpus", "timebase-frequency")).toEqual([10_000_000]);
    expect(u32s(root, "/cpus", "#address-cells")).toEqual([1]);
    expect(u32s(root, "/cpus", "#size-cells")).toEqual([0]);
    expect(at(root, "/cpus").children.map((c) => c.name)).toEqual(["cpu@0"]);
    expect(u32s(root, "/cpus/cpu@0", "reg")).toEqual([0]);
    expect(str(root, "/cpus/cpu@0", "riscv,isa")).toBe(VIRT_RISCV_ISA);
    expect(str(root, "/cpus/cpu@0", "mmu-type")).toBe("riscv,sv39");
    expect(str(root, "/cpus/cpu@0", "status")).toBe("okay");
    expect(str(root, "/cpus/cpu@0", "device_type")).toBe("cpu");
    const intc = "/cpus/cpu@0/interrupt-controller";
    expect(str(root, intc, "compatible")).toBe("riscv,cpu-intc");
    expect(u32s(root, intc, "#interrupt-cells")).toEqual([1]);
    expect(fdtProp(at(root, intc), "interrupt-controller")?.length).toBe(0);

    const intcPhandle = u32s(root, intc, "phandle")![0]!;
    const plicPhandle = u32s(root, "/soc/plic@c000000", "phandle")![0]!;
    expect(str(root, "/soc", "compatible")).toBe("simple-bus");
    expect(fdtProp(at(root, "/soc"), "ranges")?.length).toBe(0);
    expect(at(root, "/soc").children.map((c) => c.name)).toEqual([
      "test@100000",
      "rtc@101000",
      "clint@2000000",
      "plic@c000000",
      "serial@10000000",
      ...Array.from({ length: 8 }, (_, n) => `virtio_mmio@1000${n + 1}000`),
    ]);
    expect(regOf(root, "/soc/plic@c000000")).toEqual([0xc000000n, 0x600000n]);
    expect(u32s(root, "/soc/plic@c000000", "interrupts-extended")).toEqual([
      intcPhandle,
      11,
      intcPhandle,
      9,
    ]);
    expect(u32s(root, "/soc/plic@c000000", "riscv,ndev")).toEqual([96]);
    expect(regOf(root, "/soc/clint@2000000")).toEqual([0x2000000n, 0x10000n]);
    expect(u32s(root, "/soc/clint@2000000", "interrupts-extended")).toEqual([
      intcPhandle,
      3,
      intcPhandle,
      7,
    ]);
    expect(regOf(root, "/soc/serial@10000000")).toEqual([0x10000000n, 0x100n]);
    expect(u32s(root, "/soc/serial@10000000", "interrupts")).toEqual([10]);
    expect(u32s(root, "/soc/serial@10000000", "interrupt-parent")).toEqual([plicPhandle]);
    expect(str(root, "/soc/serial@10000000", "compatible")).toBe("ns16550a");
    expect(regOf(root, "/soc/rtc@101000")).toEqual([0x101000n, 0x1000n]);
    expect(u32s(root, "/soc/rtc@101000", "interrupts")).toEqual([11]);
    expect(regOf(root, "/soc/test@100000")).toEqual([0x100000n, 0x1000n]);
    expect(fdtStrings(fdtProp(at(root, "/soc/test@100000"), "compatible")!)).toEqual([
      "sifive,test1",
      "sifive,test0",
      "syscon",
    ]);
    for (let n = 0; n < 8; n++) {
      const path = `/soc/virtio_mmio@1000${n + 1}000`;
      expect(regOf(root, path)).toEqual([BigInt(0x10001000 + n * 0x1000), 0x1000n]);
      expect(u32s(root, path, "interrupts")).toEqual([n + 1]);
      expect(str(root, path, "compatible")).toBe("virtio,mmio");
    }
    const testPhandle = u32s(root, "/soc/test@100000", "phandle")![0]!;
    expect(u32s(root, "/poweroff", "regmap")).toEqual([testPhandle]);
    expect(u32s(root, "/poweroff", "value")).toEqual([0x5555]);
    expect(u32s(root, "/reboot", "value")).toEqual([0x7777]);
  });

  it("describes a 3 GiB, 4-hart machine with bootargs", () => {
    const { fdt } = build({ ramSize: 3n * GiB, harts: 4, bootargs: "console=ttyS0" });
    const root = fdt.root;
    expect(regOf(root, "/memory@80000000")).toEqual([0x80000000n, 0xc0000000n]);
    expect(str(root, "/chosen", "bootargs")).toBe("console=ttyS0");
    expect(at(root, "/cpus").children.map((c) => c.name)).toEqual([
      "cpu@0",
      "cpu@1",
      "cpu@2",
      "cpu@3",
    ]);
    const intc = [0, 1, 2, 3].map(
      (h) => u32s(root, `/cpus/cpu@${h}/interrupt-controller`, "phandle")![0]!,
    );
    expect(u32s(root, "/soc/plic@c000000", "interrupts-extended")).toEqual(
      intc.flatMap((p) => [p, 11, p, 9]),
    );
    expect(u32s(root, "/soc/clint@2000000", "interrupts-extended")).toEqual(
      intc.flatMap((p) => [p, 3, p, 7]),
    );
    // Phandles are distinct and nonzero.
    const phandles: number[] = [];
    const walk = (node: FdtNode) => {
      const p = fdtProp(node, "phandle");
      if (p) phandles.push(fdtU32s(p)![0]!);
      node.children.forEach(walk);
    };
    walk(root);
    expect(phandles).toHaveLength(4 * 2 + 2);
    expect(new Set(phandles).size).toBe(phandles.length);
    expect(phandles).not.toContain(0);
  });

  it("describes RAM above 4 GiB with a 64-bit size", () => {
    const { fdt } = build({ ramSize: 16n * GiB, harts: 1 });
    expect(regOf(fdt.root, "/memory@80000000")).toEqual([0x80000000n, 0x400000000n]);
  });

  it("reports bad configurations as values", () => {
    const bad = [
      { ramSize: 0n, harts: 1 },
      { ramSize: -1n, harts: 1 },
      { ramSize: 1n << 64n, harts: 1 },
      { ramSize: MiB, harts: 0 },
      { ramSize: MiB, harts: 1.5 },
      { ramSize: MiB, harts: 513 },
      { ramSize: MiB, harts: Number.NaN },
      { ramSize: MiB, harts: 1, bootargs: "a\0b" },
    ];
    for (const config of bad) {
      const r = buildVirtDtb(config);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^[^\n]+$/);
    }
    expect(buildVirtDtb({ ramSize: MiB, harts: 512 }).ok).toBe(true);
  });

  // QEMU's DTB itself draws this warning: a riscv,cpu-intc has no #address-cells, which only
  // an interrupt-map would need.
  const KNOWN_DTC_WARNING =
    /Warning \(interrupt_provider\): \/cpus\/cpu@\d+\/interrupt-controller: Missing #address-cells in interrupt provider/;

  it.skipIf(!hasDtc)("passes dtc's checks (apart from the one QEMU's DTB also fails)", () => {
    const dir = mkdtempSync(join(tmpdir(), "mica-virt-dtb-"));
    try {
      const file = join(dir, "mica.dtb");
      writeFileSync(file, build({ ramSize: 128n * MiB, harts: 2, bootargs: "console=ttyS0" }).blob);
      const dts = spawnSync("dtc", ["-I", "dtb", "-O", "dts", file], { encoding: "utf8" });
      expect(dts.status).toBe(0);
      const warnings = dts.stderr.split("\n").filter((l) => l !== "" && !KNOWN_DTC_WARNING.test(l));
      expect(warnings).toEqual([]);
      expect(dts.stdout).toContain('stdout-path = "/soc/serial@10000000";');
      expect(dts.stdout).toContain("reg = <0x00 0x80000000 0x00 0x8000000>;");
      expect(dts.stdout).toContain('riscv,isa = "rv64imafdc_zicntr_zicsr_zifencei_sstc";');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Compares the nodes mica emits with QEMU's own DTB, property by property. The expected
  // differences are the ones listed in virt-dtb.ts's header.
  describe.skipIf(!hasQemu)("against qemu-system-riscv64 -machine virt,dumpdtb", () => {
    function qemuDtb(memory: string, smp: number): Fdt {
      const dir = mkdtempSync(join(tmpdir(), "mica-qemu-dtb-"));
      try {
        const file = join(dir, "virt.dtb");
        const run = spawnSync(
          "qemu-system-riscv64",
          ["-machine", `virt,dumpdtb=${file}`, "-m", memory, "-smp", `${smp}`, "-display", "none"],
          { encoding: "utf8", timeout: 30_000 },
        );
        expect(run.status, run.stderr).toBe(0);
        const parsed = parseFdt(new Uint8Array(readFileSync(file)));
        if (!parsed.ok) throw new Error(parsed.error);
        return parsed.fdt;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    function differences(ours: FdtNode, theirs: FdtNode, path: string, out: string[]): string[] {
      for (const [name] of ours.props) {
        const a = fdtProp(ours, name)!;
        const b = fdtProp(theirs, name);
        if (b === undefined) out.push(`${path}:${name} not in QEMU`);
        else if (Buffer.compare(a, b) !== 0) out.push(`${path}:${name} differs`);
      }
      for (const [name] of theirs.props) {
        if (fdtProp(ours, name) === undefined) out.push(`${path}:${name} omitted`);
      }
      const join = (child: string) => (path === "/" ? `/${child}` : `${path}/${child}`);
      for (const child of ours.children) {
        const match = theirs.children.find((c) => c.name === child.name);
        if (match === undefined) out.push(`${join(child.name)} not in QEMU`);
        else differences(child, match, join(child.name), out);
      }
      for (const child of theirs.children) {
        if (!ours.children.some((c) => c.name === child.name))
          out.push(`${join(child.name)} omitted`);
      }
      return out;
    }

    const expected = (harts: number) =>
      [
        "/pmu omitted",
        "/fw-cfg@10100000 omitted",
        "/flash@20000000 omitted",
        "/platform-bus@4000000 omitted",
        "/chosen:rng-seed omitted",
        "/cpus/cpu-map omitted",
        "/soc/pci@30000000 omitted",
        ...Array.from({ length: harts }, (_, h) => [
          `/cpus/cpu@${h}:riscv,isa differs`,
          `/cpus/cpu@${h}:mmu-type differs`,
        ]).flat(),
      ].sort();

    it("matches QEMU's 128 MiB, 1-hart tree except for the documented differences", () => {
      const qemu = qemuDtb("128M", 1);
      const ours = build({ ramSize: 128n * MiB, harts: 1 }).fdt;
      expect(differences(ours.root, qemu.root, "/", []).sort()).toEqual(expected(1));
      expect(qemu.version).toBe(ours.version);
      expect(qemu.bootCpuidPhys).toBe(ours.bootCpuidPhys);
      expect(str(qemu.root, "/cpus/cpu@0", "mmu-type")).not.toBe(VIRT_MMU_TYPE);
    });

    it("matches QEMU's 3 GiB, 2-hart tree except for the documented differences", () => {
      const qemu = qemuDtb("3G", 2);
      const ours = build({ ramSize: 3n * GiB, harts: 2 }).fdt;
      expect(differences(ours.root, qemu.root, "/", []).sort()).toEqual(expected(2));
    });
  });
});
