import { createMemoryVectorStore } from './memory-vector-store';
import { vectorStoreContract } from './vector-store.contract';

const store = createMemoryVectorStore();
vectorStoreContract('memory (exact reference)', () => store);
