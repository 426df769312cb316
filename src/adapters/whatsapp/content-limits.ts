import { z } from 'zod';
import { parseInput } from '../../errors.js';
import type { OutboundContent } from '../../model/content.js';

// The Cloud API's documented limits (reference section 2). The engine's own content schema
// is channel-neutral; these are checked on top of it, before anything reaches the network.

const max = (n: number, what: string) => z.string().max(n, { message: `${what} is at most ${n} characters` });

const captioned = z.looseObject({ caption: max(1024, 'a caption').optional() });

const buttonsLimits = z.looseObject({
  body: max(1024, 'the body of a button message'),
  footer: max(60, 'the footer').optional(),
  buttons: z
    .array(z.looseObject({ title: max(20, 'a button title') }))
    .max(3, { message: 'a button message has at most 3 buttons' })
    .refine((b) => new Set(b.map((x) => x.id)).size === b.length, { message: 'button ids must be unique' }),
});

const listLimits = z.looseObject({
  sections: z
    .array(
      z.looseObject({
        rows: z.array(
          z.looseObject({ title: max(24, 'a row title'), description: max(72, 'a row description').optional() }),
        ),
      }),
    )
    .max(10, { message: 'a list has at most 10 sections' })
    .refine((s) => s.reduce((n, section) => n + section.rows.length, 0) <= 10, {
      message: 'a list has at most 10 rows in all',
    }),
});

const limitsByType: Partial<Record<OutboundContent['type'], z.ZodType>> = {
  text: z.looseObject({ text: max(4096, 'a text body') }),
  image: captioned,
  video: captioned,
  document: captioned,
  buttons: buttonsLimits,
  list: listLimits,
};

/**
 * Checks outbound content against WhatsApp's limits: text body at most 4096 characters,
 * captions at most 1024, at most 3 reply buttons with titles of at most 20 characters (body at
 * most 1024, footer at most 60), lists of at most 10 sections and 10 rows (row titles at most
 * 24, descriptions at most 72).
 *
 * @throws LiveChatError `INVALID_INPUT` naming the offending path, e.g. `content.buttons`.
 * @example
 * ```ts
 * validateWhatsAppContent({ type: 'buttons', body: 'Pick one', buttons: [...fourButtons] });
 * // LiveChatError INVALID_INPUT: Invalid content.buttons: a button message has at most 3 buttons
 * ```
 * @public
 */
export function validateWhatsAppContent(content: OutboundContent): void {
  const schema = limitsByType[content.type];
  if (schema) parseInput(schema, content, 'content');
}
