import { jsonShape, leafPaths, type JsonShape, type JsonType } from "@asm/testkit";

/**
 * The event key of one native line, the same for every CLI: its `type`, and the discriminator one
 * level in where there is one (`system/init`, `stream_event/message_start`,
 * `item.completed/agent_message`, `control_request/can_use_tool`).
 */
export function eventKeyOf(line: Record<string, unknown>): string {
  const type = String(line["type"]);
  const inner = (field: string, key: string): unknown => {
    const value = line[field];
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  };
  const sub = [line["subtype"], inner("event", "type"), inner("item", "type"), inner("request", "subtype"), inner("response", "subtype")].find(
    (value) => typeof value === "string",
  );
  return sub === undefined ? type : `${type}/${String(sub)}`;
}

/** The shapes of one transcript's lines, per event key (non-object lines are not events). */
export function transcriptShapes(lines: Iterable<unknown>): Map<string, JsonShape> {
  const shapes = new Map<string, JsonShape>();
  for (const line of lines) {
    if (typeof line !== "object" || line === null || Array.isArray(line)) continue;
    const key = eventKeyOf(line as Record<string, unknown>);
    shapes.set(key, jsonShape(line, shapes.get(key)));
  }
  return shapes;
}

/** One field that appeared, went away, or now holds other JSON types. */
export interface FieldChange {
  eventKey: string;
  path: string;
  change: "added" | "removed" | "types";
  before: JsonType[];
  after: JsonType[];
}

/** The structural difference between two recordings of one scenario. */
export interface ShapeDiff {
  addedEvents: string[];
  removedEvents: string[];
  /** Field changes of the event keys both recordings have. */
  fields: FieldChange[];
}

const typesAt = (shape: JsonShape, path: string): JsonType[] => [...(shape.get(path) ?? [])].sort();

/** Compares the JSON shapes (not the text) of two recordings of one scenario. */
export function diffShapes(before: Map<string, JsonShape>, after: Map<string, JsonShape>): ShapeDiff {
  const addedEvents = [...after.keys()].filter((key) => !before.has(key)).sort();
  const removedEvents = [...before.keys()].filter((key) => !after.has(key)).sort();
  const fields: FieldChange[] = [];
  for (const key of [...after.keys()].filter((name) => before.has(name)).sort()) {
    const old = before.get(key) as JsonShape;
    const now = after.get(key) as JsonShape;
    const oldPaths = new Set(leafPaths(old));
    const newPaths = new Set(leafPaths(now));
    for (const path of [...new Set([...oldPaths, ...newPaths])].sort()) {
      const was = typesAt(old, path);
      const is = typesAt(now, path);
      if (!oldPaths.has(path) && !old.has(path)) fields.push({ eventKey: key, path, change: "added", before: [], after: is });
      else if (!newPaths.has(path) && !now.has(path)) fields.push({ eventKey: key, path, change: "removed", before: was, after: [] });
      else if (was.join("|") !== is.join("|")) fields.push({ eventKey: key, path, change: "types", before: was, after: is });
    }
  }
  return { addedEvents, removedEvents, fields };
}

/** Whether a diff shows no change at all. */
export function isEmptyDiff(diff: ShapeDiff): boolean {
  return diff.addedEvents.length === 0 && diff.removedEvents.length === 0 && diff.fields.length === 0;
}
