/**
 * Formats a cost in USD for people: three significant digits under a cent, four decimals above,
 * trailing zeros dropped. An unknown cost is `$?`, never a made-up `$0`.
 *
 * @example
 * ```ts
 * formatCost(0.000468); // "$0.000468"
 * formatCost(null); // "$?"
 * ```
 */
export function formatCost(costUsd: number | null | undefined): string {
  if (costUsd === null || costUsd === undefined) return "$?";
  if (costUsd === 0) return "$0";
  if (costUsd < 0.000001) return "<$0.000001";
  if (costUsd < 0.01) return `$${costUsd.toPrecision(3).replace(/0+$/, "").replace(/\.$/, "")}`;
  return `$${costUsd.toFixed(4).replace(/0+$/, "").replace(/\.$/, "")}`;
}
