import { http, HttpResponse, type HttpHandler } from 'msw';

// msw handlers that answer like Meta's Graph API: the success bodies and the error bodies
// below are the shapes the Cloud API documents (codes, messages, error_data, fbtrace_id).

export const GRAPH = 'https://graph.facebook.com/v25.0';
export const PHONE_NUMBER_ID = '106540352242922';
export const TOKEN = 'EAAJB-test-token';

type Json = Record<string, unknown>;

function graphError(code: number, message: string, extra: Json = {}): Json {
  return { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: 'AI5Ob5aV8Ch8iV-W8Kv0TnS' } };
}
const details = (text: string) => ({ error_data: { messaging_product: 'whatsapp', details: text } });

/** Meta's answers for the error codes the transport must classify. */
export const metaErrors = {
  reEngagement: () =>
    HttpResponse.json(
      graphError(131047, '(#131047) Re-engagement message', details('Message failed to send because more than 24 hours have passed since the customer last replied to this number.')),
      { status: 400 },
    ),
  throughput: () => HttpResponse.json(graphError(130429, '(#130429) Rate limit hit', details('Cloud API message throughput has been reached.')), { status: 400 }),
  pairRate: () =>
    HttpResponse.json(
      graphError(131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', details('Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.')),
      { status: 400 },
    ),
  tokenExpired: () =>
    HttpResponse.json(
      graphError(190, 'Error validating access token: Session has expired on Friday, 13-Jun-25 10:00:00 PDT. The current time is Monday, 16-Jun-25 02:13:11 PDT.', { error_subcode: 463 }),
      { status: 401 },
    ),
  invalidParameter: () => HttpResponse.json(graphError(100, '(#100) Invalid parameter', details('Parameter value is not valid')), { status: 400 }),
  permission: () => HttpResponse.json(graphError(10, '(#10) Application does not have permission for this action', details('The phone number is not registered to this WABA.')), { status: 403 }),
  serviceUnavailable: () => new HttpResponse(null, { status: 503 }),
  networkFailure: () => HttpResponse.error(),
};

/** One request the fake Graph API received. */
export interface GraphRequest {
  method: string;
  url: string;
  authorization: string | null;
  body: Json | null;
  /** The test clock's time when it arrived. */
  at: number;
}

let sequence = 0;

/**
 * A fake Graph API: `POST /<phone>/messages` (sends and read receipts), `GET /<media id>` and
 * the media file URL. Answers come from `script` in order, then default to success; requests
 * with the wrong token get Meta's 190 answer, malformed ones its 100 answer.
 */
export function graphApi(now: () => number = Date.now) {
  const requests: GraphRequest[] = [];
  const script: Array<() => Response> = [];
  const media = new Map<string, { bytes: Uint8Array; mimeType: string; sha256: string | null }>();

  const record = async (request: Request): Promise<GraphRequest> => {
    const text = request.method === 'POST' ? await request.text() : '';
    const entry = { method: request.method, url: request.url, authorization: request.headers.get('authorization'), body: text ? (JSON.parse(text) as Json) : null, at: now() };
    requests.push(entry);
    return entry;
  };
  const authorized = (r: GraphRequest) => r.authorization === `Bearer ${TOKEN}`;

  const handlers: HttpHandler[] = [
    http.post(`${GRAPH}/:phoneNumberId/messages`, async ({ request }) => {
      const r = await record(request);
      const scripted = script.shift();
      if (scripted) return scripted();
      if (!authorized(r)) return HttpResponse.json(graphError(190, 'Invalid OAuth access token - Cannot parse access token'), { status: 401 });
      const body = r.body ?? {};
      if (body['messaging_product'] !== 'whatsapp') return metaErrors.invalidParameter();
      if (body['status'] === 'read') return HttpResponse.json({ success: true });
      if (typeof body['to'] !== 'string' || typeof body['type'] !== 'string' || !(body['type'] in body)) return metaErrors.invalidParameter();
      sequence += 1;
      return HttpResponse.json({
        messaging_product: 'whatsapp',
        contacts: [{ input: body['to'], wa_id: String(body['to']).replace(/^\+/, '') }],
        messages: [{ id: `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI${String(sequence).padStart(6, '0')}`, message_status: 'accepted' }],
      });
    }),
    http.get(`${GRAPH}/:mediaId`, async ({ request, params }) => {
      const r = await record(request);
      const scripted = script.shift();
      if (scripted) return scripted();
      if (!authorized(r)) return HttpResponse.json(graphError(190, 'Invalid OAuth access token - Cannot parse access token'), { status: 401 });
      const file = media.get(String(params['mediaId']));
      if (!file) return HttpResponse.json(graphError(100, 'Unsupported get request. Object with ID does not exist', { error_subcode: 33 }), { status: 400 });
      return HttpResponse.json({
        messaging_product: 'whatsapp',
        url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${String(params['mediaId'])}&ext=1&hash=ATuX`,
        mime_type: file.mimeType,
        ...(file.sha256 === null ? {} : { sha256: file.sha256 }),
        file_size: file.bytes.byteLength,
        id: params['mediaId'],
      });
    }),
    http.get('https://lookaside.fbsbx.com/whatsapp_business/attachments/', async ({ request }) => {
      const r = await record(request);
      if (!authorized(r)) return new HttpResponse(null, { status: 404 });
      const file = media.get(new URL(request.url).searchParams.get('mid') ?? '');
      if (!file) return new HttpResponse(null, { status: 404 });
      return new HttpResponse(file.bytes, { headers: { 'content-type': file.mimeType } });
    }),
  ];

  return {
    handlers,
    requests,
    /** The next answers, in order, whatever the request. */
    answer(...responses: Array<() => Response>) {
      script.push(...responses);
    },
    /** Makes a media file downloadable under `id`. */
    addMedia(id: string, file: { bytes: Uint8Array; mimeType: string; sha256: string | null }) {
      media.set(id, file);
    },
    /** Bodies of the message sends (not read receipts). */
    get sends() {
      return requests.filter((r) => r.method === 'POST' && r.body?.['status'] !== 'read');
    },
  };
}
