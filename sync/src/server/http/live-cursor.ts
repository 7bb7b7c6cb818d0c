/**
 * `electric-cursor` for live responses: changes every `periodMs` so CDNs never collapse live requests
 * forever, and never equals the cursor the client sent (that would make a CDN serve the same response).
 */
export function liveCursor(nowMs: number, periodMs: number, previous: string | null): string {
  let cursor = Math.floor(nowMs / periodMs);
  if (previous !== null && String(cursor) === previous) cursor++;
  return String(cursor);
}
