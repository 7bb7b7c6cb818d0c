import { hash32, prng } from './prng';

/** Every seeded timestamp is this instant plus an offset: fixed, so seeding is byte-for-byte repeatable. */
export const SEED_EPOCH_MS = Date.UTC(2026, 0, 1);

/** A fixed seeded timestamp: SEED_EPOCH + offsetMs. */
export function seedTime(offsetMs = 0): Date {
  return new Date(SEED_EPOCH_MS + offsetMs);
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A UUIDv7-shaped id derived from (seed, kind, index): 48-bit ms timestamp SEED_EPOCH + index (so ids
 * of one kind sort in creation order, like real v7 ids), version 7, variant 10, the rest from a PRNG
 * seeded by the name. Same input → same id; different kinds never collide in practice (74 random bits).
 */
export function seedUuid(seed: string, kind: string, index: number): string {
  const ms = SEED_EPOCH_MS + index;
  const r = prng(hash32(`${seed}/uuid/${kind}/${index}`));
  const a = r.uint32();
  const b = r.uint32();
  const c = r.uint32();
  const timeHigh = Math.floor(ms / 0x10000); // upper 32 of 48 bits
  const timeLow = ms % 0x10000;
  const randA = a & 0x0fff; // 12 bits
  const variant = 0x8000 | (b & 0x3fff); // 10xx + 14 bits
  const tail = hex(b >>> 14 & 0xffff, 4) + hex(c, 8);
  return `${hex(timeHigh, 8)}-${hex(timeLow, 4)}-${hex(0x7000 | randA, 4)}-${hex(variant, 4)}-${tail}`;
}
