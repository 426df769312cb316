// A minimal router for web-standard handlers: `METHOD /path/:param` patterns, 404 for unknown
// paths and 405 (with Allow) for known paths with another method.

/** What a route handler gets: the request and the decoded path parameters. */
export interface RouteContext {
  request: Request;
  params: Record<string, string>;
  url: URL;
}

export type RouteHandler = (ctx: RouteContext) => Promise<Response> | Response;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/** Builds a router from `['GET /api/things/:id', handler]` pairs. */
export function router(table: Array<[string, RouteHandler]>): (request: Request) => Promise<Response> {
  const routes: Route[] = table.map(([spec, handler]) => {
    const [method, path] = spec.split(' ') as [string, string];
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { method, pattern: new RegExp(`^${source}/?$`), names, handler };
  });

  return async (request) => {
    const url = new URL(request.url);
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    if (matching.length === 0) return json(404, { error: { code: 'NOT_FOUND', message: `No route ${url.pathname}.` } });
    const route = matching.find((r) => r.method === request.method);
    if (!route) {
      const allow = [...new Set(matching.map((r) => r.method))].join(', ');
      return json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${allow}.` } }, { allow });
    }
    const values = route.pattern.exec(url.pathname)!.slice(1);
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(values[i]!)]));
    return route.handler({ request, params, url });
  };
}
