import { z } from 'zod';
import { agentSchema, type Agent } from '../../src/index.js';

// Configuration comes from environment variables only, checked all at once, so a deploy with
// three missing variables fails once with three names, not three times with one.

const missing = (hint: string) => (issue: { input?: unknown }) => (issue.input === undefined || issue.input === '' ? `missing: ${hint}` : hint);
const required = (hint: string) => z.string({ error: missing(hint) }).min(1, { error: missing(hint) });

const envSchema = z.object({
  WHATSAPP_VERIFY_TOKEN: required('the token you type in Meta\'s webhook settings ("Verify token")'),
  WHATSAPP_APP_SECRET: required('the app secret from the Meta app dashboard (App settings > Basic), used to check webhook signatures'),
  WHATSAPP_ACCESS_TOKEN: required('a system-user access token with the whatsapp_business_messaging permission'),
  WHATSAPP_PHONE_NUMBER_ID: z
    .string({ error: missing('the business phone number id (WhatsApp > API setup), digits') })
    .regex(/^\d+$/, { error: 'the business phone number id is digits (not the phone number itself)' }),
  WHATSAPP_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, { error: 'a Graph API version such as v25.0' }).default('v25.0'),
  WHATSAPP_API_BASE_URL: z.url({ error: 'a URL such as https://graph.facebook.com' }).default('https://graph.facebook.com'),
  PORT: z.coerce.number({ error: 'a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  AGENTS: z.string().default('admin:Admin:admin'),
  DATA_DIR: z.string().min(1).default('.data/livechat'),
  DATABASE_URL: z.string().min(1).optional(),
});

/** The server's configuration, parsed from the environment. */
export interface ServerConfig {
  verifyToken: string;
  appSecret: string;
  accessToken: string;
  phoneNumberId: string;
  graphVersion: string;
  graphBaseUrl: string;
  port: number;
  host: string;
  /** Agents registered at start-up. */
  agents: Agent[];
  /** Where the embedded durable store keeps its files. */
  dataDir: string;
  /** A PostgreSQL server to use instead of the embedded store. */
  databaseUrl: string | null;
}

/** A configuration problem: every offending variable with what it should hold. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; problem: string }>) {
    super(`The server is not configured:\n${problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n')}\nSet them in the environment (see examples/whatsapp-server/README.md).`);
    this.name = 'ConfigError';
  }
}

/** `AGENTS` is `id:Name[:role],...`, for example `asha:Asha Rao:admin,bo:Bo Chen`. */
function parseAgents(spec: string): Agent[] | string {
  const agents: Agent[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, name, role = 'agent'] = item.split(':').map((s) => s.trim());
    const parsed = agentSchema.safeParse({ id, name: name || id, role });
    if (!parsed.success) return `"${item}" is not id:Name[:agent|admin]`;
    agents.push(parsed.data);
  }
  return agents.length > 0 ? agents : 'list at least one agent as id:Name[:agent|admin]';
}

/**
 * Reads the configuration from `env` (default `process.env`).
 * @throws ConfigError naming every missing or malformed variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => ({ variable: String(i.path[0]), problem: i.message }));
  const agents = parseAgents(parsed.success ? parsed.data.AGENTS : (env['AGENTS'] ?? 'admin:Admin:admin'));
  if (typeof agents === 'string') problems.push({ variable: 'AGENTS', problem: agents });
  if (!parsed.success || typeof agents === 'string') throw new ConfigError(problems);
  const e = parsed.data;
  return {
    verifyToken: e.WHATSAPP_VERIFY_TOKEN,
    appSecret: e.WHATSAPP_APP_SECRET,
    accessToken: e.WHATSAPP_ACCESS_TOKEN,
    phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
    graphVersion: e.WHATSAPP_GRAPH_VERSION,
    graphBaseUrl: e.WHATSAPP_API_BASE_URL,
    port: e.PORT,
    host: e.HOST,
    agents,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
  };
}
