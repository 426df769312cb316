import '@fontsource-variable/inter';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createInboxStore, remoteSource } from 'livechat-engine/inbox';
import { InboxProvider } from 'livechat-engine/react';
import { App } from './app.js';
import { SignIn } from './components/sign-in.js';

// The agent is named in the URL (`?agent=asha`): the example server trusts it, as a demo of the
// engine's API, not an identity system.
const agent = new URLSearchParams(window.location.search).get('agent');
const root = createRoot(document.getElementById('root')!);

if (!agent) {
  root.render(<SignIn />);
} else {
  const store = createInboxStore({ source: remoteSource({ baseUrl: '' }), viewer: agent });
  root.render(
    <StrictMode>
      <InboxProvider store={store}>
        <App />
      </InboxProvider>
    </StrictMode>,
  );
}
