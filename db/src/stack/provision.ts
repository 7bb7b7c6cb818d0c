import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgBin, pgConfig, pgvectorControlFile, pgvectorLibrary, PG_MAJOR } from './postgres-paths';
import { runCommand } from './run-command';
import { StackError } from './stack-error';

export interface ProvisionOptions {
  log: (line: string) => void;
}

const PGVECTOR_VERSION = '0.8.0';
// pgvector is not packaged for bookworm; trixie's source package builds cleanly against PG 15.
const TRIXIE_SOURCES_FILE = '/etc/apt/sources.list.d/storyforge-trixie-src.sources';

function redisInstalled(): boolean {
  return existsSync('/usr/bin/redis-server');
}

function pgvectorInstalled(): boolean {
  return existsSync(pgvectorControlFile) && existsSync(pgvectorLibrary);
}

/** The apt packages this machine still lacks for the stack. */
export function missingSystemPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(pgBin('postgres'))) missing.push(`postgresql-${PG_MAJOR}`);
  if (!redisInstalled()) missing.push('redis-server');
  if (!pgvectorInstalled()) {
    if (!existsSync(pgConfig) || !existsSync(`/usr/include/postgresql/${PG_MAJOR}/server/postgres.h`)) {
      missing.push(`postgresql-server-dev-${PG_MAJOR}`);
    }
    for (const tool of ['make', 'gcc']) if (!existsSync(`/usr/bin/${tool}`)) missing.push(tool);
  }
  return missing;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function apt(args: string[], log: ProvisionOptions['log']): Promise<void> {
  log(`apt-get ${args.join(' ')}`);
  const result = await runCommand('apt-get', args, {
    inherit: true,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.code !== 0) {
    throw new StackError(
      'APT_FAILED',
      `apt-get ${args[0]} failed (exit ${result.code})`,
      'see the apt output above; check that Debian mirrors are reachable and the disk has room',
    );
  }
}

/** The archive URI the machine's own Debian sources use, so we add trixie from the same mirror. */
function debianArchiveUri(): string {
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
    if (deb822?.[1]) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+bookworm/m.exec(text);
    if (oneLine?.[1]) return oneLine[1];
  }
  throw new StackError(
    'APT_FAILED',
    'could not find a Debian archive in /etc/apt sources',
    'add a Debian "bookworm" source to /etc/apt, or install pgvector 0.8 for PostgreSQL 15 yourself',
  );
}

async function buildPgvector(log: ProvisionOptions['log']): Promise<void> {
  if (!existsSync(TRIXIE_SOURCES_FILE)) {
    log('adding Debian trixie source packages (deb-src only) to build pgvector');
    writeFileSync(
      TRIXIE_SOURCES_FILE,
      [
        'Types: deb-src',
        `URIs: ${debianArchiveUri()}`,
        'Suites: trixie',
        'Components: main',
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
        '',
      ].join('\n'),
    );
  }
  await apt(['update', '-qq'], log);
  const buildDir = join(tmpdir(), 'storyforge-pgvector-build');
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  log(`downloading pgvector ${PGVECTOR_VERSION} source into ${buildDir}`);
  const download = await runCommand('apt-get', ['source', '--download-only', 'pgvector'], {
    cwd: buildDir,
    inherit: true,
  });
  const tarball = readdirSync(buildDir).find((f) => /^pgvector_.*\.orig\.tar\./.test(f));
  if (download.code !== 0 || tarball === undefined) {
    throw new StackError(
      'PGVECTOR_BUILD_FAILED',
      'could not download the pgvector source package from Debian trixie',
      `check ${TRIXIE_SOURCES_FILE} and that "apt-get update" succeeds`,
    );
  }
  await mustRun('tar', ['-xf', tarball], buildDir);
  const sourceDir = readdirSync(buildDir).find((f) => f.startsWith('pgvector-'));
  if (sourceDir === undefined) {
    throw new StackError('PGVECTOR_BUILD_FAILED', `unexpected layout of ${tarball}`, 'build pgvector by hand');
  }
  log('building pgvector');
  const cwd = join(buildDir, sourceDir);
  // OPTFLAGS="" avoids -march=native so the build also runs on other CPUs of the same machine kind.
  await mustRun('make', [`PG_CONFIG=${pgConfig}`, 'OPTFLAGS='], cwd);
  await mustRun('make', [`PG_CONFIG=${pgConfig}`, 'install'], cwd);
  rmSync(buildDir, { recursive: true, force: true });
  if (!pgvectorInstalled()) {
    throw new StackError('PGVECTOR_BUILD_FAILED', 'pgvector built but is not installed', `check ${pgConfig}`);
  }
}

async function mustRun(command: string, args: string[], cwd: string): Promise<void> {
  const result = await runCommand(command, args, { cwd });
  if (result.code !== 0) {
    throw new StackError(
      'PGVECTOR_BUILD_FAILED',
      `${command} ${args.join(' ')} failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      'see the build error; postgresql-server-dev-15, make and gcc must be installed',
    );
  }
}

/**
 * Installs what the local stack needs and this machine lacks: PostgreSQL 15, pgvector (built from
 * Debian trixie's source package), Redis. Idempotent and quick when everything is present.
 */
export async function provisionSystem({ log }: ProvisionOptions): Promise<void> {
  const missing = missingSystemPackages();
  const needPgvector = !pgvectorInstalled();
  if (missing.length === 0 && !needPgvector) return;
  if (!isRoot()) {
    const what = [...missing, ...(needPgvector ? [`pgvector ${PGVECTOR_VERSION} for PostgreSQL ${PG_MAJOR}`] : [])];
    throw new StackError(
      'NOT_ROOT',
      `missing ${what.join(', ')} and not running as root`,
      `install them (sudo apt-get install ${missing.join(' ') || `postgresql-server-dev-${PG_MAJOR}`}; pgvector from source), or run as root, or set DATABASE_URL and REDIS_URL`,
    );
  }
  if (missing.length > 0) {
    log(`installing ${missing.join(', ')}`);
    await apt(['update', '-qq'], log);
    await apt(['install', '-y', '-qq', '--no-install-recommends', ...missing], log);
  }
  if (needPgvector) await buildPgvector(log);
  log('system packages ready');
}
