/** Where cached model generations live: a key-value store of JSON strings, with expiry. */
export interface CacheBackend {
  readonly name: "sqlite" | "redis";
  /** The stored value, or `undefined`; throws when the store cannot be reached. */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}
