import type { Content } from './content.js';

/**
 * The words a customer message carries, for keyword matching by bots and tag rules: the text,
 * a media caption, or the id and title of a tapped button or list row.
 * @internal
 */
export function contentText(content: Content): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'interactive_reply':
      return `${content.id} ${content.title}`;
    case 'quick_reply':
      return `${content.payload} ${content.text}`;
    case 'image':
    case 'video':
    case 'document':
      return content.caption ?? '';
    default:
      return '';
  }
}
