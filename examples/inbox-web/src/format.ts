import { differenceInCalendarDays, format, formatDistanceStrict } from 'date-fns';

// Times as people read them in a chat app: clock time today, the weekday this week, a date
// before that.

/** `14:02` today, `Tue` this week, `3 Mar` before. */
export function listTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = differenceInCalendarDays(now, date);
  if (days === 0) return format(date, 'HH:mm');
  if (days < 7) return format(date, 'EEE');
  return format(date, 'd MMM');
}

/** `14:02`. */
export const clockTime = (iso: string): string => format(new Date(iso), 'HH:mm');

/** `Today`, `Yesterday`, or `Tuesday, 3 March`. */
export function dayLabel(iso: string, now = new Date()): string {
  const days = differenceInCalendarDays(now, new Date(iso));
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return format(new Date(iso), 'EEEE, d MMMM');
}

/** `14:02 · 3 Mar`. */
export const stamp = (iso: string): string => format(new Date(iso), 'HH:mm · d MMM');

/** `in 38 minutes`. */
export const fromNow = (iso: string, now = new Date()): string => formatDistanceStrict(new Date(iso), now, { addSuffix: true });

/** Initials of a name or the last digits of a number. */
export function initials(title: string): string {
  const words = title.replace(/[^\p{L}\p{N} ]/gu, '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (/^\d+$/.test(words.join(''))) return words.join('').slice(-2);
  return (words[0]![0]! + (words[1]?.[0] ?? '')).toUpperCase();
}

const palette = ['#0e7490', '#7c3aed', '#c2410c', '#0f766e', '#be185d', '#4d7c0f', '#1d4ed8', '#a16207'];

/** A stable colour per person. */
export function colorOf(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}
