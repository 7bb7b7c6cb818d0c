// `npm run db:migrate|db:rollback|db:status -w @storyforge/db` against DATABASE_URL. The root
// `npm run db:*` scripts go through scripts/db-command.ts, which calls runMigrationCommand too.
import { runMigrationCommand } from './migration-command';

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  process.stderr.write('error DATABASE_UNREACHABLE: DATABASE_URL is not set — set it to postgres://user:password@host:port/database\n');
  process.exit(2);
}
const code = await runMigrationCommand({
  argv: process.argv.slice(2),
  databaseUrl,
  log: (line) => process.stdout.write(`[migrate] ${line}\n`),
  logError: (line) => process.stderr.write(`[migrate] ${line}\n`),
});
process.exit(code);
