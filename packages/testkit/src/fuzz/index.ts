// Hostile-input fuzzing for provider parsers (needs fast-check, an optional peer dependency).
export { fuzzParser, fuzzRuns } from "./fuzz-parser.js";
export type { FuzzParserOptions, FuzzReport } from "./fuzz-parser.js";
export { hostileValue, hugeValue, mutatedLine, nestedJson, nonObjectLine, regressionLines, typedHostileLine, HOSTILE_DEPTH, PROTO_KEYS } from "./hostile-values.js";
