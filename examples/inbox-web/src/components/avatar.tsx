import { colorOf, initials } from '../format.js';

/** A round avatar with initials in a colour of the person's own. */
export function Avatar({ name, id, size = 40 }: { name: string; id: string; size?: number }) {
  return (
    <span className="avatar" style={{ width: size, height: size, background: colorOf(id), fontSize: size * 0.38 }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
