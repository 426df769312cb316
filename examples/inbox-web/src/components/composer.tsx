import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { InboxState, OpenConversation, TemplateOption } from 'livechat-engine/inbox';
import { useInbox, useInboxStore } from 'livechat-engine/react';
import { clockTime, fromNow } from '../format.js';
import { AlertIcon, BotIcon, ClockIcon, HandIcon, SendIcon, TemplateIcon } from './icons.js';

const selectTemplates = (s: InboxState) => s.templates;

/**
 * The bottom of the chat. It says why you cannot type when you cannot: the bot has the chat,
 * someone else does, or WhatsApp's 24-hour window closed and only a template may go out.
 */
export function Composer({ open }: { open: OpenConversation }) {
  const store = useInboxStore();
  const summary = open.summary;
  if (!summary) return null;
  if (!open.can.manage) {
    const name = summary.title;
    const text = {
      active: { icon: <BotIcon />, title: `The bot is answering ${name}.`, body: 'Intervene to take over: the bot falls silent and only you can see and answer this chat.' },
      requested: { icon: <HandIcon />, title: `${name} asked to talk to a person.`, body: 'Intervene to take the chat. The first agent to intervene gets it.' },
      resolved: { icon: <BotIcon />, title: 'This chat is resolved.', body: 'The bot answers the customer’s next message. Intervene to write to them yourself.' },
      history: { icon: <ClockIcon />, title: 'This chat is in History.', body: 'A new message from the customer opens a new conversation.' },
      intervened: { icon: <HandIcon />, title: `${summary.assigneeName ?? 'Another agent'} has this chat.`, body: 'Only they or an admin can reply.' },
    }[summary.state];
    return (
      <div className="composer composer-info" data-testid="composer-info">
        <span className="composer-info-icon">{text.icon}</span>
        <div>
          <strong>{text.title}</strong>
          <p>{text.body}</p>
        </div>
        {open.can.intervene && (
          <button type="button" className="btn btn-primary" disabled={summary.pending !== null} onClick={() => void store.intervene(open.id)}>
            Intervene
          </button>
        )}
      </div>
    );
  }
  if (open.replyWindow.state === 'closed') return <TemplateComposer open={open} />;
  return <TextComposer open={open} />;
}

function TextComposer({ open }: { open: OpenConversation }) {
  const store = useInboxStore();
  const [text, setText] = useState('');
  const send = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value) return;
    setText('');
    void store.reply(value, { conversationId: open.id });
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) send(e);
  };
  return (
    <form className="composer" onSubmit={send}>
      {open.replyWindow.state === 'closing-soon' && open.replyWindow.closesAt && (
        <div className="window-note window-note-soon" data-testid="window-closing">
          <ClockIcon size={14} /> The 24-hour reply window closes {fromNow(open.replyWindow.closesAt)} (at {clockTime(open.replyWindow.closesAt)}). After that, only approved templates can be sent.
        </div>
      )}
      <div className="composer-row">
        <textarea value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} placeholder="Write a reply…  (Enter to send, Shift+Enter for a new line)" rows={2} aria-label="Reply" />
        <button type="submit" className="btn btn-send" disabled={!text.trim()} aria-label="Send">
          <SendIcon size={18} />
        </button>
      </div>
    </form>
  );
}

function TemplateComposer({ open }: { open: OpenConversation }) {
  const store = useInboxStore();
  const templates = useInbox(selectTemplates);
  const [name, setName] = useState(templates[0]?.name ?? '');
  const [params, setParams] = useState<string[]>([]);
  const template: TemplateOption | undefined = templates.find((t) => t.name === name);
  const count = template?.parameters ?? 0;
  const filled = Array.from({ length: count }, (_, i) => params[i] ?? '');
  const preview = template?.body?.replace(/\{\{(\d+)\}\}/g, (_, n: string) => filled[Number(n) - 1] || `{{${n}}}`);
  const ready = template !== undefined && filled.every((p) => p.trim() !== '');
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!template || !ready) return;
    void store.reply(
      {
        type: 'template',
        name: template.name,
        language: template.language,
        ...(count > 0 ? { components: [{ type: 'body', parameters: filled.map((text) => ({ type: 'text', text })) }] } : {}),
      },
      { conversationId: open.id },
    );
    setParams([]);
  };
  return (
    <form className="composer composer-template" onSubmit={send} data-testid="template-composer">
      <div className="window-note window-note-closed">
        <AlertIcon size={15} />
        <div>
          <strong>The 24-hour reply window has closed{open.replyWindow.closesAt ? ` (${clockTime(open.replyWindow.closesAt)})` : ''}.</strong> WhatsApp lets a business send free text only within 24 hours of the customer’s
          last message. Send an approved template to reach them; their answer opens the window again.
        </div>
      </div>
      {templates.length === 0 ? (
        <p className="muted">No approved templates are configured for this number.</p>
      ) : (
        <>
          <div className="template-row">
            <label className="field field-grow">
              <span>Template</span>
              <select value={name} onChange={(e) => (setName(e.target.value), setParams([]))}>
                {templates.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.label}
                  </option>
                ))}
              </select>
            </label>
            {filled.map((value, i) => (
              <label className="field" key={i}>
                <span>{`Parameter ${i + 1}`}</span>
                <input value={value} onChange={(e) => setParams((p) => Object.assign([...p], { [i]: e.target.value }))} placeholder={`{{${i + 1}}}`} />
              </label>
            ))}
          </div>
          <div className="template-send">
            <div className="template-preview">
              <span className="template-preview-label">Preview</span>
              {preview ?? template?.label}
            </div>
            <button type="submit" className="btn btn-primary" disabled={!ready}>
              <TemplateIcon /> Send template
            </button>
          </div>
        </>
      )}
    </form>
  );
}
