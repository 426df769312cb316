import type { z } from 'zod';
import { channelErrorInputSchema, receiveInputSchema, statusInputSchema } from '../../engine/inputs.js';
import type { ChannelErrorInput, ReceiveInput, StatusInput } from '../../engine/inputs.js';
import { inboundContent } from './inbound-content.js';
import { envelopeSchema, type MessagesValue, type WebhookMessage, type WebhookStatus } from './webhook-schemas.js';

/**
 * Everything one webhook POST asks of the engine, fully validated before any of it is done:
 * a batch is ingested whole or refused whole.
 */
export interface IngestPlan {
  /** Customer messages, oldest first. */
  receives: ReceiveInput[];
  /** Delivery receipts, oldest first. */
  statuses: StatusInput[];
  /** Account or app errors to announce. */
  errors: ChannelErrorInput[];
  /** Updates acknowledged without effect: other fields, other numbers, unknown statuses. */
  ignored: number;
}

/** Why a body is not a WhatsApp envelope: the first offending path and what is wrong. */
export interface PlanRejection {
  path: PropertyKey[];
  message: string;
}

const statusMap: Record<string, StatusInput['status']> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice message that was played has certainly been read.
  played: 'read',
  failed: 'failed',
};

const atOf = (unixSeconds: string) => new Date(Number(unixSeconds) * 1000);

/** Meta's snake_case keys into the engine's camelCase (`source_url` -> `sourceUrl`), nested too. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelKeys(v)]));
}

/** The contact address the engine keys a customer on: `+<digits>`, or the username user id. */
export function addressOf(message: Pick<WebhookMessage, 'from' | 'from_user_id'>): string {
  if (message.from !== undefined) return /^\d+$/.test(message.from) ? `+${message.from}` : message.from;
  return message.from_user_id!;
}

function profileName(value: MessagesValue, message: WebhookMessage): string | undefined {
  const contacts = value.contacts ?? [];
  const match =
    contacts.find((c) => (message.from !== undefined && c.wa_id === message.from) || (message.from_user_id !== undefined && c.user_id === message.from_user_id)) ??
    (contacts.length === 1 && contacts[0]!.wa_id === undefined && contacts[0]!.user_id === undefined ? contacts[0] : undefined);
  // The engine caps names at 512 characters; a longer one is cut rather than refusing the batch.
  return match?.profile?.name?.slice(0, 512) || undefined;
}

function receiveOf(channel: string, value: MessagesValue, message: WebhookMessage): ReceiveInput {
  const name = profileName(value, message);
  return {
    channel,
    from: addressOf(message),
    externalId: message.id,
    at: atOf(message.timestamp),
    content: inboundContent(message),
    ...(name === undefined ? {} : { profile: { name } }),
    ...(message.referral ? { referral: camelKeys(message.referral) as ReceiveInput['referral'] } : {}),
    ...(message.context?.id ? { replyTo: message.context.id } : {}),
  };
}

function statusOf(channel: string, status: WebhookStatus): StatusInput | null {
  const mapped = statusMap[status.status];
  if (!mapped) return null;
  const error = status.errors?.[0];
  return {
    channel,
    externalId: status.id,
    status: mapped,
    at: atOf(status.timestamp),
    ...(mapped === 'failed' && error
      ? { error: { code: String(error.code), message: [error.message ?? error.title ?? 'delivery failed', error.error_data?.details].filter(Boolean).join(': ') } }
      : {}),
  };
}

function check<S extends z.ZodType>(schema: S, input: unknown, path: PropertyKey[]): PlanRejection | null {
  const parsed = schema.safeParse(input);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return { path: [...path, ...issue.path], message: issue.message };
}

/**
 * Validates a parsed webhook body and turns it into an {@link IngestPlan}, or says why it is
 * not a WhatsApp envelope. Every engine input is checked against the engine's own schemas
 * here, so ingesting the plan cannot fail on input. Pure: nothing is written.
 */
export function planEnvelope(body: unknown, options: { channel: string; phoneNumberId?: string | undefined }): { ok: true; plan: IngestPlan } | { ok: false; rejection: PlanRejection } {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, rejection: { path: issue.path, message: issue.message } };
  }
  const plan: IngestPlan = { receives: [], statuses: [], errors: [], ignored: 0 };
  const { channel } = options;
  for (const [e, entry] of parsed.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      const at = ['entry', e, 'changes', c, 'value'];
      if (change.field !== 'messages') {
        plan.ignored += 1;
        continue;
      }
      const value = change.value;
      const updates = (value.messages?.length ?? 0) + (value.statuses?.length ?? 0) + (value.errors?.length ?? 0);
      // Another business number of the same app: not ours to store or answer.
      if (options.phoneNumberId !== undefined && value.metadata.phone_number_id !== options.phoneNumberId) {
        plan.ignored += updates;
        continue;
      }
      for (const [m, message] of (value.messages ?? []).entries()) {
        const input = receiveOf(channel, value, message);
        const bad = check(receiveInputSchema, input, [...at, 'messages', m]);
        if (bad) return { ok: false, rejection: bad };
        plan.receives.push(input);
      }
      for (const [s, status] of (value.statuses ?? []).entries()) {
        const input = statusOf(channel, status);
        if (!input) {
          plan.ignored += 1;
          continue;
        }
        const bad = check(statusInputSchema, input, [...at, 'statuses', s]);
        if (bad) return { ok: false, rejection: bad };
        plan.statuses.push(input);
      }
      for (const [x, error] of (value.errors ?? []).entries()) {
        const input: ChannelErrorInput = {
          channel,
          code: String(error.code),
          message: (error.message ?? error.title ?? 'WhatsApp reported an error').slice(0, 4096),
          details: { title: error.title, errorData: error.error_data, phoneNumberId: value.metadata.phone_number_id, businessAccountId: entry.id },
        };
        const bad = check(channelErrorInputSchema, input, [...at, 'errors', x]);
        if (bad) return { ok: false, rejection: bad };
        plan.errors.push(input);
      }
    }
  }
  // Meta does not order a batch: the customer's own timestamps do.
  const time = (i: { at?: unknown }) => (i.at as Date).getTime();
  plan.receives.sort((a, b) => time(a) - time(b));
  // Receipts only move forward, so ties (delivered and read in one second) settle either way.
  plan.statuses.sort((a, b) => time(a) - time(b));
  return { ok: true, plan };
}
