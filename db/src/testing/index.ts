export { createTestDatabase, dropDatabase, testRedisUrl, testKeyPrefix, type TestDatabase, type TestDatabaseOptions } from './test-database';
export { TEST_PG_ADMIN_URL_ENV, TEST_REDIS_URL_ENV, MIGRATED_TEMPLATE } from './env';
