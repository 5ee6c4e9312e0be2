import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "check-layers",
    include: ["src/**/*.test.mjs", "test/**/*.test.mjs"],
    testTimeout: 30_000,
  },
});
