import type { InboxState } from 'livechat-engine/inbox';
import { useInbox } from 'livechat-engine/react';
import { Avatar } from './avatar.js';

const selectViewer = (s: InboxState) => s.viewer;
const selectConnection = (s: InboxState) => s.connection;

const connectionText = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' } as const;

/** The product bar: brand, connection, and who is signed in. */
export function TopBar() {
  const viewer = useInbox(selectViewer);
  const connection = useInbox(selectConnection);
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="28" height="28">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 10h14a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-7l-5 4v-4H9a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2z" fill="white" />
          </svg>
        </span>
        <span className="brand-name">Lucky Shrub</span>
        <span className="brand-divider" />
        <span className="brand-product">Live Chat</span>
      </div>
      <div className="top-bar-right">
        <span className={`connection connection-${connection}`} data-testid="connection">
          <span className="connection-dot" />
          {connectionText[connection]}
        </span>
        {viewer && (
          <a className="viewer" href="?" title="Switch agent">
            <Avatar name={viewer.name} id={viewer.id} size={30} />
            <span className="viewer-text">
              <span className="viewer-name" data-testid="viewer-name">{viewer.name}</span>
              <span className="viewer-role">{viewer.role === 'admin' ? 'Admin' : 'Agent'}</span>
            </span>
          </a>
        )}
      </div>
    </header>
  );
}
