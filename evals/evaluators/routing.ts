/** Routing accuracy: the routes taken equal the expected ones exactly (order aside); `[]` = a clarifying question. */
export function routingAccuracy(expected: readonly string[], got: readonly string[]): number {
  const a = [...new Set(expected)].sort();
  const b = [...new Set(got)].sort();
  return a.length === b.length && a.every((x, i) => x === b[i]) ? 1 : 0;
}
