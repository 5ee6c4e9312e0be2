export { createFakeBackend } from "./fake-backend/fake-backend.js";
export type { FakeBackend } from "./fake-backend/fake-backend.js";
export type { FakeStep, FakeScript, FakeBackendRecord, FakeBackendOptions } from "./fake-backend/fake-script.js";
export { fakeEvents } from "./fake-backend/fake-events.js";
export { fakeProvider } from "./fake-backend/fake-provider.js";
export type { FakeProviderOptions } from "./fake-backend/fake-provider.js";
