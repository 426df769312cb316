import type { DeliveryError } from '../../model/message.js';
import type { SendFailureKind } from '../../ports/transport.js';

/**
 * Why a retryable failure happened, which decides how long to wait:
 * `throughput` (130429, the business number sends too fast), `pair` (131056, this recipient
 * got too many messages), `app-rate` (4, 80007), `withheld` (131049, not before 24 h),
 * `transient` (service errors, 5xx, the network).
 * @public
 */
export type RetryCause = 'throughput' | 'pair' | 'app-rate' | 'withheld' | 'transient';

/**
 * A classified Graph API failure.
 * @public
 */
export interface GraphFailure {
  /** What the engine should do about it. */
  kind: SendFailureKind;
  /** Set when `kind` is `retryable`. */
  cause: RetryCause | null;
  /** The code and message recorded on the failed message. */
  error: DeliveryError;
}

const retryCauses = new Map<number, RetryCause>([
  [130429, 'throughput'],
  [131056, 'pair'],
  [4, 'app-rate'],
  [80007, 'app-rate'],
  [131049, 'withheld'],
  [1, 'transient'],
  [2, 'transient'],
  [131000, 'transient'],
  [131016, 'transient'],
  [133004, 'transient'],
  [131057, 'transient'],
]);

/** Auth, permission and blocked-account codes: retrying cannot help, a human must fix the setup. */
function isConfiguration(code: number): boolean {
  return code === 190 || code === 0 || code === 3 || code === 10 || (code >= 200 && code <= 299) || code === 368 || code === 131031;
}

/** The Graph API's error body, as far as classification needs it. */
export interface GraphErrorFields {
  /** `error.code`: the only field the classification decides on. */
  code: number;
  /** `error.message`, kept for people. */
  message: string;
  /** `error.error_data.details`, when Meta gives it. */
  details?: string | undefined;
}

const describe = (e: GraphErrorFields) => `WhatsApp error ${e.code}: ${e.message}${e.details ? ` (${e.details})` : ''}`;

/**
 * Classifies a Graph API error by its `error.code` alone (never by HTTP status or text), per
 * the Cloud API error table: 131047 closes the reply window; 190 and the permission codes are
 * configuration errors; throughput, pair-rate, app-rate and transient service errors are
 * retryable; everything else (invalid parameters, undeliverable, spam, opted out, template
 * problems, codes we do not know) is final, so nothing is sent twice on a guess.
 * @public
 */
export function classifyGraphError(e: GraphErrorFields): GraphFailure {
  if (e.code === 131047) {
    return {
      kind: 'window-closed',
      cause: null,
      error: { code: 'REPLY_WINDOW_CLOSED', message: `The 24 h reply window is closed: only a template may be sent. ${describe(e)}` },
    };
  }
  if (isConfiguration(e.code)) {
    return {
      kind: 'configuration',
      cause: null,
      error: {
        code: 'TRANSPORT_CONFIGURATION',
        message: `WhatsApp refused our credentials: the access token is invalid or expired, or lacks the permissions (whatsapp_business_messaging) for this phone number. ${describe(e)}`,
      },
    };
  }
  const cause = retryCauses.get(e.code);
  if (cause) return { kind: 'retryable', cause, error: { code: String(e.code), message: describe(e) } };
  return { kind: 'final', cause: null, error: { code: String(e.code), message: describe(e) } };
}

/** A failure with no Graph error body: the network, or an HTTP status with nothing to read. */
export function classifyBodyless(status: number | null, reason: string): GraphFailure {
  if (status === null) return { kind: 'retryable', cause: 'transient', error: { code: 'network', message: `WhatsApp could not be reached: ${reason}` } };
  // A 5xx or 429 without an error body is the service (or a proxy) being busy.
  if (status >= 500 || status === 429) return { kind: 'retryable', cause: 'transient', error: { code: `http.${status}`, message: `WhatsApp answered HTTP ${status} without an error body` } };
  return { kind: 'final', cause: null, error: { code: `http.${status}`, message: `WhatsApp answered HTTP ${status} with an unreadable body: ${reason}` } };
}
