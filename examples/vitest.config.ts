import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@asm/source"] },
  ssr: { resolve: { conditions: ["@asm/source"] } },
  test: { name: "examples", include: ["test/**/*.test.ts"], testTimeout: 90_000, hookTimeout: 30_000 },
});
