import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@asm/source"] },
  ssr: { resolve: { conditions: ["@asm/source"] } },
  test: { name: "persistence", include: ["src/**/*.test.ts", "test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000, globalSetup: ["test/build-writer.ts"] },
});
