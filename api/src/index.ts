// @storyforge/api public surface (mutation API). The generation cache exports its own pieces.
export { createApiApp, API_PATHS, DEFAULT_RATE_LIMIT, type ApiAppDeps } from './app';
export { createAuthenticate, type Authenticate } from './auth/authenticate';
export { issueToken, verifyToken } from './auth/tokens';
export { ServerClock, DEFAULT_MAX_CLOCK_DRIFT_MS, type ServerClockOptions } from './clock/server-clock';
export { ApiError, API_ERROR_STATUS, type ApiErrorCode, type ApiErrorBody } from './errors/api-error';
export { withTransaction } from './mutations/with-transaction';
export { applyMutations, type ApplyMutationsOptions, type ApplyMutationsResult } from './mutations/apply-mutations';
export { type Mutation, type MutationBatch, type MutationResult } from './mutations/mutation-schema';
export { grantCredits, debitCredits, type CreditChangeOptions, type CreditChange } from './ledger/credits';
export { createHttpMetrics, metricsMiddleware } from './metrics/http-metrics';
