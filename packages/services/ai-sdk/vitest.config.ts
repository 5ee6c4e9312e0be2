import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@asm/source"] },
  ssr: { resolve: { conditions: ["@asm/source"] } },
  test: { name: "ai-sdk", include: ["src/**/*.test.ts"], testTimeout: 20_000 },
});
