/**
 * Tool recall: the share of the expected tools found among the tools offered or called. `undefined` when no
 * tool is expected (recall has no meaning there; such rows are scored by whether no tool was needed).
 *
 * @example toolRecall(["get_order", "track_shipment"], ["get_order", "list_carriers"]) // 0.5
 */
export function toolRecall(expected: readonly string[], got: readonly string[]): number | undefined {
  const gold = [...new Set(expected)];
  if (gold.length === 0) return undefined;
  const found = new Set(got);
  return gold.filter((t) => found.has(t)).length / gold.length;
}
