/**
 * How much each participant's plan may hold in drawings, photos and voice notes, and how long
 * a removed one is kept (so it can be brought back from the entry's earlier versions) before
 * its bytes are deleted for good. Settings: PLAN_MEDIA_MAX_ITEMS, PLAN_MEDIA_MAX_MB,
 * PLAN_REMOVED_MEDIA_DAYS. Counted per plan, whoever added them (a peer support worker adds to
 * the participant's plan, not their own).
 *
 * Items count what is in the plan now; bytes count everything still stored, removed items
 * included until they are deleted: otherwise adding and removing would store without limit.
 */
const MB = 1024 * 1024;

export interface MediaQuota {
  maxItems: number;
  maxBytes: number;
  /** Days a removed item is kept before its bytes are deleted. */
  removedDays: number;
}

export interface MediaUsage {
  /** Drawings, photos and voice notes in the plan (not removed). */
  items: number;
  /** Bytes stored for the plan, removed items not yet deleted included. */
  bytes: number;
}

/** The settings' defaults: far more than a plan needs (the demo's fullest has a handful). */
export const DEFAULT_MEDIA_QUOTA: MediaQuota = { maxItems: 200, maxBytes: 200 * MB, removedDays: 30 };

export const megabytes = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** A size as people read it: "3.2 MB", "640 KB". */
export function sizeWords(bytes: number): string {
  if (bytes >= MB / 10) return `${String(megabytes(bytes))} MB`;
  return `${String(Math.ceil(bytes / 1024))} KB`;
}

/** Why this file cannot be added, in words for the person adding it; undefined when it fits. */
export function quotaProblem(usage: MediaUsage, adding: number, quota: MediaQuota): string | undefined {
  if (usage.items >= quota.maxItems) {
    const what = quota.maxItems === 1 ? 'drawing, photo or voice note' : 'drawings, photos and voice notes';
    return `This plan already has ${String(quota.maxItems)} ${what}, the most it can hold. Remove one you no longer need, then add this one`;
  }
  if (usage.bytes + adding > quota.maxBytes) {
    return `There is not enough room left in this plan for this file (each plan can hold ${String(megabytes(quota.maxBytes))} MB). Remove something you no longer need: its space is free again ${String(quota.removedDays)} days after you remove it`;
  }
  return undefined;
}
