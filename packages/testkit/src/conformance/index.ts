export { describeProfileConformance } from "./describe-profile-conformance.js";
export type { ConformanceTranscript, ProfileConformanceOptions } from "./conformance-types.js";
export { fromTranscript } from "./from-transcript.js";
