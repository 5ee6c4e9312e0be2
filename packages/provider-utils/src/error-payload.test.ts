import { describe, expect, it } from "vitest";
import { terminalErrorPayload } from "./error-payload.js";

describe("terminalErrorPayload", () => {
  it("takes domain and retryability from the code table", () => {
    expect(terminalErrorPayload("rate_limit", "slow down", { exitCode: 1 })).toEqual({
      message: "slow down",
      code: "rate_limit",
      severity: "error",
      domain: "provider",
      retryable: true,
      exitCode: 1,
    });
  });
});
