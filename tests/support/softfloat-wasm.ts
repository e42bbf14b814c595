// Compiles the core's softfloat/FPU test entry (src/machine/cpu/core/
// softfloat-testentry.ts) to wasm and instantiates it, for the unit tests
// of the F/D arithmetic. Each test file names its own output file, since
// vitest runs files in parallel.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function instantiateSoftfloatTestEntry(outFile: string): WebAssembly.Exports {
  execFileSync(
    process.execPath,
    [
      "node_modules/assemblyscript/bin/asc.js",
      "src/machine/cpu/core/softfloat-testentry.ts",
      "--runtime",
      "stub",
      "--noAssert",
      "-O3",
      "--memoryBase",
      "1048576",
      "--outFile",
      outFile,
    ],
    { cwd: ROOT, stdio: "pipe" },
  );
  const mod = new WebAssembly.Module(readFileSync(ROOT + outFile));
  const inst = new WebAssembly.Instance(mod, {
    env: {
      abort: () => {
        throw new Error("wasm abort");
      },
    },
  });
  return inst.exports;
}
