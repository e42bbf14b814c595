// Every file the generator writes, as (path from the repository root, text). scripts/gen-interface.ts
// writes them or, with --check, compares them.

import { basicHeaders } from "./c-basics.js";
import { clientHeaders } from "./c-client.js";
import { otherHeaders } from "./c-files.js";
import { syscallHeaders } from "./c-syscalls.js";
import { typeHeaders } from "./c-types.js";
import { abiTs } from "./ts-abi.js";

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
  /** TypeScript output, to be put through the repository's formatter before comparing. */
  readonly format?: "ts";
}

export const SDK_INCLUDE = "sdk/include";
export const ABI_TS = "src/kernel/api/generated/abi.ts";

export function generatedFiles(): GeneratedFile[] {
  const headers = [
    ...basicHeaders(),
    ...typeHeaders(),
    ...syscallHeaders(),
    ...clientHeaders(),
    ...otherHeaders(),
  ];
  return [
    { path: ABI_TS, text: abiTs(), format: "ts" },
    ...headers.map((h) => ({ path: `${SDK_INCLUDE}/${h.path}`, text: h.text })),
  ];
}
