import type { Ctx } from "../../context";
import { syncFans, type SyncFanResult } from "./sync-fans";

/**
 * One fan's sync (a triggered `attribution.sync-fan` job, tests): `syncFans` with a batch
 * of one — the same steps, statements and outcomes (see sync-fans.ts).
 * @throws the non-provider error that stopped the sync (the job fails and is retried).
 */
export async function syncFan({ ctx, input }: { ctx: Ctx; input: { playUserId: string } }): Promise<SyncFanResult> {
  const [entry] = await syncFans({ ctx, input: { playUserIds: [input.playUserId] } });
  if (!entry) throw new Error("fan sync: no result");
  if ("error" in entry) throw entry.error;
  return entry.result;
}
