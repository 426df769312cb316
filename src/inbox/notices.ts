import { LiveChatError } from '../errors.js';
import type { Agent } from '../model/agent.js';
import type { InboxNotice } from './state.js';

/**
 * Turns an action's failure into what the viewer reads: the engine's code and details kept for
 * programs, the sentence rewritten with names instead of ids where the code has a subject.
 */
export function noticeOf(
  id: number,
  error: unknown,
  action: InboxNotice['action'],
  conversationId: string | null,
  agents: Readonly<Record<string, Agent>>,
): InboxNotice {
  if (!(error instanceof LiveChatError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { id, code: 'NETWORK_ERROR', message: `Could not reach the server: ${message}`, action, conversationId, details: {} };
  }
  const owner = typeof error.details['owner'] === 'string' ? error.details['owner'] : null;
  const ownerName = owner === null ? 'another agent' : (agents[owner]?.name ?? owner);
  const message = (() => {
    switch (error.code) {
      case 'ALREADY_INTERVENED':
        return `${ownerName} has already intervened in this chat.`;
      case 'FORBIDDEN':
        return `Only ${ownerName}, who has this chat, or an admin can do that.`;
      case 'REPLY_WINDOW_CLOSED':
        return 'The 24-hour reply window has closed: send an approved template instead.';
      default:
        return error.message;
    }
  })();
  return { id, code: error.code, message, action, conversationId, details: error.details };
}

