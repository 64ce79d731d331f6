/** A fresh `Idempotency-Key` for one create (a retry of the same submission reuses it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
