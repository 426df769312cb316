import type { Content } from './content.js';

/** Short human text for a content, for previews, journeys and logs. @public */
export function contentPreview(content: Content): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'image':
    case 'video':
    case 'document':
      return content.caption ?? `[${content.type}]`;
    case 'location':
      return content.name ?? `[location ${content.latitude},${content.longitude}]`;
    case 'contacts':
      return `[contacts: ${content.contacts.map((c) => c.name).join(', ')}]`;
    case 'interactive_reply':
      return content.title;
    case 'quick_reply':
      return content.text;
    case 'reaction':
      return content.emoji ?? '[reaction removed]';
    case 'buttons':
    case 'list':
      return content.body;
    case 'template':
      return `[template ${content.name}]`;
    case 'system':
      return content.text;
    default:
      return `[${content.type === 'unsupported' ? content.originalType : content.type}]`;
  }
}
