// The testing kit: published so that an integrator writing an adapter runs the same suite the
// built-in adapters pass. Imports vitest (an optional peer dependency).

export { manualClock, type ManualClock } from './manual-clock.js';
export { storeContract, type StoreContractOptions } from './store-contract.js';
