// livechat-engine/whatsapp: the WhatsApp Cloud API transport and webhook handler.
// Web-standard APIs only (fetch, Request, Response, Web Crypto), except `toNodeHandler`,
// which adapts the handler to node:http.

export {
  whatsappTransport,
  whatsappTransportOptionsSchema,
  type DownloadedMedia,
  type ReadResult,
  type WhatsAppTransport,
  type WhatsAppTransportOptions,
} from './whatsapp-transport.js';
export { validateWhatsAppContent } from './content-limits.js';
export { classifyGraphError, type GraphErrorFields, type GraphFailure, type RetryCause } from './error-classification.js';
export {
  whatsappWebhook,
  whatsappWebhookOptionsSchema,
  type FetchHandler,
  type WhatsAppWebhookOptions,
} from './whatsapp-webhook.js';
export type { IngestSummary } from './webhook-ingest.js';
export { webhookSignatures, type SignatureVerifier } from './signature.js';
export { toNodeHandler, type NodeHandlerOptions } from './node-handler.js';
