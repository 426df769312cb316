import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/index.js';
import { buildPage } from '../../examples/inbox-web/build-page.js';
import { startInboxServer, type InboxServer } from '../../examples/inbox-web/server.js';

// The Live Chat page in a real browser: two agents in two browser contexts against the example
// server, with a simulated customer on WhatsApp. Each step leaves a screenshot of both agents
// in test-output/live-chat/ to look at.

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`[e2e] skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);

const shots = join(process.cwd(), 'test-output', 'live-chat');
const MAYA = 'Maya Ortiz';

describe.skipIf(!hasChromium)('the Live Chat page, two agents in Chromium', () => {
  let server: InboxServer;
  let browser: Browser;
  let asha: Page;
  let bo: Page;
  let step = 0;

  /** A screenshot of both agents' pages for this step. */
  async function snap(name: string, pages: Array<[string, Page]> = [['asha', asha], ['bo', bo]]) {
    step += 1;
    for (const [who, page] of pages) await page.screenshot({ path: join(shots, `${String(step).padStart(2, '0')}-${name}-${who}.png`) });
  }
  const row = (page: Page, title: string) => page.locator(`.list [data-title="${title}"]`);
  const showTab = (page: Page, view: string) => page.click(`[data-tab=${view}]`);

  beforeAll(async () => {
    await rm(shots, { recursive: true, force: true });
    await mkdir(shots, { recursive: true });
    await buildPage();
    server = await startInboxServer({ logger: silentLogger });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const open = async (agent: string) => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[e2e ${agent}] page error:`, error));
      await page.goto(`${server.url}/?agent=${agent}`);
      await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
      return page;
    };
    [asha, bo] = await Promise.all([open('asha'), open('bo')]);
    console.log(`[e2e] screenshots: ${shots}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the seed\u2019s story: live message, intervene, reply, profile, resolve', async () => {
    // A customer writes: the chat appears live in both agents' Active lists.
    await server.customers.say('Maya', 'Hi! Do you sell monstera plants?');
    for (const page of [asha, bo]) await row(page, MAYA).waitFor();
    for (const page of [asha, bo]) await expect.poll(() => page.getByTestId('count-active').textContent()).toBe('1');
    await snap('customer-writes');

    // She asks for a person: the bot hands off, and both agents open her chat from Requested.
    await server.customers.say('Maya', 'Can I talk to a person please?');
    for (const page of [asha, bo]) {
      await expect.poll(() => page.getByTestId('count-requested').textContent()).toBe('1');
      await showTab(page, 'requested');
      await row(page, MAYA).click();
      await page.getByTestId('chat-state').filter({ hasText: 'Waiting for an agent' }).waitFor();
    }
    await snap('requested');

    // Asha intervenes: Bo loses the chat at once, from his lists and his screen.
    await asha.getByRole('button', { name: 'Intervene', exact: true }).first().click();
    await asha.getByTestId('chat-state').filter({ hasText: 'With you' }).waitFor();
    await bo.getByTestId('chat-hidden').filter({ hasText: 'Asha Rao took this chat' }).waitFor();
    await expect.poll(() => row(bo, MAYA).count()).toBe(0);
    await showTab(bo, 'intervened');
    await expect.poll(() => row(bo, MAYA).count()).toBe(0);
    await showTab(bo, 'active');
    await expect.poll(() => row(bo, MAYA).count()).toBe(0);
    await showTab(asha, 'intervened');
    await row(asha, MAYA).waitFor();
    await snap('asha-intervenes');

    // Asha replies: the simulated customer receives it on WhatsApp, and the ticks turn blue.
    const reply = 'Hi Maya, Asha here. Yes, we have monstera in three sizes. Which one suits your space?';
    await asha.getByLabel('Reply').fill(reply);
    await asha.getByLabel('Reply').press('Enter');
    await expect.poll(() => server.customers.received('Maya')).toContain(reply);
    await asha.locator('.bubble-row-out .tick-read').last().waitFor();
    await snap('asha-replies', [['asha', asha]]);

    // Asha updates the email and adds a tag; the journey records both with her name.
    await asha.getByRole('button', { name: 'Edit Email' }).click();
    await asha.getByLabel('Email', { exact: true }).fill('maya.ortiz@example.com');
    await asha.getByRole('button', { name: 'Save' }).click();
    await asha.getByTestId('attribute-email').filter({ hasText: 'maya.ortiz@example.com' }).waitFor();
    await asha.getByLabel('Add a tag').selectOption('vip');
    await asha.locator('[data-testid=tags] [data-tag=vip]').waitFor();
    const journey = asha.getByTestId('journey');
    await journey.getByText('Asha Rao changed email').waitFor();
    await journey.getByText('Asha Rao added the tag vip').waitFor();
    await expect.poll(() => journey.locator('[data-type="attribute.changed"] .journey-detail').first().textContent()).toBe('(empty) → maya.ortiz@example.com');
    await snap('profile-and-journey', [['asha', asha]]);

    // Asha resolves: Bo sees the chat again.
    await asha.getByRole('button', { name: 'Resolve', exact: true }).click();
    await asha.getByTestId('chat-state').filter({ hasText: 'Resolved' }).waitFor();
    await showTab(bo, 'resolved');
    await row(bo, MAYA).click();
    await bo.getByTestId('chat-state').filter({ hasText: 'Resolved' }).waitFor();
    await bo.locator('.bubble-text', { hasText: reply }).waitFor();
    await snap('resolved-visible-again');

    // A customer whose last message is almost 24 hours old: the composer warns that the reply
    // window is closing, since after it only templates may be sent.
    await server.customers.say('Oliver', 'Do you deliver to London?', 23 * 60 + 45);
    await showTab(asha, 'active');
    await row(asha, 'Oliver Smith').click();
    await asha.getByRole('button', { name: 'Intervene', exact: true }).first().click();
    await asha.getByTestId('window-closing').filter({ hasText: 'The 24-hour reply window closes in 15 minutes' }).waitFor();
    await snap('reply-window-closing', [['asha', asha]]);

    // The server agrees with what the pages show.
    const conversation = (await server.app.chat.inbox({ view: 'resolved' })).items.find((c) => c.resolvedBy === 'asha')!;
    expect(conversation).toMatchObject({ state: 'resolved', resolvedBy: 'asha' });
    const contact = (await server.app.chat.contact(conversation.contactId))!;
    expect(contact.attributes).toMatchObject({ email: 'maya.ortiz@example.com' });
    expect(contact.tags['vip']).toMatchObject({ source: 'manual', actor: { type: 'agent', id: 'asha' } });
  }, 180_000);
});
