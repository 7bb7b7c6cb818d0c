import type postgres from 'postgres';
import type { StoredMedia } from './media-store';

export interface RegisterMediaOptions {
  sql: postgres.Sql | postgres.TransactionSql;
  media: StoredMedia;
  /** New row id if this content was never registered; ignored otherwise. */
  newId: string;
}

/**
 * One `media_assets` row per distinct content: insert, or bump ref_count of the existing row (same
 * sha256). Returns the row id — the same id for identical bytes however many times they are stored.
 */
export async function registerMediaAsset({ sql, media, newId }: RegisterMediaOptions): Promise<{ id: string; refCount: number }> {
  const [row] = await sql<{ id: string; ref_count: number }[]>`
    insert into media_assets (id, sha256, byte_size, content_type, storage_key, ref_count)
    values (${newId}, ${media.sha256}, ${media.byteSize}, ${media.contentType}, ${media.storageKey}, 1)
    on conflict (sha256) do update set ref_count = media_assets.ref_count + 1
    returning id, ref_count`;
  if (row === undefined) throw new Error('media_assets upsert returned no row');
  return { id: row.id, refCount: row.ref_count };
}
