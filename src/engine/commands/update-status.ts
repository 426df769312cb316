import { parseInput } from '../../errors.js';
import { isStatusAdvance, type Message } from '../../model/message.js';
import { journal, nowIso, type EngineContext } from '../context.js';
import { statusInputSchema, type StatusInput } from '../inputs.js';
import { runUnit } from '../unit-of-work.js';
import { figuresFor } from '../campaigns.js';

/**
 * What `chat.updateStatus` returns: the message as stored afterwards (`null` when no message
 * has that external id, for example one sent by another system) and whether it moved.
 * @public
 */
export interface StatusResult {
  /** The message after the receipt, or `null` when no message has that external id. */
  message: Message | null;
  /** Whether the status moved. */
  changed: boolean;
}

/**
 * Applies a delivery receipt. Receipts arrive late, twice and out of order: the status only
 * moves forward, so a duplicate or a stale receipt changes nothing. A broadcast message's
 * receipt moves its campaign's figures in the same commit.
 */
export async function updateStatus(ctx: EngineContext, raw: StatusInput): Promise<StatusResult> {
  const input = parseInput(statusInputSchema, raw, 'status input');
  return runUnit<StatusResult>(ctx, async () => {
    const message = await ctx.store.findMessageByExternalId(input.channel, input.externalId);
    if (!message || !isStatusAdvance(message.status, input.status)) return { changes: {}, result: { message, changed: false } };
    const now = nowIso(ctx);
    const statusAt = input.at?.toISOString() ?? now;
    const error = input.status === 'failed' ? (input.error ?? { code: 'unknown', message: 'the channel reported a failure' }) : message.error;
    const updated: Message = { ...message, status: input.status, statusAt, error };
    const journey =
      input.status === 'failed'
        ? [
            journal(ctx, {
              type: 'message.failed',
              contactId: message.contactId,
              conversationId: message.conversationId,
              actor: { type: 'system' },
              at: now,
              data: { messageId: message.id, code: error?.code, reason: error?.message, stage: 'delivery' },
            }),
          ]
        : [];
    return {
      changes: {
        messageUpdates: [{ id: message.id, expectedStatus: message.status, status: input.status, statusAt, error }],
        journey,
        // A broadcast's figures follow its messages' receipts.
        ...(message.campaignId === undefined ? {} : { campaignIncrements: [{ id: message.campaignId, counts: figuresFor(message.status, input.status) }] }),
      },
      result: { message: updated, changed: true },
      events: [{ type: 'message.status', at: now, journey: null, conversation: null, contact: null, message: updated }],
    };
  });
}
