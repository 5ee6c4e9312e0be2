import { defineConfig } from "vitest/config";

// Every workspace package with a vitest.config.ts is its own project.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.{ts,mjs}", "packages/*/*/vitest.config.{ts,mjs}", "examples/vitest.config.ts"],
  },
});
