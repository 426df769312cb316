import { selectNotices } from 'livechat-engine/inbox';
import { useInbox, useInboxStore } from 'livechat-engine/react';
import { AlertIcon, CloseIcon } from './icons.js';

/** Errors of actions the engine refused (and the page rolled back), until dismissed. */
export function Notices() {
  const store = useInboxStore();
  const notices = useInbox(selectNotices);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status">
      {notices.map((n) => (
        <div key={n.id} className="notice" data-code={n.code}>
          <AlertIcon size={16} />
          <span className="notice-text">{n.message}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => store.dismissNotice(n.id)}>
            <CloseIcon size={13} />
          </button>
        </div>
      ))}
    </div>
  );
}
