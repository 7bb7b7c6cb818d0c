// What the server composition wires from the generation cache / vector search / media work (issue 6).
export { createGenerationRoutes, type GenerationRoutes, type GenerationRoutesDeps } from './generation-routes';
export { createSearchRoutes, type SearchRoutesDeps } from '../vector/search-routes';
export { providersFromEnv } from './providers-from-env';
export { createSimulatedProvider } from './simulated-provider';
export type { VideoProvider } from './video-provider';
export { createPgVectorStore } from '../vector/pgvector-store';
export { createPineconeStore } from '../vector/pinecone-store';
export { startExpirySweeper } from '../vector/expiry-sweeper';
export type { VectorStore } from '../vector/vector-store';
export { createHashingEmbedder } from '../vector/hashing-embedder';
export { createOpenAiEmbedder } from '../vector/openai-embedder';
export { createLocalMediaStore } from '../media/local-media-store';
export { createS3MediaStore, type S3Like } from '../media/s3-media-store';
