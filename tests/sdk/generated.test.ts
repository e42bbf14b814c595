// The generated files (src/kernel/api/generated/abi.ts, sdk/include/sel4/) must be what
// scripts/gen-interface.ts makes from interface/ today: CI fails on a stale generated file.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./toolchain.js";

describe("generated ABI files", () => {
  it("are up to date (gen-interface --check)", () => {
    const tsx = join(ROOT, "node_modules", ".bin", "tsx");
    const r = spawnSync(tsx, ["scripts/gen-interface.ts", "--check"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
