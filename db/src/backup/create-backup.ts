import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgBin } from '../stack/postgres-paths';
import { runCommand } from '../stack/run-command';
import { BackupError } from './backup-error';
import { backupFileName, manifestPathOf } from './backup-file';
import { connectChecked } from './connect';
import { databaseName } from './database-url';
import { sha256File } from './file-hash';
import { MANIFEST_FORMAT, type BackupManifest } from './manifest';
import { tableStats, type TableStats } from './table-stats';
import { lastLine } from './tool-output';

export interface CreateBackupOptions {
  databaseUrl: string;
  /** Directory for the dump and its manifest (created if missing). */
  dir: string;
  log: (line: string) => void;
  /** The clock that names the file; injected for tests. */
  now?: () => Date;
}

export interface CreatedBackup {
  path: string;
  manifestPath: string;
  manifest: BackupManifest;
}

/**
 * `pg_dump -Fc` of one database plus a manifest of per-table row counts and checksums, both from the
 * same snapshot: a repeatable-read transaction exports its snapshot, pg_dump adopts it
 * (`--snapshot`) while the same transaction computes the stats. Files are written under temporary
 * names and renamed at the end, so a failed or interrupted backup never looks like a backup.
 *
 * @example
 *   const { path } = await createBackup({ databaseUrl, dir: './backups', log: console.log });
 */
export async function createBackup({ databaseUrl, dir, log, now = () => new Date() }: CreateBackupOptions): Promise<CreatedBackup> {
  const database = databaseName(databaseUrl);
  const takenAt = now();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, backupFileName(database, takenAt));
  const manifestPath = manifestPathOf(path);
  const partial = `${path}.partial`;
  const sql = await connectChecked(databaseUrl);
  try {
    const [version] = await sql<{ server_version: string }[]>`show server_version`;
    const tables = (await sql.begin('isolation level repeatable read read only', async (tx) => {
      const [snap] = await tx<{ id: string }[]>`select pg_export_snapshot() as id`;
      const [stats, dump] = await Promise.all([
        tableStats(tx),
        runCommand(pgBin('pg_dump'), ['-Fc', `--snapshot=${snap?.id ?? ''}`, '-f', partial, `--dbname=${databaseUrl}`]),
      ]);
      if (dump.code !== 0) {
        throw new BackupError(
          'DUMP_FAILED',
          `pg_dump failed: ${lastLine(dump.stderr)}`,
          'see the pg_dump message; check disk space and that the dump directory is writable',
          { stderr: dump.stderr },
        );
      }
      return stats;
    })) as TableStats[];
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      database,
      takenAt: takenAt.toISOString(),
      serverVersion: version?.server_version ?? 'unknown',
      sha256: await sha256File(partial),
      bytes: statSync(partial).size,
      tables,
    };
    writeFileSync(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(`${manifestPath}.partial`, manifestPath);
    renameSync(partial, path);
    log(`backup ${path} (${manifest.bytes} bytes, ${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows)`);
    return { path, manifestPath, manifest };
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${manifestPath}.partial`, { force: true });
    throw error;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
