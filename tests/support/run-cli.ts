// Runs mica's built CLI (dist/cli/main.js) as a user would, for end-to-end tests.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: "latin1",
    input: input ?? "",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `mica run --check ARGS`: every end-to-end kernel test asserts the kernel's invariants throughout. */
export function runKernel(args: string[], input?: string): CliResult {
  return runCli(["run", "--check", ...args], input);
}
