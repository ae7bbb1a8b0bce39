/**
 * Typed errors the app raises at its edges. Each names its cause and what to do about it, so the CLI and the
 * server can print it as is.
 */
export class KeelError extends Error {
  constructor(
    message: string,
    /** What the user should do about it. */
    readonly hint: string,
  ) {
    super(`${message} ${hint}`.trim());
    this.name = new.target.name;
  }
}

/** A setting, environment variable or file the app needs is missing or malformed. */
export class ConfigurationError extends KeelError {}

/** The request itself is unusable (empty, oversized, not text). */
export class InvalidRequestError extends KeelError {}

/** A thread id that has no checkpoints. */
export class UnknownThreadError extends KeelError {}

/** A resume payload that does not answer the pending approval. */
export class InvalidResumeError extends KeelError {}

/**
 * A file or database the app keeps its data in is unreadable (corrupted), incompatible (written by another
 * program or version) or locked by another process. Nothing was changed; the hint says how to go on.
 */
export class StorageError extends KeelError {}

/**
 * The first error in a chain that satisfies `match`: the error itself, its `cause`s (langchain's agent wraps a
 * middleware's error in one `MiddlewareError` per layer) and the members of an `AggregateError` (LangGraph
 * gathers the failures of parallel tasks in one step).
 * @example const keel = findError(error, (e): e is KeelError => e instanceof KeelError);
 */
export function findError<T extends Error>(error: unknown, match: (e: unknown) => e is T): T | undefined {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 50; seen++) {
    const e = queue.shift();
    if (!e || typeof e !== "object") continue;
    if (match(e)) return e;
    const { cause, errors } = e as { cause?: unknown; errors?: unknown };
    if (cause !== undefined && cause !== e) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}
