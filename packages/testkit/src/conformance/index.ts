export { describeProfileConformance } from "./describe-profile-conformance.js";
export type { ConformanceTranscript, ProfileConformanceOptions } from "./conformance-types.js";
export { fromTranscript } from "./from-transcript.js";
export { describeEventStoreConformance } from "./describe-event-store-conformance.js";
export type { EventStoreConformanceOptions } from "./describe-event-store-conformance.js";
export { describeFieldCoverage } from "./describe-field-coverage.js";
export type { FieldCoverageOptions } from "./describe-field-coverage.js";
