// Meta signs every webhook POST: `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the raw
// body bytes keyed with the app secret. Web Crypto only, so this runs in Node, Deno, Bun,
// workers and edge runtimes alike.

const encoder = new TextEncoder();
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

function importKey(appSecret: string): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', encoder.encode(appSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Equal-length byte comparison whose time does not depend on where the first difference is. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Checks webhook signatures for one app secret (the HMAC key is imported once).
 * @public
 */
export interface SignatureVerifier {
  /**
   * Whether `header` (the `X-Hub-Signature-256` value) signs exactly `body`, the raw bytes as
   * received. Never re-serialise parsed JSON to check it: Meta's escapes would not survive.
   */
  verify(body: Uint8Array<ArrayBuffer>, header: string | null): Promise<boolean>;
  /** The header value Meta would send for `body`: for tests, simulations and benchmarks. */
  sign(body: Uint8Array<ArrayBuffer> | string): Promise<string>;
}

/**
 * Creates a {@link SignatureVerifier} for `appSecret`. A missing or malformed header fails
 * without any HMAC work; a well-formed one is compared in constant time.
 *
 * @example
 * ```ts
 * const signatures = webhookSignatures(process.env.WHATSAPP_APP_SECRET!);
 * const header = await signatures.sign('{"object":"whatsapp_business_account","entry":[]}');
 * await signatures.verify(new TextEncoder().encode('{"object":"whatsapp_business_account","entry":[]}'), header); // true
 * ```
 * @public
 */
export function webhookSignatures(appSecret: string): SignatureVerifier {
  let key: Promise<CryptoKey> | null = null;
  const mac = async (body: Uint8Array<ArrayBuffer>) => {
    key ??= importKey(appSecret);
    return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', await key, body));
  };
  return {
    async verify(body, header) {
      const match = header === null ? null : SIGNATURE.exec(header.trim());
      if (!match) return false;
      return timingSafeEqual(await mac(body), hexBytes(match[1]!));
    },
    async sign(body) {
      const bytes = typeof body === 'string' ? encoder.encode(body) : body;
      const digest = await mac(bytes);
      return `sha256=${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    },
  };
}

/** Constant-time equality of two strings (the verify token of the GET handshake). */
export function safeStringEqual(a: string, b: string): boolean {
  return timingSafeEqual(encoder.encode(a), encoder.encode(b));
}
