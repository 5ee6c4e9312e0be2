// Phoenix Channels serializer v2 as the `phoenix` 1.8 client speaks it: text frames are
// `[join_ref, ref, topic, event, payload]`; binary frames are `kind, length bytes, meta, data`.

/** One decoded frame. `payload` is an ArrayBuffer for binary frames. */
export interface PhoenixFrame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** Encodes a frame as the v2 JSON array. */
export function encodeTextFrame(frame: PhoenixFrame): string {
  return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
}

/** Decodes a v2 text frame; null when it is not a 5-element array with string topic and event. */
export function decodeTextFrame(text: string): PhoenixFrame | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) return null;
  const [joinRef, ref, topic, event, payload] = parsed as unknown[];
  const refOk = (value: unknown) => value === null || typeof value === "string";
  if (!refOk(joinRef) || !refOk(ref) || typeof topic !== "string" || typeof event !== "string") return null;
  return { joinRef: joinRef, ref: ref, topic, event, payload };
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Decodes a client binary push (kind 0: join_ref, ref, topic, event lengths); null otherwise. */
export function decodeBinaryFrame(data: Uint8Array): PhoenixFrame | null {
  if (data.length < 5 || data[0] !== 0) return null;
  const lengths = [data[1]!, data[2]!, data[3]!, data[4]!];
  let offset = 5;
  const fields = lengths.map((length) => {
    const field = decoder.decode(data.subarray(offset, offset + length));
    offset += length;
    return field;
  });
  if (offset > data.length) return null;
  const payload = data.slice(offset).buffer;
  return { joinRef: fields[0] || null, ref: fields[1] || null, topic: fields[2]!, event: fields[3]!, payload };
}

/** Encodes a server broadcast with a binary payload (kind 2: topic, event). */
export function encodeBinaryBroadcast(topic: string, event: string, payload: ArrayBuffer): Uint8Array {
  const meta = [encoder.encode(topic), encoder.encode(event)];
  const out = new Uint8Array(3 + meta[0]!.length + meta[1]!.length + payload.byteLength);
  out[0] = 2;
  out[1] = meta[0]!.length;
  out[2] = meta[1]!.length;
  out.set(meta[0]!, 3);
  out.set(meta[1]!, 3 + meta[0]!.length);
  out.set(new Uint8Array(payload), 3 + meta[0]!.length + meta[1]!.length);
  return out;
}
