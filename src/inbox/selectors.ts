import type { ConversationSummary, InboxNotice, InboxState, InboxView, JourneyView, OpenConversation, ProfileView, ReplyWindow, TabState } from './state.js';

// Selectors return parts of the state as they are (never new objects), so a binding that
// compares results by identity re-renders only when that part changed.

/**
 * A tab's rows and load state.
 * @public
 */
export const selectTab =
  (view: InboxView) =>
  (state: InboxState): TabState =>
    state.tabs[view];

/**
 * The tab being shown.
 * @public
 */
export const selectCurrentTab = (state: InboxState): TabState => state.tabs[state.tab];

/**
 * Every tab's count (`null` until read).
 * @public
 */
export const selectCounts = (state: InboxState): InboxState['counts'] => state.counts;

/**
 * The open chat, or `null`.
 * @public
 */
export const selectOpen = (state: InboxState): OpenConversation | null => state.open;

/**
 * The open chat's reply window, or `null`.
 * @public
 */
export const selectReplyWindow = (state: InboxState): ReplyWindow | null => state.open?.replyWindow ?? null;

/**
 * The open chat contact's profile, or `null`.
 * @public
 */
export const selectProfile = (state: InboxState): ProfileView | null => state.profile;

/**
 * The open chat contact's journey, or `null`.
 * @public
 */
export const selectJourney = (state: InboxState): JourneyView | null => state.journey;

/**
 * Errors to show.
 * @public
 */
export const selectNotices = (state: InboxState): readonly InboxNotice[] => state.notices;

/**
 * One conversation's row wherever it is listed (or open), or `null` when it is not shown.
 * @public
 */
export const selectConversation =
  (id: string) =>
  (state: InboxState): ConversationSummary | null => {
    if (state.open?.id === id && state.open.summary) return state.open.summary;
    for (const tab of Object.values(state.tabs)) {
      const row = tab.items.find((r) => r.id === id);
      if (row) return row;
    }
    return null;
  };
