import { z } from 'zod';
import {
  LiveChatError,
  attributeValueSchema,
  conversationStateSchema,
  outboundContentSchema,
  type Agent,
  type Conversation,
  type LiveChat,
  type LiveChatErrorCode,
  type LiveChatEvent,
} from '../../src/index.js';
import type { WhatsAppTransport } from '../../src/adapters/whatsapp/index.js';
import type { EventStream } from './event-stream.js';
import { router, type RouteContext } from './router.js';

// The agent REST API. JSON in and out; the agent says who they are with `x-agent-id` (or
// `?agent=` where a browser cannot set headers: the event stream and media). It is a demo of
// the engine's API, not an identity system: put real authentication in front of it.

const statusOf: Record<LiveChatErrorCode | 'UNAUTHENTICATED', number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_AGENT: 404,
  ALREADY_INTERVENED: 409,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  REPLY_WINDOW_CLOSED: 422,
  UNKNOWN_TAG: 422,
  ALREADY_EXISTS: 409,
  TRANSPORT_CONFIGURATION: 502,
  CHANNEL_ERROR: 502,
  STORE_ERROR: 503,
};

/** An engine error as an HTTP answer: the status from its code, the code in the body. */
export function errorResponse(error: unknown): Response {
  if (error instanceof LiveChatError) {
    return Response.json(
      { error: { code: error.code, message: error.message, ...(error.path.length ? { path: error.path.map(String) } : {}), details: error.details } },
      { status: statusOf[error.code] ?? 500 },
    );
  }
  console.error('[whatsapp-server] unexpected error', error);
  return Response.json({ error: { code: 'INTERNAL', message: 'Something went wrong.' } }, { status: 500 });
}

const unauthenticated = (message: string) => Response.json({ error: { code: 'UNAUTHENTICATED', message } }, { status: 401 });

async function body<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    const text = await request.text();
    raw = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new LiveChatError('INVALID_INPUT', { message: 'The body is not JSON.' });
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new LiveChatError('INVALID_INPUT', { message: `Invalid body${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`, path: issue.path });
}

const pageQuery = (url: URL) => ({
  cursor: url.searchParams.get('cursor'),
  ...(url.searchParams.has('limit') ? { limit: Number(url.searchParams.get('limit')) } : {}),
});
const order = (url: URL) => (url.searchParams.get('order') === 'desc' ? 'desc' : 'asc') as 'asc' | 'desc';

const replySchema = z.union([
  z.object({ text: z.string().min(1), replyTo: z.string().min(1).optional() }),
  z.object({ content: outboundContentSchema, replyTo: z.string().min(1).optional() }),
]);

/**
 * The agent API as a web-standard handler. `stream` serves `/api/events`; every JSON read
 * carries `x-last-event-id`, the stream position it is consistent with.
 */
