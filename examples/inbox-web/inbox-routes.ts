import { z } from 'zod';
import { LiveChatError, type LiveChat } from '../../src/index.js';
import { errorResponse } from '../whatsapp-server/agent-api.js';
import type { EventStream } from '../whatsapp-server/event-stream.js';
import type { AttributeField, InboxSession, TagDefinition, TemplateOption } from '../../src/inbox/index.js';

/** What the page offers beside the engine's own data. */
export interface InboxCatalogs {
  tagCatalog: TagDefinition[];
  attributeFields: AttributeField[];
  templates: TemplateOption[];
}

/**
 * The few routes the Live Chat page needs on top of the WhatsApp server's agent API: the
 * session (agents, policy, catalogs), the tab counts, the team for the sign-in screen, and a
 * catalog check on manual tags. Anything else goes to `next`.
 */
export function inboxRoutes(deps: { chat: LiveChat; stream: EventStream; catalogs: InboxCatalogs }, next: (request: Request) => Promise<Response>) {
  const { chat, stream, catalogs } = deps;

  async function asAgent(request: Request, handler: (agentId: string) => Promise<unknown>): Promise<Response> {
    const id = request.headers.get('x-agent-id');
    if (!id) return Response.json({ error: { code: 'UNAUTHENTICATED', message: 'Say who you are with the x-agent-id header.' } }, { status: 401 });
    try {
      if (!(await chat.agents.get(id))) return Response.json({ error: { code: 'UNAUTHENTICATED', message: `No agent ${id} is registered.` } }, { status: 401 });
      // The stream position before the read, as the agent API does, so a client resumes from it.
      const head = stream.head();
      return Response.json(await handler(id), { headers: { 'x-last-event-id': head } });
    } catch (error) {
      return errorResponse(error);
    }
  }

  const tagBody = z.object({ tag: z.string() });

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const route = `${request.method} ${url.pathname.replace(/\/+$/, '')}`;
    if (route === 'GET /api/team') return Response.json({ items: await chat.agents.list() });
    if (route === 'GET /api/session') {
      return asAgent(request, async (id): Promise<InboxSession> => ({
        viewer: (await chat.agents.get(id))!,
        agents: await chat.agents.list(),
        adminsSeeAll: chat.policy.adminsSeeAll,
        replyWindow: chat.policy.replyWindow,
        ...catalogs,
      }));
    }
    if (route === 'GET /api/counts') return asAgent(request, (id) => chat.counts({ viewer: id }));
    // Manual tags come from the catalog: an unknown one is an error, not a silent new tag.
    if (request.method === 'POST' && /^\/api\/contacts\/[^/]+\/tags\/?$/.test(url.pathname)) {
      const parsed = tagBody.safeParse(await request.clone().json().catch(() => null));
      if (parsed.success && !catalogs.tagCatalog.some((t) => t.name === parsed.data.tag)) {
        return errorResponse(new LiveChatError('UNKNOWN_TAG', { message: `The tag "${parsed.data.tag}" is not in the catalog.`, details: { tag: parsed.data.tag } }));
      }
    }
    return next(request);
  };
}
