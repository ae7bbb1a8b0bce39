import { describe, expect, it } from "vitest";
import { ConfigurationError, findError, KeelError, StorageError } from "./errors.js";

const isKeel = (e: unknown): e is KeelError => e instanceof KeelError;
const typed = new ConfigurationError("KEEL_X is bad.", "Fix it.");

describe("findError", () => {
  it.each([
    ["the error itself", typed],
    ["one cause deep (a MiddlewareError)", new Error("middleware", { cause: typed })],
    ["three causes deep", new Error("a", { cause: new Error("b", { cause: new Error("c", { cause: typed }) }) })],
    ["inside an AggregateError", new AggregateError([new Error("other"), typed], "parallel tasks failed")],
    ["a cause inside an AggregateError", new AggregateError([new Error("x", { cause: typed })])],
  ])("finds the typed error as %s", (_, error) => {
    expect(findError(error, isKeel)).toBe(typed);
  });

  it.each([
    ["a plain error", new Error("boom")],
    ["a string", "boom"],
    ["undefined", undefined],
    ["an error whose cause is itself", Object.assign(new Error("loop"), { cause: undefined as unknown })],
  ])("returns undefined for %s", (_, error) => {
    if (error instanceof Error && error.message === "loop") (error as { cause?: unknown }).cause = error;
    expect(findError(error, isKeel)).toBeUndefined();
  });

  it("returns the first match breadth-first and respects the predicate's type", () => {
    const storage = new StorageError("db locked.", "Retry.");
    const error = new AggregateError([new Error("w", { cause: typed }), storage]);
    expect(findError(error, (e): e is StorageError => e instanceof StorageError)).toBe(storage);
    expect(findError(error, isKeel)).toBe(storage);
  });
});
