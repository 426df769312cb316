import { useCallback } from 'react';
import type { InboxState, JourneyView, OpenConversation, ProfileView } from '../inbox/state.js';
import { useInboxStore } from './inbox-context.js';
import { useStoreSelector } from './use-store-selector.js';

const identity = <T>(value: T) => value;

/**
 * The inbox state, or the part of it `selector` picks (tabs, counts, notices, ...).
 * @example
 * ```tsx
 * const active = useInbox((s) => s.tabs.active);
 * ```
 * @public
 */
export function useInbox<T = InboxState>(selector?: (state: InboxState) => T, isEqual?: (a: T, b: T) => boolean): T {
  return useStoreSelector(useInboxStore(), (selector ?? identity) as (state: InboxState) => T, isEqual);
}

/**
 * The open chat (messages, reply window, permissions), or the part of it `selector` picks.
 * @public
 */
export function useConversation<T = OpenConversation | null>(selector?: (open: OpenConversation | null) => T, isEqual?: (a: T, b: T) => boolean): T {
  const pick = useCallback((s: InboxState) => (selector ? selector(s.open) : (s.open as T)), [selector]);
  return useStoreSelector(useInboxStore(), pick, isEqual);
}

/**
 * The open chat contact's profile (attributes, tags), or the part of it `selector` picks.
 * @public
 */
export function useProfile<T = ProfileView | null>(selector?: (profile: ProfileView | null) => T, isEqual?: (a: T, b: T) => boolean): T {
  const pick = useCallback((s: InboxState) => (selector ? selector(s.profile) : (s.profile as T)), [selector]);
  return useStoreSelector(useInboxStore(), pick, isEqual);
}

/**
 * The open chat contact's journey, or the part of it `selector` picks.
 * @public
 */
export function useJourney<T = JourneyView | null>(selector?: (journey: JourneyView | null) => T, isEqual?: (a: T, b: T) => boolean): T {
  const pick = useCallback((s: InboxState) => (selector ? selector(s.journey) : (s.journey as T)), [selector]);
  return useStoreSelector(useInboxStore(), pick, isEqual);
}
