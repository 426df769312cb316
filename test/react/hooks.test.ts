// @vitest-environment happy-dom
import { act, createElement, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { selectTab, type InboxState, type JourneyView, type OpenConversation, type ProfileView } from '../../src/inbox/index.js';
import { InboxProvider, useConversation, useInbox, useJourney, useProfile } from '../../src/react/index.js';
import { inboxSetup, settle } from '../inbox/setup.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
});

// Selectors defined once, outside components, as a page would.
const selectActive = selectTab('active');
const windowState = (open: OpenConversation | null) => open?.replyWindow.state ?? null;
const journeyLength = (journey: JourneyView | null) => journey?.items.length ?? 0;
const tagNames = (profile: ProfileView | null) => profile?.tags.map((t) => t.name) ?? [];
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

describe('React bindings', () => {
  it('re-render a component only when the slice it selects changes', async () => {
    const { say, clock, chat, inboxFor } = await inboxSetup();
    const maya = await say('I want an agent', '+15550001', { profile: { name: 'Maya' } });
    await chat.intervene(maya.conversation.id, { agentId: 'asha' });
    clock.advance(1000);
    await say('hello', '+15550002');
    const store = await inboxFor('asha');
    await store.openConversation(maya.conversation.id);
    await settle(chat);

    const renders = { list: 0, window: 0, profile: 0, tags: 0, journey: 0, everything: 0 };
    const seen: { list: string[]; tags: string[]; journey: number; window: string | null } = { list: [], tags: [], journey: 0, window: null };
    function List(): ReactNode {
      renders.list += 1;
      seen.list = useInbox(selectActive).items.map((r) => r.title);
      return null;
    }
    function Window(): ReactNode {
      renders.window += 1;
      seen.window = useConversation(windowState);
      return null;
    }
    function Profile(): ReactNode {
      renders.profile += 1;
      useProfile();
      return null;
    }
    function Tags(): ReactNode {
      renders.tags += 1;
      seen.tags = useProfile(tagNames, sameList);
      return null;
    }
    function Journey(): ReactNode {
      renders.journey += 1;
      seen.journey = useJourney(journeyLength);
      return null;
    }
    function Everything(): ReactNode {
      renders.everything += 1;
      useInbox((s: InboxState) => s);
      return null;
    }
    const container = document.createElement('div');
    root = createRoot(container);
    await act(async () => {
      root!.render(createElement(InboxProvider, { store }, createElement(List), createElement(Window), createElement(Profile), createElement(Tags), createElement(Journey), createElement(Everything)));
    });
    const start = { ...renders };
    expect(seen).toEqual({ list: ['+15550002'], tags: ['first-message'], journey: 5, window: 'open' });

    // Another customer writes: only the list (and the component reading everything) change.
    await act(async () => {
      clock.advance(1000);
      await say('Do you ship to Spain?', '+15550003', { profile: { name: 'Lena' } });
      await settle(chat);
    });
    expect(seen.list).toEqual(['Lena', '+15550002']);
    expect(renders.list - start.list).toBe(1);
    expect(renders.window - start.window).toBe(0);
    expect(renders.profile - start.profile).toBe(0);
    expect(renders.tags - start.tags).toBe(0);
    expect(renders.journey - start.journey).toBe(0);
    expect(renders.everything - start.everything).toBeGreaterThan(0);

    // The agent replies in the open chat: the journey grows; the profile stays the same object.
    const replied = { ...renders };
    await act(async () => {
      await store.reply('Hi Maya, Asha here.');
      await settle(chat);
    });
    expect(seen.journey).toBe(6);
    expect(renders.profile - replied.profile).toBe(0);
    expect(renders.tags - replied.tags).toBe(0);
    expect(renders.list - replied.list).toBe(0);
    expect(renders.window - replied.window).toBe(0);

    // The agent edits an attribute: the profile and the journey change; the list, the window
    // and the tag list (equal by value) do not.
    const mid = { ...renders };
    await act(async () => {
      await store.setAttribute('email', 'maya@example.com');
      await settle(chat);
    });
    expect(renders.profile - mid.profile).toBeGreaterThan(0);
    expect(renders.journey - mid.journey).toBe(1);
    expect(seen.journey).toBe(7);
    expect(renders.tags - mid.tags).toBe(0);
    expect(renders.list - mid.list).toBe(0);
    expect(renders.window - mid.window).toBe(0);

    // The reply window closing re-renders the component that shows it, and nothing else.
    const late = { ...renders };
    await act(async () => {
      clock.advance(23.5 * 60 * 60 * 1000);
    });
    expect(seen.window).toBe('closing-soon');
    expect(renders.window - late.window).toBe(1);
    expect(renders.list - late.list + renders.profile - late.profile + renders.journey - late.journey).toBe(0);
    store.close();
  });

  it('explains a missing provider', () => {
    function Orphan(): ReactNode {
      useInbox();
      return null;
    }
    root = createRoot(document.createElement('div'));
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => {
      errors.push(e.error);
      e.preventDefault();
    };
    window.addEventListener('error', onError);
    expect(() => act(() => root!.render(createElement(Orphan)))).toThrow(/InboxProvider/);
    window.removeEventListener('error', onError);
  });
});
