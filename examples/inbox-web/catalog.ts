import type { AttributeField, TagDefinition, TemplateOption } from '../../src/inbox/index.js';

// The shop's configuration that the Live Chat page offers. The engine has no tag catalog or
// template registry of its own yet (the profile issue adds the catalog), so the server keeps
// them here and enforces the catalog for manual tags itself.

/** Tags agents may add by hand, by category. */
export const tagCatalog: TagDefinition[] = [
  { name: 'vip', category: 'Customer value', description: 'Spends a lot or often', color: '#b45309' },
  { name: 'wholesale', category: 'Customer value', description: 'Buys for a business', color: '#7c3aed' },
  { name: 'lead', category: 'Sales', description: 'Interested, has not bought yet', color: '#0e7490' },
  { name: 'repeat-buyer', category: 'Sales', color: '#15803d' },
  { name: 'complaint', category: 'Support', description: 'Unhappy with an order', color: '#b91c1c' },
  { name: 'delivery-issue', category: 'Support', color: '#c2410c' },
];

/** Attributes the profile always shows (the seed's qualification parameters). */
export const attributeFields: AttributeField[] = [
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'country', label: 'Country' },
  { key: 'organization', label: 'Organization' },
  { key: 'city', label: 'City' },
];

/** Approved WhatsApp templates, for a closed reply window. */
export const templates: TemplateOption[] = [
  { name: 'follow_up', language: 'en_US', label: 'Follow up on a question', body: 'Hi {{1}}, this is Lucky Shrub following up on your question. Reply here whenever suits you.', parameters: 1 },
  { name: 'order_update', language: 'en_US', label: 'Order update', body: 'Hi {{1}}, your order {{2}} is on its way and should arrive within 2 working days.', parameters: 2 },
  { name: 'hello_world', language: 'en_US', label: 'Hello world', body: 'Hello from Lucky Shrub! How can we help you today?', parameters: 0 },
];
