import { Fragment, useEffect, useRef, useState } from 'react';
import type { Agent } from 'livechat-engine';
import type { InboxState, MessageView, OpenConversation } from 'livechat-engine/inbox';
import { useConversation, useInbox, useInboxStore } from 'livechat-engine/react';
import { clockTime, dayLabel } from '../format.js';
import { stateLabel } from '../labels.js';
import { Avatar } from './avatar.js';
import { Composer } from './composer.js';
import { AlertIcon, ArrowRightIcon, BotIcon, HandIcon, ImageIcon, LocationIcon, TemplateIcon, Tick } from './icons.js';

const selectViewer = (s: InboxState) => s.viewer;
const selectAgents = (s: InboxState) => s.agents;

/** The middle column: the open chat, its actions and the composer. */
export function ChatPane() {
  const open = useConversation();
  if (!open) {
    return (
      <section className="chat chat-empty">
        <div className="empty-card">
          <div className="empty-illustration" aria-hidden="true">
            <span />
            <span />
            <span />
          </div>
          <h2>Pick a chat to start</h2>
          <p>The bot answers every customer first. Open a chat from the list to read it, intervene and reply.</p>
        </div>
      </section>
    );
  }
  if (open.status === 'hidden') {
    return (
      <section className="chat chat-empty" data-testid="chat-hidden">
        <div className="empty-card">
          <HandIcon size={36} />
          <h2>{open.hiddenBy ?? 'Another agent'} took this chat</h2>
          <p>Only the agent who intervened can see it now. It comes back to everyone once they resolve it.</p>
        </div>
      </section>
    );
  }
  if (open.status === 'missing' || open.status === 'failed') {
    return (
      <section className="chat chat-empty">
        <div className="empty-card">
          <h2>This chat is not available</h2>
          <p>It may have been taken by another agent, or it no longer exists.</p>
        </div>
      </section>
    );
  }
  return (
    <section className="chat" data-testid="chat" data-state={open.summary?.state}>
      <ChatHeader open={open} />
      <Messages open={open} />
      <Composer open={open} />
    </section>
  );
}

function ChatHeader({ open }: { open: OpenConversation }) {
  const store = useInboxStore();
  const viewer = useInbox(selectViewer);
  const agents = useInbox(selectAgents);
  const summary = open.summary;
  const [transferring, setTransferring] = useState(false);
  if (!summary) return <header className="chat-head chat-head-loading" />;
  const busy = summary.pending !== null;
  const others = Object.values(agents).filter((a: Agent) => a.id !== summary.assignee);
  return (
    <header className="chat-head">
      <Avatar name={summary.title} id={summary.contactId} size={40} />
      <div className="chat-head-text">
        <h2 data-testid="chat-title">{summary.title}</h2>
        <span className="chat-head-sub">
          {summary.address}
          <span className={`state-badge state-${summary.state}`} data-testid="chat-state">
            {stateLabel(summary, viewer?.id)}
          </span>
        </span>
      </div>
      <div className="chat-actions">
        {open.can.intervene && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void store.intervene(open.id)}>
            <HandIcon /> Intervene
          </button>
        )}
        {open.can.manage && (
          <>
            <div className="menu-wrap">
              <button type="button" className="btn btn-ghost" disabled={busy} aria-expanded={transferring} onClick={() => setTransferring((v) => !v)}>
                <ArrowRightIcon /> Transfer
              </button>
              {transferring && (
                <div className="menu" role="menu">
                  <div className="menu-title">Hand this chat to</div>
                  {others.length === 0 && <div className="menu-empty">No other agents</div>}
                  {others.map((agent) => (
                    <button
                      key={agent.id}
                      type="button"
                      role="menuitem"
                      className="menu-item"
                      onClick={() => {
                        setTransferring(false);
                        void store.transfer(agent.id, { conversationId: open.id });
                      }}
                    >
                      <Avatar name={agent.name} id={agent.id} size={24} />
                      {agent.name}
                      {agent.role === 'admin' && <span className="menu-hint">Admin</span>}
                    </button>
                  ))}
                </div>
              )}
            </div>
            <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void store.release({ conversationId: open.id })}>
              Release
            </button>
            <button type="button" className="btn btn-success" disabled={busy} onClick={() => void store.resolve({ conversationId: open.id })}>
              Resolve
            </button>
          </>
        )}
      </div>
    </header>
  );
}

const selectTemplates = (s: InboxState) => s.templates;

function Messages({ open }: { open: OpenConversation }) {
  const store = useInboxStore();
  const templates = useInbox(selectTemplates);
  const end = useRef<HTMLDivElement>(null);
  const last = open.messages.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [last, open.id]);
  let day = '';
  return (
    <div className="messages" data-testid="messages">
      {open.hasOlder && (
        <button type="button" className="load-older" onClick={() => void store.loadOlderMessages()}>
          Load earlier messages
        </button>
      )}
      {open.messages.map((m) => {
        const label = dayLabel(m.at);
        const separator = label !== day;
        day = label;
        return (
          <Fragment key={m.id}>
            {separator && <div className="day">{label}</div>}
            <Bubble message={m} templates={templates} />
          </Fragment>
        );
      })}
      <div ref={end} />
    </div>
  );
}

function ContentIcon({ type }: { type: string }) {
  if (type === 'image' || type === 'video' || type === 'sticker') return <ImageIcon size={14} />;
  if (type === 'location') return <LocationIcon size={14} />;
  if (type === 'template') return <TemplateIcon size={14} />;
  return null;
}

function Bubble({ message, templates }: { message: MessageView; templates: InboxState['templates'] }) {
  if (message.author.type === 'system') return <div className="system-note">{message.text}</div>;
  const kind = message.direction === 'inbound' ? 'in' : message.author.type === 'bot' ? 'bot' : 'out';
  const text = message.content.type === 'template' ? templateText(message, templates) : message.text;
  return (
    <div className={`bubble-row bubble-row-${kind}`} data-direction={message.direction} data-local={message.local || undefined}>
      <div className={`bubble bubble-${kind} ${message.local ? 'bubble-local' : ''}`}>
        {kind !== 'in' && (
          <span className="bubble-author">
            {kind === 'bot' && <BotIcon size={12} />}
            {message.authorName}
          </span>
        )}
        {message.content.type !== 'text' && (
          <span className="bubble-kind">
            <ContentIcon type={message.content.type} />
            {message.content.type === 'template' ? 'Template' : message.content.type === 'location' ? 'Location' : message.content.type === 'image' ? 'Photo' : null}
          </span>
        )}
        <span className="bubble-text">{text}</span>
        <span className="bubble-meta">
          {clockTime(message.at)}
          {message.direction === 'outbound' && <Tick tick={message.tick} />}
        </span>
        {message.error && (
          <span className="bubble-error">
            <AlertIcon size={12} /> Not delivered: {message.error.message}
          </span>
        )}
      </div>
    </div>
  );
}

/** A template's body with its parameters filled in, as the customer sees it. */
export function templateText(message: Pick<MessageView, 'content'>, templates: InboxState['templates']): string {
  const content = message.content as { name: string; components?: Array<{ type: string; parameters?: Array<{ type: string; text?: string }> }> };
  const params = content.components?.find((c) => c.type === 'body')?.parameters?.map((p) => p.text ?? '') ?? [];
  const body = templates.find((t) => t.name === content.name)?.body;
  if (body) return body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => params[Number(n) - 1] || `{{${n}}}`);
  return [content.name.replace(/_/g, ' '), ...params].join(' · ');
}
