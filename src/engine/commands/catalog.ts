import { LiveChatError, parseInput } from '../../errors.js';
import type { AttributeDefinition } from '../../model/attribute.js';
import type { Actor } from '../../model/actor.js';
import type { Contact } from '../../model/contact.js';
import type { JourneyEvent } from '../../model/journey.js';
import { tagNameSchema, type TagDefinition } from '../../model/tag.js';
import type { VersionedWrite } from '../../ports/store.js';
import { journal, nowIso, type EngineContext } from '../context.js';
import {
  adminByInputSchema,
  attributeDefinitionInputSchema,
  tagDefinitionInputSchema,
  type AdminByInput,
  type AttributeDefinitionInput,
  type TagDefinitionInput,
} from '../profile-inputs.js';
import { untagContact, type ContactChange } from '../tagging.js';
import { runUnit } from '../unit-of-work.js';
import { requireAdmin } from './agents.js';

// Renames and deletes touch every contact holding the tag: in atomic batches of this many, so a
// popular tag never becomes one huge transaction that live traffic keeps conflicting with.
const BATCH = 200;

/**
 * What `chat.tags.rename` did: the catalog entry under its new name (`null` for a tag that was not
 * in the catalog) and how many contacts had the tag moved.
 * @public
 */
export interface TagRenameResult {
  /** The catalog entry under its new name, or `null` when the tag was not in the catalog. */
  definition: TagDefinition | null;
  /** Contacts whose assignment moved to the new name. */
  contacts: number;
}

/**
 * Registers an attribute, or updates its definition. Values already stored are kept as they are;
 * new writes are validated against the new definition.
 */
export async function defineAttribute(ctx: EngineContext, raw: AttributeDefinitionInput, options?: AdminByInput): Promise<AttributeDefinition> {
  const input = parseInput(attributeDefinitionInputSchema, raw, 'attribute definition');
  await requireAdmin(ctx, parseInput(adminByInputSchema, options, 'options').by);
  return runUnit(ctx, async () => {
    const existing = (await ctx.store.listAttributeDefinitions()).find((d) => d.key === input.key);
    const record: AttributeDefinition = {
      key: input.key,
      type: input.type,
      label: input.label,
      options: input.options ?? null,
      description: input.description ?? null,
      createdAt: existing?.createdAt ?? nowIso(ctx),
      version: (existing?.version ?? 0) + 1,
    };
    return { changes: { attributeDefinitions: [{ record, expectedVersion: existing?.version ?? null }] }, result: record };
  });
}

/** Adds a tag to the catalog, or updates its category, description or colour. */
export async function defineTag(ctx: EngineContext, raw: TagDefinitionInput, options?: AdminByInput): Promise<TagDefinition> {
  const input = parseInput(tagDefinitionInputSchema, raw, 'tag definition');
  await requireAdmin(ctx, parseInput(adminByInputSchema, options, 'options').by);
  return runUnit(ctx, async () => {
    const existing = (await ctx.store.listTagDefinitions()).find((d) => d.name === input.name);
    const record: TagDefinition = {
      name: input.name,
      category: input.category,
      description: input.description ?? null,
      color: input.color ?? null,
      createdAt: existing?.createdAt ?? nowIso(ctx),
      version: (existing?.version ?? 0) + 1,
    };
    return { changes: { tagDefinitions: [{ record, expectedVersion: existing?.version ?? null }] }, result: record };
  });
}

/** Applies `change` to every contact holding `tag`, batch by batch, each batch one unit of work. */
async function forEachHolder(ctx: EngineContext, tag: string, change: (contact: Contact, at: string) => ContactChange): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await runUnit(ctx, async () => {
      // Always the first page: contacts already changed no longer hold the tag.
      const page = await ctx.store.listContacts({ tags: { all: [tag] } }, { limit: BATCH });
      const at = nowIso(ctx);
      const contacts: VersionedWrite<Contact>[] = [];
      const journey: JourneyEvent[] = [];
      for (const contact of page.items) {
        const changed = change(contact, at);
        contacts.push({ record: { ...changed.contact, version: contact.version + 1 }, expectedVersion: contact.version });
        journey.push(...changed.journey);
      }
      return { changes: { contacts, journey }, result: page.items.length };
    });
    total += done;
    if (done < BATCH) return total;
  }
}

