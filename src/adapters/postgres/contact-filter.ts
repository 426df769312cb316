import type { AttributeCondition, ContactFilter } from '../../model/audience.js';

/**
 * Turns a {@link ContactFilter} into a SQL condition on `contacts`, appending its parameters to
 * `params` (numbered after the ones already there). Written so the planner can use the indexes:
 * tags with `?&` / `?|` (GIN on `tags`), attribute equality and `in` with `@>` (GIN
 * `jsonb_path_ops` on `attributes`), last seen with a range (b-tree on the UTC day of
 * `last_seen_at`, then the exact time). The semantics are those of `matchesContactFilter`.
 */
export function contactFilterSql(filter: ContactFilter, params: unknown[]): string {
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  if (filter.channel !== undefined) parts.push(`channel = ${bind(filter.channel)}`);
  if (filter.tags?.all) parts.push(`tags ?& ${bind(filter.tags.all)}::text[]`);
  if (filter.tags?.any) parts.push(`tags ?| ${bind(filter.tags.any)}::text[]`);
  if (filter.tags?.none) parts.push(`not (tags ?| ${bind(filter.tags.none)}::text[])`);
  // The index holds the UTC day (schema step 4); the exact bound is checked on the rows it finds.
  const lastSeen = (at: string, dayOp: string, op: string) => {
    const p = bind(at);
    return `last_seen_day ${dayOp} (${p}::timestamptz at time zone 'UTC')::date and last_seen_at ${op} ${p}::timestamptz`;
  };
  if (filter.lastSeen?.from !== undefined) parts.push(lastSeen(filter.lastSeen.from, '>=', '>='));
  if (filter.lastSeen?.to !== undefined) parts.push(lastSeen(filter.lastSeen.to, '<=', '<'));
  for (const condition of filter.attributes ?? []) parts.push(attributeSql(condition, bind));
  return parts.length === 0 ? 'true' : parts.join(' and ');
}

function attributeSql(condition: AttributeCondition, bind: (value: unknown) => string): string {
  // Containment is type-strict (`{"n":1}` does not contain `{"n":"1"}`) and a JSON null never
  // equals a scalar, exactly as `matchesAttribute` wants.
  const contains = (value: unknown) => `attributes @> ${bind(JSON.stringify({ [condition.key]: value }))}::jsonb`;
  const key = () => bind(condition.key);
  switch (condition.op) {
    case 'equals':
      return contains(condition.value);
    case 'notEquals':
      return `not (${contains(condition.value)})`;
    case 'in':
      // An `or` of containments, not `= any(...)`: each arm is a GIN lookup, joined by a BitmapOr.
      return `(${condition.values.map(contains).join(' or ')})`;
    case 'exists':
      return `jsonb_typeof(attributes -> ${key()}) <> 'null'`;
    case 'missing':
      return `coalesce(jsonb_typeof(attributes -> ${key()}), 'null') = 'null'`;
    default: {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[condition.op];
      const k = key();
      // Comparisons never mix types. Numbers compare as jsonb (numeric order, no cast that could
      // fail on text); strings in code-unit order, which the "C" collation gives for UTF-8.
      if (typeof condition.value === 'number')
        return `(jsonb_typeof(attributes -> ${k}) = 'number' and attributes -> ${k} ${op} ${bind(JSON.stringify(condition.value))}::jsonb)`;
      return `(jsonb_typeof(attributes -> ${k}) = 'string' and (attributes ->> ${k}) collate "C" ${op} ${bind(condition.value)}::text collate "C")`;
    }
  }
}
