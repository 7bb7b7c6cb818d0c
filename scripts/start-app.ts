import { join } from 'node:path';
import postgres from 'postgres';
import { migrateUp } from '@storyforge/db';
import { DEMO_USER_EMAIL, seedDemo } from '@storyforge/db/seed';
import { startDevStack } from '@storyforge/db/stack';
import { readServerConfig, startServer } from '@storyforge/api/server';

export interface RunAppOptions {
  root: string;
  log: (line: string) => void;
}

/**
 * Resolves on the first SIGINT/SIGTERM and keeps absorbing later ones: a Ctrl-C reaches this process twice
 * (from the terminal's process group and relayed by tsx), and a second signal with no listener would kill
 * it halfway through stopping Postgres and Redis.
 */
function untilSignal(log: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = () => {
      if (received) {
        log('still stopping (shutting Postgres and Redis down cleanly)…');
        return;
      }
      received = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** `npm start`: stack up, migrate, demo data, serve on one port; Ctrl-C stops what we started. */
export async function runApp({ root, log }: RunAppOptions): Promise<number> {
  const stack = await startDevStack({ root, log });
  try {
    log(`database ${stack.databaseUrl}${stack.embedded ? ' (embedded, ./.data/postgres)' : ''}`);
    const migrated = await migrateUp({ databaseUrl: stack.databaseUrl, log });
    log(`migrations: ${migrated.applied.length === 0 ? 'up to date' : `applied ${migrated.applied.join(', ')}`}`);
    const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const seeded = await seedDemo({ sql, log });
      const added = Object.values(seeded.inserted).reduce((a, b) => a + b, 0);
      log(added === 0 ? 'demo data present' : `demo data loaded (${added} rows)`);
    } finally {
      await sql.end({ timeout: 1 });
    }
    const config = readServerConfig({ databaseUrl: stack.databaseUrl, redisUrl: stack.redisUrl, dataDir: join(root, '.data') });
    const server = await startServer({ config });
    log(`serving on ${server.url}  (health: ${server.url}/v1/health)`);
    if (config.devMode) {
      log(`demo login: curl -s -X POST ${server.url}/v1/auth/dev-login -H 'content-type: application/json' -d '{"email":"${DEMO_USER_EMAIL}"}'`);
    }
    log('Ctrl-C stops the server, Postgres and Redis');
    await untilSignal(log);
    log('stopping');
    await server.stop();
  } finally {
    await stack.stop();
  }
  return 0;
}
