import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["src/machine/cpu/core/**"],
    testTimeout: 60_000,
  },
});
