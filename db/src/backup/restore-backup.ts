import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type postgres from 'postgres';
import { pgBin } from '../stack/postgres-paths';
import { runCommand } from '../stack/run-command';
import { BackupError } from './backup-error';
import { manifestPathOf } from './backup-file';
import { connectChecked } from './connect';
import { quoteIdent, withDatabase } from './database-url';
import { sha256File } from './file-hash';
import { readManifest, type BackupManifest } from './manifest';
import { lastLine } from './tool-output';
import { compareStats, databaseStats, type StatsDifference, type TableStats } from './table-stats';

export interface RestoreBackupOptions {
  /** A `.dump` written by createBackup (its `.manifest.json` beside it is used for verification). */
  file: string;
  /** Any database URL on the server to restore into; only its server and credentials are used. */
  databaseUrl: string;
  /** Name of the database to create. Refused if it exists and holds tables. */
  into: string;
  log: (line: string) => void;
}

export interface RestoreResult {
  database: string;
  url: string;
  /** Stats of the restored database. */
  tables: TableStats[];
  /** Stats recorded at dump time; undefined when the dump had no manifest (nothing to verify against). */
  expected: TableStats[] | undefined;
}

const NAME_OK = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_IDENT = 63;

/**
 * Restores a dump into a NEW database and proves it: the file is checked (sha256 against the manifest,
 * then `pg_restore --list`) before anything is created; pg_restore runs into a temporary database in one
 * transaction; every table's row count and checksum must equal the manifest's; only then is the
 * temporary database renamed to `into`. Any failure drops the temporary database, so no half-restored
 * database is ever left behind under either name.
 */
export async function restoreBackup({ file, databaseUrl, into, log }: RestoreBackupOptions): Promise<RestoreResult> {
  if (!NAME_OK.test(into) || into.length > MAX_IDENT) {
    throw new BackupError(
      'INVALID_TARGET_NAME',
      `"${into}" is not a usable database name`,
      `use letters, digits and underscores (at most ${MAX_IDENT}), starting with a letter`,
    );
  }
  const manifest = await checkFile(file);
  const adminUrl = withDatabase(databaseUrl, 'postgres');
  const admin = await connectChecked(adminUrl);
  const temp = `${into.slice(0, MAX_IDENT - 13)}__rst_${randomBytes(3).toString('hex')}`; // ≤ 63 bytes
  let created = false;
  try {
    const targetExists = await ensureTargetFree(admin, databaseUrl, into);
    await dropAbandonedTemps(admin, into, log);
    await admin.unsafe(`create database ${quoteIdent(temp)}`);
    created = true;
    const tempUrl = withDatabase(databaseUrl, temp);
    log(`restoring ${file} into temporary database ${temp}`);
    const restore = await runCommand(pgBin('pg_restore'), [
      '--exit-on-error',
      '--single-transaction',
      // Roles of the source server need not exist here; the restored objects belong to whoever restores.
      '--no-owner',
      '--no-privileges',
      `--dbname=${tempUrl}`,
      file,
    ], {
      // Index builds run inside the restore; HNSW over 100k 512-d vectors takes several times longer
      // when its graph does not fit the default 64MB maintenance_work_mem.
      env: { ...process.env, PGOPTIONS: `${process.env.PGOPTIONS ?? ''} -c maintenance_work_mem=512MB`.trim() },
    });
    if (restore.code !== 0) {
      throw new BackupError(
        'RESTORE_FAILED',
        `pg_restore failed: ${lastLine(restore.stderr)}`,
        'the backup file is damaged or needs something this server lacks (e.g. pgvector); nothing was restored',
        { stderr: restore.stderr },
      );
    }
    const tables = await statsOf(tempUrl);
    if (manifest !== undefined) {
      const differences = compareStats(manifest.tables, tables);
      if (differences.length > 0) throw mismatch(differences);
    } else {
      log(`no manifest next to ${file}: restored, but there is nothing to verify row counts against`);
    }
    if (targetExists) await admin.unsafe(`drop database ${quoteIdent(into)}`);
    await admin.unsafe(`alter database ${quoteIdent(temp)} rename to ${quoteIdent(into)}`);
    created = false;
    return { database: into, url: withDatabase(databaseUrl, into), tables, expected: manifest?.tables };
  } finally {
    if (created) await admin.unsafe(`drop database if exists ${quoteIdent(temp)} with (force)`).catch(() => {});
    await admin.end({ timeout: 1 });
  }
}

/** Everything that can be known about the file without a database; throws BACKUP_* errors. */
async function checkFile(file: string): Promise<BackupManifest | undefined> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new BackupError('BACKUP_NOT_FOUND', `no backup file at ${file}`, 'give the path of a .dump file (ls backups/)');
  }
  const manifest = readManifest(manifestPathOf(file));
  if (manifest !== undefined && (await sha256File(file)) !== manifest.sha256) {
    throw new BackupError(
      'BACKUP_CORRUPT',
      `${file} does not match the sha256 in its manifest (damaged or truncated)`,
      'restore an older backup; nothing was changed',
    );
  }
  const list = await runCommand(pgBin('pg_restore'), ['--list', file]);
  if (list.code !== 0) {
    throw new BackupError(
      'BACKUP_CORRUPT',
      `${file} is not a readable pg_dump archive: ${lastLine(list.stderr)}`,
      'restore another backup (custom format, made by npm run db:backup); nothing was changed',
    );
  }
  return manifest;
}

/** True when `into` exists (and is empty, so it may be replaced); throws when it holds tables. */
async function ensureTargetFree(admin: postgres.Sql, databaseUrl: string, into: string): Promise<boolean> {
  const rows = await admin`select 1 from pg_database where datname = ${into}`;
  if (rows.length === 0) return false;
  const target = await connectChecked(withDatabase(databaseUrl, into));
  try {
    const [row] = await target<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_%'`;
    if ((row?.n ?? 0) > 0) {
      throw new BackupError(
        'TARGET_NOT_EMPTY',
        `database "${into}" already exists and has ${row?.n} tables`,
        'restore into a new name (--into NAME), or drop that database first if you really mean to replace it',
      );
    }
  } finally {
    await target.end({ timeout: 1 });
  }
  return true;
}

/**
 * A restore killed mid-way (Ctrl-C, crash) leaves its temporary database behind; it never became the
 * target, so it is safe to drop. One still in use by a running restore (it has connections) is left.
 */
async function dropAbandonedTemps(admin: postgres.Sql, into: string, log: (line: string) => void): Promise<void> {
  const prefix = `${into.slice(0, MAX_IDENT - 13)}__rst_`;
  const rows = await admin<{ datname: string }[]>`
    select d.datname from pg_database d
    where left(d.datname, ${prefix.length}) = ${prefix}
      and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`;
  for (const { datname } of rows) {
    log(`dropping ${datname}, left behind by an interrupted restore`);
    await admin.unsafe(`drop database if exists ${quoteIdent(datname)}`);
  }
}

async function statsOf(url: string): Promise<TableStats[]> {
  const sql = await connectChecked(url);
  try {
    return await databaseStats(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function mismatch(differences: StatsDifference[]): BackupError {
  const names = differences.map((d) => d.table).join(', ');
  return new BackupError(
    'VERIFY_MISMATCH',
    `restored data differs from the manifest in ${differences.length} table(s): ${names}`,
    'the backup is not trustworthy: restore an older one; the restored copy was dropped',
    { differences },
  );
}
