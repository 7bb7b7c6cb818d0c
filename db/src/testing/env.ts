/** Environment variables the vitest global setup uses to hand its throwaway stack to test files. */
export const TEST_PG_ADMIN_URL_ENV = 'STORYFORGE_TEST_PG_ADMIN_URL';
export const TEST_REDIS_URL_ENV = 'STORYFORGE_TEST_REDIS_URL';
/** Name of the database every migrated test database is cloned from. */
export const MIGRATED_TEMPLATE = 'storyforge_template';

export function requireTestEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(
      `${name} is not set: run tests through vitest with the @storyforge/db global setup (npm test), not directly`,
    );
  }
  return value;
}
