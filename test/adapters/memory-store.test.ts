import { memoryStore } from '../../src/index.js';
import { storeContract } from '../../src/testing/index.js';

storeContract('memory', () => memoryStore());
