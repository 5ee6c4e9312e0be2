import { isAsmError } from "@asm/contract";
import { capabilityReport, providerReport } from "@asm/core-lane";
import { describe, expect, it } from "vitest";
import { loadLanes } from "./lanes.js";
import { findProvider, loadProviders } from "./providers.js";

// The discovery reports over the providers and SDK lanes `asm` really registers, probed here.
describe("capabilityReport / providerReport", () => {
  it("reports all four providers in order, each lane with what its probe found", async () => {
    const reports = await capabilityReport(loadProviders(), loadLanes());
    expect(reports.map((report) => report.provider)).toEqual(["claude", "codex", "gemini", "amp"]);
    for (const report of reports) {
      expect(report.nativeCapabilities.filter((capability) => report.commonCapabilities.includes(capability))).toEqual([]);
      expect(report.compositionMode).toBe(report.sdkLane?.available === true ? "native_extension" : "common_surface_only");
    }
    // codex app-server needs only the codex binary: its lane is always there, with callback approvals.
    const codex = reports[1];
    expect(codex?.sdkLane).toMatchObject({ runtime: "codex app-server", available: true, status: "available", features: { approvals: "callback", interrupt: "graceful" } });
    // The published Amp SDK runs a bin path that no longer exists: reported broken, with a hint.
    const amp = reports[3];
    expect(amp?.compositionMode).toBe("common_surface_only");
    expect(amp?.nativeCapabilities).toEqual([]);
    expect(amp?.sdkLane?.status).toMatch(/broken|not_installed/);
    expect(amp?.sdkLane?.reason).toBeTruthy();
  });

  it("a provider without a registered lane has the common surface only and loads nothing", async () => {
    const report = await providerReport(findProvider("gemini"), []);
    expect(report).toMatchObject({ provider: "gemini", compositionMode: "common_surface_only", nativeCapabilities: [], sdkLane: null });
    expect(report.commonCapabilities.length).toBeGreaterThan(0);
  });

  it("refuses a lane for a provider that is not there", async () => {
    const error = await capabilityReport([findProvider("claude")], loadLanes()).catch((caught: unknown) => caught);
    expect(isAsmError(error) && error.code === "config_invalid").toBe(true);
  });
});
