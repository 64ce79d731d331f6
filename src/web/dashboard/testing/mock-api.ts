import { vi } from "vitest";

export interface RecordedCall {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export interface MockReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = MockReply | ((call: RecordedCall) => MockReply);

/**
 * Replaces `fetch` (the network boundary) with a router over `"METHOD /path"` keys (query
 * string ignored for matching, kept in `search`). Unknown routes answer 404 in the API's
 * envelope. Returns the recorded calls; `set` adds or replaces a route mid-test.
 */
export function mockApi(routes: Record<string, Handler>) {
  const table = new Map(Object.entries(routes));
  const calls: RecordedCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    const raw = typeof init.body === "string" ? init.body : undefined;
    const call: RecordedCall = { method, path: url.pathname, search: url.searchParams, headers: new Headers(init.headers), body: raw ? JSON.parse(raw) : undefined };
    calls.push(call);
    const handler = table.get(`${method} ${url.pathname}`);
    const reply: MockReply = handler
      ? typeof handler === "function"
        ? handler(call)
        : handler
      : { status: 404, body: { error: { code: "NOT_FOUND", message: `${method} ${url.pathname} not mocked`, requestId: "req_test" } } };
    const status = reply.status ?? 200;
    const isText = typeof reply.body === "string";
    return new Response(status === 204 ? null : isText ? (reply.body as string) : JSON.stringify(reply.body ?? null), {
      status,
      headers: { "Content-Type": isText ? "text/html" : "application/json", ...reply.headers },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    calls,
    set: (key: string, handler: Handler) => table.set(key, handler),
    /** The calls to `"METHOD /path"`. */
    callsTo: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key),
  };
}
