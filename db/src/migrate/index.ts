// Placeholder until the migration runner lands: creates the extension every schema needs.
import postgres from 'postgres';

export interface MigrateOptions {
  databaseUrl: string;
  log: (line: string) => void;
}

export async function migrateUp({ databaseUrl }: MigrateOptions): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists vector`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
