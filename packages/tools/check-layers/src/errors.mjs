/**
 * A problem that stops the check before any rule runs: an unreadable workspace,
 * a malformed manifest, or an invalid `layers.config.json`. Distinct from a
 * violation, which is a finding about the code and is reported, not thrown.
 */
export class LayerCheckError extends Error {
  /**
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message, options) {
    super(message, options);
    this.name = "LayerCheckError";
  }
}
