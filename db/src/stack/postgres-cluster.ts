import { chownSync, existsSync, mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pgBin, postgresOsUser } from './postgres-paths';
import { portInUse } from './free-port';
import { runCommand } from './run-command';
import { StackError } from './stack-error';

export interface PostgresClusterOptions {
  dataDir: string;
  port: number;
  /** false for throwaway test clusters: no fsync, so tests are fast; a crash there loses nothing we keep. */
  durable: boolean;
  log: (line: string) => void;
  /**
   * Extra server settings (`-c key=value`) over the defaults. Command-line settings win over
   * postgresql.auto.conf, so a test that needs a different value (e.g. a tiny max_slot_wal_keep_size)
   * must pass it here: ALTER SYSTEM cannot override the defaults.
   */
  settings?: Readonly<Record<string, string>>;
}

export interface RunningPostgres {
  /** Superuser URL to the `postgres` database of this cluster. */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Stops the cluster if this process started it; leaves a cluster it merely found running alone. */
  stop(): Promise<void>;
}

const MIN_FREE_BYTES = 300 * 1024 * 1024;

function serverSettings(port: number, durable: boolean, extra: Readonly<Record<string, string>> = {}): string[] {
  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: "''",
    wal_level: 'logical',
    max_replication_slots: '64',
    max_wal_senders: '64',
    max_connections: '300',
    // A replication slot pins WAL until it is confirmed; cap it so a stuck consumer cannot fill the disk
    // (the slot is then invalidated and the sync server re-snapshots; see sync/README.md).
    max_slot_wal_keep_size: '4GB',
    shared_buffers: durable ? '256MB' : '128MB',
    timezone: 'UTC',
    log_timezone: 'UTC',
    log_min_messages: 'warning',
  };
  if (!durable) Object.assign(settings, { fsync: 'off', full_page_writes: 'off' });
  Object.assign(settings, extra);
  return Object.entries(settings).map(([key, value]) => `-c ${key}=${value}`);
}

function ensureDiskSpace(dir: string): void {
  const stats = statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  if (free < MIN_FREE_BYTES) {
    throw new StackError(
      'DISK_FULL',
      `only ${Math.round(free / 1024 / 1024)} MiB free under ${dir}`,
      'free some disk space (Postgres needs at least 300 MiB) and try again',
    );
  }
}

function osUserIds(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
  return { uid, gid };
}

function prepareOwnedDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) {
    const { uid, gid } = osUserIds(postgresOsUser);
    chownSync(dir, uid, gid);
  }
}

async function initCluster(dataDir: string, log: PostgresClusterOptions['log']): Promise<void> {
  log(`initdb ${dataDir}`);
  prepareOwnedDir(dataDir);
  const result = await runCommand(
    pgBin('initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions'],
    { asUser: postgresOsUser },
  );
  if (result.code !== 0) {
    throw new StackError(
      'POSTGRES_START_FAILED',
      `initdb failed: ${result.stderr.trim().split('\n').pop() ?? ''}`,
      `remove ${dataDir} if it is a half-made cluster, and check that the postgres user can write there`,
    );
  }
}

async function isAcceptingConnections(port: number): Promise<boolean> {
  const result = await runCommand(pgBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '2']);
  return result.code === 0;
}

/** The port an already running cluster in dataDir listens on, if one runs (line 4 of postmaster.pid). */
function runningClusterPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Starts (initialising if needed) a Postgres cluster of our own: wal_level=logical, loopback only,
 * on its own port. The data directory survives restarts; a second start finds and reuses it.
 */
export async function startPostgresCluster(options: PostgresClusterOptions): Promise<RunningPostgres> {
  const { dataDir, port, durable, log } = options;
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const alreadyRunning = runningClusterPort(dataDir);
  if (alreadyRunning !== undefined) {
    if (alreadyRunning !== port) {
      throw new StackError(
        'PORT_IN_USE',
        `the cluster in ${dataDir} already runs on port ${alreadyRunning}, not ${port}`,
        `stop it (pg_ctl -D ${dataDir} stop) or use port ${alreadyRunning}`,
      );
    }
    if (await isAcceptingConnections(port)) {
      log(`postgres already running on port ${port}`);
      return { adminUrl, port, dataDir, stop: async () => {} };
    }
  }
  if (await portInUse(port)) {
    throw new StackError(
      'PORT_IN_USE',
      `port ${port} is already in use by another program`,
      'stop that program or choose another port with STORYFORGE_PG_PORT',
    );
  }
  mkdirSync(join(dataDir, '..'), { recursive: true });
  ensureDiskSpace(join(dataDir, '..'));
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initCluster(dataDir, log);
  log(`starting postgres on 127.0.0.1:${port}`);
  const logFile = join(dataDir, 'server.log');
  const result = await runCommand(
    pgBin('pg_ctl'),
    ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverSettings(port, durable, options.settings).join(' '), 'start'],
    { asUser: postgresOsUser },
  );
  if (result.code !== 0) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
    throw new StackError(
      'POSTGRES_START_FAILED',
      `postgres did not start: ${tail || result.stderr.trim()}`,
      `see ${logFile}`,
    );
  }
  return {
    adminUrl,
    port,
    dataDir,
    stop: async () => {
      await runCommand(pgBin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], { asUser: postgresOsUser });
    },
  };
}
