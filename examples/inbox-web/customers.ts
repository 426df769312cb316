import { randomUUID } from 'node:crypto';
import { webhookSignatures } from '../../src/adapters/whatsapp/index.js';
import { webhookEnvelope } from '../whatsapp-server/envelope.js';
import type { FakeGraph } from '../whatsapp-server/fake-graph.js';

// Simulated customers on WhatsApp: they write to the server through signed webhooks, exactly as
// Meta would post them, and read what the business sends them from the fake Graph API.

/** A simulated customer. */
export interface Customer {
  name: string;
  /** WhatsApp id (the phone number without `+`). */
  phone: string;
  /** What they say over time, in order; the simulator loops through it. */
  lines: string[];
}

export const defaultCustomers: Customer[] = [
  {
    name: 'Maya Ortiz',
    phone: '15551230001',
    lines: ['Hi! Do you sell monstera plants?', 'What do they cost?', 'Can I talk to a person please?', 'It is for my office, we need about ten.'],
  },
  {
    name: 'Oliver Smith',
    phone: '447700900123',
    lines: ['Hello, when do you deliver to London?', 'Is express delivery possible?', 'Thanks!', 'One more question about watering.'],
  },
  { name: 'Mei Tanaka', phone: '5511987654321', lines: ['What are your opening hours?', 'Are you open on Sunday?', 'Great, see you then.'] },
  {
    name: 'Lena Fischer',
    phone: '4915112345678',
    lines: ['My succulent arrived with a broken pot.', 'I would like to speak to an agent.', 'I have photos if you need them.'],
  },
  { name: 'Arjun Patel', phone: '919812345678', lines: ['Do you have gift cards?', 'How much is the price of a small cactus?', 'Perfect, thank you'] },
];

export interface CustomerSimulatorOptions {
  serverUrl: string;
  appSecret: string;
  phoneNumberId: string;
  graph: FakeGraph;
  customers?: Customer[];
}

/** Drives simulated customers against a running server. */
export function customerSimulator(options: CustomerSimulatorOptions) {
  const signatures = webhookSignatures(options.appSecret);
  const customers = options.customers ?? defaultCustomers;
  const next = new Map<string, number>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const find = (who: string) => {
    const customer = customers.find((c) => c.phone === who || c.name === who || c.name.split(' ')[0] === who);
    if (!customer) throw new Error(`no simulated customer ${who}`);
    return customer;
  };

  /** `who` (name, first name or phone) sends `text`; `minutesAgo` back-dates it (Meta's timestamp). */
  async function say(who: string, text: string, minutesAgo = 0): Promise<void> {
    const customer = find(who);
    const message = {
      from: customer.phone,
      id: `wamid.SIM${randomUUID().replace(/-/g, '').toUpperCase()}`,
      // Meta's timestamps are whole seconds. Rounding up, not down, makes a message sent now
      // count as now (the engine takes a time from the future as now), so a quick exchange in
      // the demo keeps its order within a second.
      timestamp: String(Math.ceil(Date.now() / 1000 - minutesAgo * 60)),
      type: 'text',
      text: { body: text },
    };
    const body = JSON.stringify(webhookEnvelope(options.phoneNumberId, { contacts: [{ profile: { name: customer.name }, wa_id: customer.phone }], messages: [message] }));
    const response = await fetch(`${options.serverUrl}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': await signatures.sign(body) },
      body,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  }

  /** The texts the business sent to `who`, oldest first (bot and agent replies, templates). */
  function received(who: string): string[] {
    const customer = find(who);
    return options.graph.sends
      .filter((s) => s.to.replace(/^\+/, '') === customer.phone)
      .map((s) => {
        const body = s.body[s.type] as Record<string, unknown>;
        return s.type === 'text' ? String(body['body']) : `[${s.type} ${String(body['name'] ?? '')}]`.trim();
      });
  }

  /** The next line of the customer's script. */
  async function speak(customer: Customer): Promise<void> {
    const i = next.get(customer.phone) ?? 0;
    next.set(customer.phone, i + 1);
    await say(customer.phone, customer.lines[i % customer.lines.length]!);
  }

  return {
    customers,
    say,
    received,
    /** Every customer says their first line. */
    async greet(): Promise<void> {
      for (const customer of customers) await speak(customer);
    },
    /** Keeps customers talking: one line from a random customer every `everyMs`. */
    start(everyMs = 8000): void {
      timer ??= setInterval(() => {
        const customer = customers[Math.floor(Math.random() * customers.length)]!;
        speak(customer).catch((error: unknown) => console.error('[customers] could not deliver:', error));
      }, everyMs);
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

export type CustomerSimulator = ReturnType<typeof customerSimulator>;
