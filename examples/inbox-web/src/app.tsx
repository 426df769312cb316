import { useInbox } from 'livechat-engine/react';
import { ChatPane } from './components/chat-pane.js';
import { Notices } from './components/notices.js';
import { ProfilePane } from './components/profile-pane.js';
import { Sidebar } from './components/sidebar.js';
import { TopBar } from './components/top-bar.js';

const selectStatus = (s: { status: string }) => s.status;

/** The Live Chat page: conversations, the open chat, and who the customer is. */
export function App() {
  const status = useInbox(selectStatus);
  return (
    <div className="app" data-status={status}>
      <TopBar />
      <main className="columns">
        <Sidebar />
        <ChatPane />
        <ProfilePane />
      </main>
      <Notices />
    </div>
  );
}
