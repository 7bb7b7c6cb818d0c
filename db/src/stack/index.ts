export { StackError, type StackErrorCode } from './stack-error';
export { provisionSystem, missingSystemPackages } from './provision';
export { startPostgresCluster, type RunningPostgres, type PostgresClusterOptions } from './postgres-cluster';
export { startRedisServer, type RunningRedis, type RedisServerOptions } from './redis-server';
export { startTestStack, type TestStack, type TestStackOptions } from './test-stack';
export { startDevStack, DEV_DATABASE, type DevStack, type DevStackOptions } from './dev-stack';
export { checkDatabase } from './check-database';
export { freePort, portInUse } from './free-port';
