import { ProviderError } from "../../src/lib/provider-error";

/** Awaits `p` and returns the `ProviderError` it rejects with; fails the test otherwise. */
export async function catchProviderError(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
}