export function agentApi(deps: { chat: LiveChat; transport: WhatsAppTransport; stream: EventStream }) {
  const { chat, transport, stream } = deps;

  const canSee = (agent: Agent, c: Conversation) =>
    c.state !== 'intervened' || c.assignee === agent.id || (agent.role === 'admin' && chat.policy.adminsSeeAll);

  async function visibility(agent: Agent, event: LiveChatEvent): Promise<boolean> {
    if (event.conversation) return canSee(agent, event.conversation);
    // A broadcast message is in no conversation, so no chat's privacy hides it.
    if (event.message) return event.message.conversationId === null || (await chat.conversation(event.message.conversationId, { viewer: agent.id })) !== null;
    return true;
  }

  /** Runs `handler` for the calling agent, mapping engine errors to statuses. */
  const asAgent =
    (handler: (agent: Agent, ctx: RouteContext) => Promise<unknown>, options: { status?: number; queryAgent?: boolean } = {}) =>
    async (ctx: RouteContext): Promise<Response> => {
      const id = ctx.request.headers.get('x-agent-id') ?? (options.queryAgent ? ctx.url.searchParams.get('agent') : null);
      if (!id) return unauthenticated('Say who you are with the x-agent-id header.');
      try {
        const agent = await chat.agents.get(id);
        if (!agent) return unauthenticated(`No agent ${id} is registered.`);
        const head = stream.head();
        const result = await handler(agent, ctx);
        return result instanceof Response ? result : Response.json(result, { status: options.status ?? 200, headers: { 'x-last-event-id': head } });
      } catch (error) {
        return errorResponse(error);
      }
    };

  return router([
    ['GET /api/me', asAgent(async (agent) => agent)],
    ['GET /api/agents', asAgent(async () => ({ items: await chat.agents.list() }))],

    [
      'GET /api/inbox/:view',
      asAgent(async (agent, { params, url }) => {
        const view = conversationStateSchema.safeParse(params['view']);
        if (!view.success) throw new LiveChatError('INVALID_INPUT', { message: `No inbox view ${params['view']}: use active, requested, intervened, resolved or history.` });
        const page = await chat.inbox({ view: view.data, viewer: agent.id, ...pageQuery(url) });
        const items = await Promise.all(
          page.items.map(async (conversation) => ({
            conversation,
            contact: await chat.contact(conversation.contactId),
            lastMessage: (await chat.messages(conversation.id, { viewer: agent.id, order: 'desc', limit: 1 })).items[0] ?? null,
          })),
        );
        return { items, nextCursor: page.nextCursor };
      }),
    ],

    [
      'GET /api/conversations/:id',
      asAgent(async (agent, { params, url }) => {
        const conversation = await chat.conversation(params['id']!, { viewer: agent.id });
        if (!conversation) throw new LiveChatError('NOT_FOUND', { message: `No conversation ${params['id']} for ${agent.id}.` });
        // The newest messages, shown oldest first; `olderCursor` pages further back.
        const page = await chat.messages(conversation.id, { viewer: agent.id, order: 'desc', limit: Number(url.searchParams.get('limit') ?? 50) });
        return { conversation, contact: await chat.contact(conversation.contactId), messages: page.items.reverse(), olderCursor: page.nextCursor };
      }),
    ],
    ['GET /api/conversations/:id/messages', asAgent(async (agent, { params, url }) => chat.messages(params['id']!, { viewer: agent.id, order: order(url), ...pageQuery(url) }))],
    ['POST /api/conversations/:id/intervene', asAgent(async (agent, { params }) => chat.intervene(params['id']!, { agentId: agent.id }))],
    ['POST /api/conversations/:id/release', asAgent(async (agent, { params }) => chat.release(params['id']!, { agentId: agent.id }))],
    ['POST /api/conversations/:id/resolve', asAgent(async (agent, { params }) => chat.resolve(params['id']!, { agentId: agent.id }))],
    [
      'POST /api/conversations/:id/transfer',
      asAgent(async (agent, { params, request }) => chat.transfer(params['id']!, { agentId: agent.id, to: (await body(request, z.object({ to: z.string().min(1) }))).to })),
    ],
    [
      'POST /api/conversations/:id/reply',
      asAgent(
        async (agent, { params, request }) => {
          const input = await body(request, replySchema);
          const content = 'text' in input ? ({ type: 'text', text: input.text } as const) : input.content;
          return chat.reply(params['id']!, { agentId: agent.id, content, ...(input.replyTo ? { replyTo: input.replyTo } : {}) });
        },
        { status: 201 },
      ),
    ],
    [
      'POST /api/conversations/:id/read',
      asAgent(async (agent, { params, request }) => {
        const { typing } = await body(request, z.object({ typing: z.boolean().default(false) }));
        const page = await chat.messages(params['id']!, { viewer: agent.id, order: 'desc', limit: 50 });
        const last = page.items.find((m) => m.direction === 'inbound' && m.externalId !== null);
        if (!last) return { marked: null };
        const result = await transport.markAsRead(last.externalId!, { typing });
        if (!result.ok) throw new LiveChatError(result.kind === 'configuration' ? 'TRANSPORT_CONFIGURATION' : 'CHANNEL_ERROR', { message: result.error.message, details: { ...result.error } });
        return { marked: last.externalId };
      }),
    ],

    [
      'GET /api/contacts/:id',
      asAgent(async (_, { params }) => {
        const contact = await chat.contact(params['id']!);
        if (!contact) throw new LiveChatError('NOT_FOUND', { message: `No contact ${params['id']}.` });
        return contact;
      }),
    ],
    [
      'PATCH /api/contacts/:id/attributes',
      asAgent(async (agent, { params, request }) => {
        const { attributes } = await body(request, z.object({ attributes: z.record(z.string().min(1), attributeValueSchema) }));
        return chat.contacts.setAttributes(params['id']!, attributes, { by: { agentId: agent.id } });
      }),
    ],
    [
      'POST /api/contacts/:id/tags',
      asAgent(async (agent, { params, request }) => chat.contacts.addTag(params['id']!, (await body(request, z.object({ tag: z.string().min(1) }))).tag, { by: { agentId: agent.id } }), {
        status: 201,
      }),
    ],
    ['DELETE /api/contacts/:id/tags/:tag', asAgent(async (agent, { params }) => chat.contacts.removeTag(params['id']!, params['tag']!, { by: { agentId: agent.id } }))],
    ['GET /api/contacts/:id/journey', asAgent(async (_, { params, url }) => chat.journey(params['id']!, { order: order(url), ...pageQuery(url) }))],

    [
      'GET /api/media/:mediaId',
      asAgent(
        async (_, { params }) => {
          const file = await transport.downloadMedia(params['mediaId']!);
          return new Response(file.bytes, { headers: { 'content-type': file.mimeType, 'cache-control': 'private, max-age=300' } });
        },
        { queryAgent: true },
      ),
    ],
    ['GET /api/events', asAgent(async (agent, { request }) => stream.open(request, agent, (event) => visibility(agent, event)), { queryAgent: true })],
  ]);
}
