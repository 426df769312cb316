import { LiveChatError } from '../errors.js';
import { matchesAttribute, matchesTags } from '../model/audience.js';
import { contentText } from '../model/content-text.js';
import type { Message } from '../model/message.js';
import type { TagRule, TagRuleActions, TagRuleContext } from '../ports/tag-rule.js';
import { parseTagRuleDefinition, type TagRuleCondition, type TagRuleDefinition } from './rule-language.js';

type Test = (context: TagRuleContext) => boolean;

// Lower-cased message text, computed once per message however many rules look at it.
const lowered = new WeakMap<Message, string>();
function textOf(message: Message | null): string {
  if (!message) return '';
  let text = lowered.get(message);
  if (text === undefined) lowered.set(message, (text = contentText(message.content).toLowerCase()));
  return text;
}

/** Turns a condition into a closure once, so evaluating a rule does no parsing or regex building. */
function compileCondition(condition: TagRuleCondition): Test {
  switch (condition.type) {
    case 'all': {
      const parts = condition.of.map(compileCondition);
      return (c) => parts.every((p) => p(c));
    }
    case 'any': {
      const parts = condition.of.map(compileCondition);
      return (c) => parts.some((p) => p(c));
    }
    case 'not': {
      const inner = compileCondition(condition.of);
      return (c) => !inner(c);
    }
    case 'text': {
      if (condition.regex !== undefined) {
        const pattern = new RegExp(condition.regex, 'iu');
        return (c) => c.message !== null && pattern.test(contentText(c.message.content));
      }
      const words = (Array.isArray(condition.contains) ? condition.contains : [condition.contains!]).map((w) => w.toLowerCase());
      return (c) => {
        const text = textOf(c.message);
        return text.length > 0 && words.some((w) => text.includes(w));
      };
    }
    case 'attribute': {
      const { type: _type, ...test } = condition;
      return (c) => matchesAttribute(Object.hasOwn(c.contact.attributes, test.key) ? c.contact.attributes[test.key] : undefined, test);
    }
    case 'tags': {
      const { type: _type, ...filter } = condition;
      return (c) => matchesTags(c.contact.tags, filter);
    }
    case 'state': {
      const states = new Set(condition.in);
      return (c) => c.conversation !== null && states.has(c.conversation.state);
    }
    case 'referral': {
      const headline = condition.headlineContains?.toLowerCase();
      return (c) => {
        const r = c.contact.referral;
        if (!r) return false;
        if (condition.sourceId !== undefined && r.sourceId !== condition.sourceId) return false;
        if (condition.sourceType !== undefined && r.sourceType !== condition.sourceType) return false;
        return headline === undefined || (r.headline ?? '').toLowerCase().includes(headline);
      };
    }
    case 'changed': {
      const keys = condition.keys ? new Set(condition.keys) : null;
      return (c) => (c.changes ?? []).some((change) => keys === null || keys.has(change.key));
    }
  }
}

/**
 * Compiles a declarative rule (validated first) into a {@link TagRule}. Conditions are turned
 * into closures once; evaluating costs only the tests themselves.
 *
 * @example
 * ```ts
 * const rule = compileTagRule({ id: 'vip-de', on: ['attribute.changed'],
 *   if: { type: 'attribute', key: 'country', op: 'equals', value: 'DE' }, then: { add: ['dach'] } });
 * ```
 * @public
 */
export function compileTagRule(definition: TagRuleDefinition): TagRule {
  const rule = parseTagRuleDefinition(definition);
  const triggers = new Set(rule.on);
  const test = rule.if ? compileCondition(rule.if) : () => true;
  const actions: TagRuleActions = { ...(rule.then.add ? { add: rule.then.add } : {}), ...(rule.then.remove ? { remove: rule.then.remove } : {}) };
  return {
    id: rule.id,
    evaluate: (context) => (triggers.has(context.trigger) && test(context) ? actions : null),
  };
}

/**
 * Validates and compiles a list of rules, declarative or code, in order. A declarative rule that
 * fails to parse is an `INVALID_INPUT` naming the rule and the path (`[index, ...]`); two rules
 * with one id are refused, since the journey names rules by id.
 * @public
 */
export function compileTagRules(rules: ReadonlyArray<TagRule | TagRuleDefinition>): TagRule[] {
  const seen = new Set<string>();
  return rules.map((rule, index) => {
    const compiled =
      typeof (rule as TagRule).evaluate === 'function' && typeof (rule as TagRule).id === 'string'
        ? (rule as TagRule)
        : compileTagRule(parseTagRuleDefinition(rule, index));
    if (seen.has(compiled.id)) {
      throw new LiveChatError('INVALID_INPUT', { message: `Tag rule "${compiled.id}" is defined twice.`, path: [index, 'id'], details: { ruleId: compiled.id } });
    }
    seen.add(compiled.id);
    return compiled;
  });
}
