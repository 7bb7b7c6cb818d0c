// drizzle-kit generates the UP migrations from the Drizzle schema (`npx drizzle-kit generate --name <name>`);
// each NNNN_name.sql then gets a hand-written NNNN_name.down.sql. The runner is db/src/migrate/.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/src/schema/index.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
