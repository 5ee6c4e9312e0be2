const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MAX_TIME = 2 ** 48 - 1;

// Random bytes are drawn in batches: one getRandomValues call per 256 ids instead of one per id
// (the call dominates the cost of an id on Node 20).
const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolOffset = pool.length;

function randomBytes16(): number {
  if (poolOffset >= pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += 16;
  return offset;
}

// Events arrive many per millisecond: the time part is encoded once per millisecond.
let lastTime = -1;
let lastTimePart = "";

function encodeTime(time: number): string {
  if (time === lastTime) return lastTimePart;
  let timePart = "";
  let remaining = time;
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[remaining % 32] + timePart;
    remaining = Math.floor(remaining / 32);
  }
  lastTime = time;
  lastTimePart = timePart;
  return timePart;
}

/**
 * A ULID: 26 Crockford base32 characters, 48 bits of milliseconds then 80 random bits, so ids sort
 * by creation time. Pass `time` to generate for a given instant.
 */
export function ulid(time: number = Date.now()): string {
  if (!Number.isInteger(time) || time < 0 || time > MAX_TIME) {
    throw new RangeError(`ulid time must be an integer in [0, 2^48): ${time}`);
  }
  const timePart = encodeTime(time);
  const offset = randomBytes16();
  let randomPart = "";
  for (let i = 0; i < 16; i++) randomPart += CROCKFORD[pool[offset + i]! % 32];
  return timePart + randomPart;
}

/** True for a syntactically valid ULID. */
export function isUlid(value: unknown): value is string {
  return typeof value === "string" && /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(value);
}
