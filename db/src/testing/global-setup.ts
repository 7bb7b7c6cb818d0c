// vitest globalSetup shared by every package: one throwaway Postgres + Redis per test run, plus a
// migrated template database that each test file clones (CREATE DATABASE … TEMPLATE is ~100 ms).
import postgres from 'postgres';
import { startTestStack } from '../stack/test-stack';
import { migrateUp } from '../migrate/index';
import { MIGRATED_TEMPLATE, TEST_PG_ADMIN_URL_ENV, TEST_REDIS_URL_ENV } from './env';

export default async function setup(): Promise<() => Promise<void>> {
  const stack = await startTestStack();
  process.env[TEST_PG_ADMIN_URL_ENV] = stack.postgres.adminUrl;
  process.env[TEST_REDIS_URL_ENV] = stack.redis.url;
  const admin = postgres(stack.postgres.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${MIGRATED_TEMPLATE}"`);
    const url = new URL(stack.postgres.adminUrl);
    url.pathname = `/${MIGRATED_TEMPLATE}`;
    await migrateUp({ databaseUrl: url.toString(), log: () => {} });
  } finally {
    await admin.end({ timeout: 1 });
  }
  return () => stack.stop();
}
