import { ConfigError, loadConfig } from './config.js';
import { startServer } from './app.js';

// `npm run example:whatsapp`: the WhatsApp webhook server with the agent API, configured from
// the environment (see README.md).

try {
  const config = loadConfig();
  const running = await startServer(config);
  console.log(`livechat WhatsApp server on ${running.url}`);
  console.log(`  webhook:   ${running.url}/webhook  (Meta callback URL; verify token from WHATSAPP_VERIFY_TOKEN)`);
  console.log(`  agent API: ${running.url}/api  (x-agent-id: ${config.agents.map((a) => a.id).join(' | ')})`);
  const stop = () => {
    console.log('stopping...');
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
