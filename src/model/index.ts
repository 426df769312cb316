export * from './actor.js';
export * from './agent.js';
export * from './contact.js';
export * from './content.js';
export * from './conversation.js';
export * from './journey.js';
export * from './message.js';
