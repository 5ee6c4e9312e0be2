// What every provider package builds on. Rank 1: it depends on the contract and zod only.
export { isRecord, nonEmptyString, finiteNumber, nonNegativeInt, tokenCount, addTokenCounts, stringList, stringOf } from "./guards.js";
export type { JsonObject } from "./guards.js";
export { ownValue, lookup, firstString, firstDefined, firstNumber } from "./own-property.js";
export { BoundedMap, DEFAULT_PARSER_STATE_CAPACITY } from "./bounded-map.js";
export { boundRaw, boundText, DEFAULT_RAW_LIMITS, TRUNCATED_KEY } from "./bounded-raw.js";
export type { RawLimits, RawTruncation, BoundedRaw } from "./bounded-raw.js";
export { commonProviderOptionsSchema, COMMON_PROVIDER_OPTION_KEYS } from "./common-options.js";
export type { CommonProviderOptions } from "./common-options.js";
export {
  OLLAMA_OPTION_KEYS,
  OLLAMA_KNOB_KEYS,
  ollamaKnobsSet,
  requestedOllamaKeys,
  rejectOllamaOptions,
  unsupportedOllamaFeature,
  supportedOllamaFeature,
} from "./ollama-options.js";
export type { OllamaOptionKey, OllamaRefusal } from "./ollama-options.js";
export { perMillionTokens, costOf, findModel, pricingFor, estimateCost } from "./pricing.js";
export type { TokenCounts, PricesPerMillion } from "./pricing.js";
export { errorTableFields, terminalErrorPayload } from "./error-payload.js";
export type { ErrorPayloadExtra } from "./error-payload.js";
export { classifyFailureText, classifyHttpStatus, describeExit, classifyCommonExit, MISSING_CWD_PATTERN } from "./failure-classification.js";
export type { ProcessExit, CommonExitOptions, CommonExitFailure } from "./failure-classification.js";
export { summarizeStderr } from "./stderr-summary.js";
export type { StderrSummaryOptions } from "./stderr-summary.js";
export { findVersion } from "./version.js";
export { createParserEvents } from "./parser-events.js";
export type { ParserEvents, ParserEventsOptions } from "./parser-events.js";
export { createUnknownTypeWarnings, MAX_DRIFT_KEYS, MAX_TYPE_NAME_CHARS } from "./schema-drift.js";
export type { UnknownTypeWarnings } from "./schema-drift.js";
export { createJsonLineParser, MISSING_TYPE } from "./json-line-parser.js";
export type { JsonLineParserSpec, LineHandler } from "./json-line-parser.js";
export { JSON_STRING_SOURCE, PLAIN_STRING_SOURCE, UNCAPTURED_PLAIN_STRING_SOURCE, decodeJsonString } from "./json-text.js";
export { createRedactor, redactAsmError, secretValuesOf, SECRET_ENV_VARS, REDACTED, REDACTED_DEEP, MIN_SECRET_CHARS } from "./redaction.js";
export type { Redactor, RedactorOptions, SecretValue } from "./redaction.js";
