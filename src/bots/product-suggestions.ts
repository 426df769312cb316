import { z } from 'zod';
import type { AttributeValue } from '../model/contact.js';
import type { OutboundContent } from '../model/content.js';

const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);

/**
 * A product catalog for {@link keywordBot}'s suggestions: each product says which attribute
 * values it suits (for example `{ country: ['DE', 'AT'], size: ['11-50', '51+'] }`); a product
 * suits a customer when every attribute it names has one of its values. `ask` says how to ask for
 * a missing attribute, with the options offered as buttons (up to 3) or a list (up to 10).
 * @public
 */
export const productSuggestionsSchema = z.object({
  catalog: z
    .array(
      z.object({
        id: z.string().min(1).max(128),
        name: z.string().min(1).max(200),
        description: z.string().max(500).optional(),
        suits: z.record(z.string().min(1), z.array(scalar).min(1)),
      }),
    )
    .min(1),
  ask: z
    .array(
      z.object({
        attribute: z.string().min(1).max(128),
        question: z.string().min(1).max(1024),
        options: z.array(z.object({ value: scalar, title: z.string().min(1).max(24) })).min(1).max(10),
      }),
    )
    .default([]),
  /** Words that ask for a suggestion. */
  keywords: z.array(z.string().min(1)).default(['product', 'recommend', 'suggest']),
  /** Said before the suggested products. */
  intro: z.string().min(1).default('Based on what you told us, we suggest:'),
  /** Said when nothing fits. */
  none: z.string().min(1).default('We could not find a product that fits you; an agent can help.'),
});

/**
 * The product catalog of {@link keywordBot} (see {@link productSuggestionsSchema}).
 * @public
 */
export type ProductSuggestions = z.output<typeof productSuggestionsSchema>;

/** The id of a button or row answering "which value of `attribute`?". */
export const answerId = (attribute: string, value: string | number | boolean) => `attr:${attribute}=${JSON.stringify(value)}`;

/** The attribute and value a tapped answer button carries, if it is one. */
export function parseAnswer(id: string): { attribute: string; value: AttributeValue } | null {
  if (!id.startsWith('attr:')) return null;
  const eq = id.indexOf('=');
  if (eq < 0) return null;
  try {
    const value = JSON.parse(id.slice(eq + 1)) as unknown;
    return scalar.safeParse(value).success ? { attribute: id.slice(5, eq), value: value as AttributeValue } : null;
  } catch {
    return null;
  }
}

/** What the bot does about a suggestion: ask for an attribute, or say what fits (maybe nothing). */
export type Suggestion =
  | { kind: 'ask'; attribute: string; content: OutboundContent }
  | { kind: 'products'; products: ProductSuggestions['catalog']; content: OutboundContent };

const has = (attributes: Readonly<Record<string, AttributeValue>>, key: string) =>
  Object.hasOwn(attributes, key) && attributes[key] !== null;

/**
 * Suggests products for a customer's attributes. Walks `ask` in order: the first attribute that
 * some still-possible product depends on and the customer has not given is asked for. Once
 * nothing is missing, the products whose every requirement matches are suggested.
 */
export function suggestProducts(config: ProductSuggestions, attributes: Readonly<Record<string, AttributeValue>>): Suggestion {
  const fits = (product: ProductSuggestions['catalog'][number]) =>
    Object.entries(product.suits).every(([key, values]) => !has(attributes, key) || values.includes(attributes[key] as string | number | boolean));
  const possible = config.catalog.filter(fits);
  for (const question of config.ask) {
    if (has(attributes, question.attribute) || !possible.some((p) => Object.hasOwn(p.suits, question.attribute))) continue;
    const buttons = question.options.map((o) => ({ id: answerId(question.attribute, o.value), title: o.title }));
    const content: OutboundContent =
      buttons.length <= 3
        ? { type: 'buttons', body: question.question, buttons }
        : { type: 'list', body: question.question, button: 'Choose', sections: [{ rows: buttons }] };
    return { kind: 'ask', attribute: question.attribute, content };
  }
  // Nothing left to ask: a product fits only if every attribute it names is given and matches.
  const products = possible.filter((p) => Object.keys(p.suits).every((key) => has(attributes, key)));
  const text =
    products.length === 0
      ? config.none
      : [config.intro, ...products.map((p) => `• ${p.name}${p.description ? ` — ${p.description}` : ''}`)].join('\n');
  return { kind: 'products', products, content: { type: 'text', text } };
}