const holders = (ctx: EngineContext, tag: string) => ctx.store.countContacts({ tags: { all: [tag] } });

/**
 * Renames a tag. The catalog entry is renamed first, atomically; then every contact's assignment
 * moves to the new name, keeping its provenance, in atomic batches, each recorded as
 * `tag.renamed` in the contact's journey. A contact that already has the new name keeps that
 * assignment. If the process stops midway, calling `rename` again finishes the move. Tags outside
 * the catalog (automated ones) can be renamed too.
 */
export async function renameTag(ctx: EngineContext, rawFrom: string, rawTo: string, options?: AdminByInput): Promise<TagRenameResult> {
  const from = parseInput(tagNameSchema, rawFrom, 'from');
  const to = parseInput(tagNameSchema, rawTo, 'to');
  const actor = await requireAdmin(ctx, parseInput(adminByInputSchema, options, 'options').by);
  if (from === to) throw new LiveChatError('INVALID_INPUT', { message: 'A tag cannot be renamed to its own name.', path: [], details: { from, to } });
  const definition = await runUnit<TagDefinition | null>(ctx, async () => {
    const catalog = await ctx.store.listTagDefinitions();
    const old = catalog.find((d) => d.name === from);
    const target = catalog.find((d) => d.name === to) ?? null;
    if (old && target) throw new LiveChatError('ALREADY_EXISTS', { message: `The catalog already has a tag "${to}".`, details: { tag: to } });
    if (!old) {
      // Resuming an interrupted rename, or renaming a tag that is not in the catalog.
      if (!target && (await holders(ctx, from)) === 0) throw new LiveChatError('UNKNOWN_TAG', { message: `No tag "${from}" in the catalog or on any contact.`, details: { tag: from } });
      return { changes: {}, result: target };
    }
    const record: TagDefinition = { ...old, name: to, version: 1 };
    return { changes: { tagDefinitionDeletes: [{ name: from, expectedVersion: old.version }], tagDefinitions: [{ record, expectedVersion: null }] }, result: record };
  });
  const contacts = await forEachHolder(ctx, from, (contact, at) => renameOn(ctx, contact, from, to, actor, at));
  return { definition, contacts };
}

function renameOn(ctx: EngineContext, contact: Contact, from: string, to: string, actor: Actor, at: string): ContactChange {
  const { [from]: moved, ...rest } = contact.tags;
  const assignment = rest[to] ?? moved!;
  return {
    contact: { ...contact, tags: { ...rest, [to]: assignment } },
    journey: [journal(ctx, { type: 'tag.renamed', contactId: contact.id, conversationId: null, actor, at, data: { from, to, assignment } })],
  };
}

/**
 * Deletes a tag: its catalog entry (atomically), then its assignments on every contact, in
 * atomic batches, each recorded as `tag.removed` with the reason. Calling it again finishes an
 * interrupted delete. `UNKNOWN_TAG` when neither the catalog nor any contact has it.
 */
export async function deleteTag(ctx: EngineContext, rawName: string, options?: AdminByInput): Promise<{ contacts: number }> {
  const name = parseInput(tagNameSchema, rawName, 'tag');
  const actor = await requireAdmin(ctx, parseInput(adminByInputSchema, options, 'options').by);
  await runUnit(ctx, async () => {
    const existing = (await ctx.store.listTagDefinitions()).find((d) => d.name === name);
    if (existing) return { changes: { tagDefinitionDeletes: [{ name, expectedVersion: existing.version }] }, result: undefined };
    if ((await holders(ctx, name)) === 0) throw new LiveChatError('UNKNOWN_TAG', { message: `No tag "${name}" in the catalog or on any contact.`, details: { tag: name } });
    return { changes: {}, result: undefined };
  });
  const source = actor.type === 'agent' ? 'manual' : 'api';
  const contacts = await forEachHolder(ctx, name, (contact, at) =>
    untagContact(ctx, contact, name, { actor, at, source, conversationId: null, reason: 'tag deleted' }),
  );
  return { contacts };
}
