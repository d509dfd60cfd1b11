/**
 * A fake gateway for component tests: answers fetch calls from a table of routes, records every
 * request, and plays the event stream through a fake EventSource the test drives. It fakes the
 * network only; the app's own code (client, hooks, screens) runs as it does in a browser.
 */
import { act } from "@testing-library/react";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  /** The JSON body, when there was one. */
  json: unknown;
  /** The multipart body, when there was one. */
  form: FormData | null;
}

type Handler = (
  request: RecordedRequest,
  params: Record<string, string>,
) => Response | Promise<Response>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function problem(
  status: number,
  slug: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return new Response(
    JSON.stringify({
      type: `https://careerflow.dev/problems/${slug}`,
      title: "Error",
      status,
      detail,
      ...extra,
    }),
    { status, headers: { "Content-Type": "application/problem+json", ...headers } },
  );
}

export function noContent() {
  return new Response(null, { status: 204 });
}

export class FakeGateway {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];

  /** Answers `method path` (path with `:name` parameters) with `handler`; later routes win. */
  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.routes.unshift({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  /** The requests made to `method path` (exact path, without the query). */
  calls(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request =
      input instanceof Request ? input : new Request(new URL(String(input), location.origin), init);
    const url = new URL(request.url);
    const type = request.headers.get("Content-Type") ?? "";
    const recorded: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      headers: request.headers,
      json: type.includes("application/json") ? await request.json() : undefined,
      form: type.includes("multipart/form-data") ? await request.formData() : null,
    };
    this.requests.push(recorded);
    for (const route of this.routes) {
      const match = route.method === request.method ? route.pattern.exec(url.pathname) : null;
      if (match) {
        const params = Object.fromEntries(route.keys.map((key, i) => [key, match[i + 1] ?? ""]));
        return route.handler(recorded, params);
      }
    }
    return problem(404, "not-found", `no fake route for ${request.method} ${url.pathname}`);
  };

  /** Puts this gateway in place of the network (fetch and EventSource). */
  install(): this {
    vi.stubGlobal("fetch", this.fetch);
    vi.stubGlobal("EventSource", FakeEventSource);
    FakeEventSource.instances = [];
    return this;
  }
}

/** The browser's EventSource, driven by the test: `FakeEventSource.latest(url).send(...)`. */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readyState = FakeEventSource.CONNECTING;

  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeEventSource.instances.push(this);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** The newest stream opened to `url` that is still open. */
  static latest(path: string): FakeEventSource {
    const found = FakeEventSource.instances.filter(
      (s) => s.url.endsWith(path) && s.readyState !== FakeEventSource.CLOSED,
    );
    const source = found.at(-1);
    if (!source) throw new Error(`no open event stream to ${path}`);
    return source;
  }

  open(): void {
    act(() => {
      this.readyState = FakeEventSource.OPEN;
      this.dispatchEvent(new Event("open"));
    });
  }

  /**
   * Sends an `event: <type>` with `data` as JSON, as the gateway does, and lets the app handle
   * it: TanStack Query tells its observers on the next macrotask, so that one is run too before
   * the test looks (else a check that "nothing changed" would pass before anything could).
   */
  async send(type: string, data: unknown): Promise<void> {
    await act(async () => {
      this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}
