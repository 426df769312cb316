import { keywordBot, type Bot, type KeywordBotOptions, type ReceiveInput } from '../../../src/index.js';

/** The bot every variant runs: a reply for every message, one handoff per contact. */
export const botOptions: KeywordBotOptions = {
  greeting: 'Hi! Ask me about prices, opening hours or delivery.',
  rules: [
    { keywords: ['price'], reply: 'Plans start at $9/month.' },
    { keywords: ['hours'], reply: 'We are open 9:00-18:00, Monday to Friday.' },
    { keywords: ['delivery'], reply: 'Delivery takes 2-3 working days.' },
  ],
  handoffKeywords: ['agent', 'human'],
  handoffReply: 'Connecting you to an agent.',
  fallback: 'Sorry, I did not get that. Try "price" or "hours".',
};

export const makeBot = (): Bot => keywordBot(botOptions);

// Ten messages per contact: keyword hits, a miss (fallback) and a handoff in the middle, so the
// lifecycle moves Active -> Requested and the bot keeps answering there (default policy).
const script = ['hi', 'what is the price?', 'opening hours?', 'delivery to Pune?', 'hmm', 'I want an agent', 'price again', 'hours?', 'ok', 'thanks'];

/** The shape of the inbound workload: `contacts` x `perContact` messages. */
export interface Workload {
  contacts: number;
  perContact: number;
}

/** The address of contact `i`, the same in every variant. */
export const addressOf = (i: number): string => `+1555${String(i).padStart(7, '0')}`;

/**
 * The inbound messages, round robin over contacts (message 1 of every contact, then message 2,
 * ...), the way concurrent customers interleave. Built lazily so the stream itself costs
 * nothing to keep.
 */
export function* inbound(w: Workload, runId: string): Generator<ReceiveInput> {
  for (let m = 0; m < w.perContact; m += 1) {
    const text = script[m % script.length]!;
    for (let c = 0; c < w.contacts; c += 1) {
      yield { channel: 'whatsapp', from: addressOf(c), externalId: `wamid.${runId}.${c}.${m}`, content: { type: 'text', text } };
    }
  }
}
