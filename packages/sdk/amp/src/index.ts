// The Amp SDK lane: @sourcegraph/amp-sdk, feature-detected (an optional peer, loaded on demand).
/** The lane for `createAsm({ lanes })`. */
export { ampSdkLane, type AmpSdkLaneOptions } from "./lane.js";
export { AMP_SDK_CAPABILITIES, AMP_SDK_FEATURES } from "./amp-sdk-backend.js";
/** Loading and checking the SDK. */
export { AMP_SDK, AMP_SDK_HINT, loadAmpSdk } from "./sdk-loader.js";
export type { AmpSdkModule, AmpSdkLoader, AmpBinCheck, LoadedAmpSdk } from "./sdk-loader.js";
