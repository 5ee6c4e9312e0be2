import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@asm/source"] },
  ssr: { resolve: { conditions: ["@asm/source"] } },
  test: { name: "host-tools", include: ["src/**/*.test.ts"] },
});
