import { memoryStore, type Store } from '../../src/index.js';
import type { ServerConfig } from './config.js';

/**
 * Opens the store the server runs on. This is the one place that chooses it: the rest of the
 * server only sees the `Store` port. Today it is the in-memory store (nothing survives a
 * restart). The durable choice plugs in here: PGlite on `config.dataDir` by default, or
 * PostgreSQL when `config.databaseUrl` is set, from `livechat-engine/postgres`.
 */
export async function openStore(config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  void config;
  return memoryStore();
}
