/** Validation of a user request before it reaches a model or a checkpoint. */
import { InvalidRequestError } from "../errors.js";

/** Longest request accepted, in characters. @example KEEL_MAX_REQUEST_CHARS=8000 */
export function maxRequestChars(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.KEEL_MAX_REQUEST_CHARS ?? 4000);
  return Number.isInteger(value) && value > 0 ? value : 4000;
}

export function validateRequest(request: unknown): string {
  if (typeof request !== "string") throw new InvalidRequestError("The request must be text.", "Pass the request as a string.");
  const trimmed = request.trim();
  if (trimmed.length === 0) throw new InvalidRequestError("The request is empty.", "Say what you need, for example: why was customer CUS-1042 charged twice?");
  const max = maxRequestChars();
  if (trimmed.length > max) {
    throw new InvalidRequestError(`The request is ${trimmed.length} characters long; the limit is ${max}.`, "Shorten it, or raise KEEL_MAX_REQUEST_CHARS.");
  }
  return trimmed;
}
