// Node module hooks that load a second copy of the engine in which the lifecycle step is the
// actor-per-event pattern (actor-transition.ts) instead of src/lifecycle/transition.ts. Every
// other line of the engine is the same code, so the end-to-end comparison changes one thing.
// Modules of the copy carry `?variant=actor` in their URL, which keeps them apart from the
// normal engine in the module cache; node_modules are shared.

const TAG = 'variant=actor';
const src = new URL('../../../src/', import.meta.url).href;
const original = new URL('lifecycle/transition.ts', src).href;
const replacement = new URL('./actor-transition.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const parent = context.parentURL ?? '';
  if (!parent.includes(TAG) || !resolved.url.startsWith(src) || resolved.url.includes(TAG)) return resolved;
  const url = resolved.url === original && parent.startsWith(src) ? replacement : resolved.url;
  return { ...resolved, url: `${url}?${TAG}` };
}
