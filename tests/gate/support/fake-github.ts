import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | undefined;
}

export interface Fault {
  method: string;
  /** Matched against the path without the query string. */
  path: RegExp;
  status: number;
  message: string;
  /** How many matching requests get the fault (Infinity: all). */
  times: number;
}

interface Comment {
  id: number;
  body: string;
  html_url: string;
}

/**
 * A stand-in for the GitHub REST API on 127.0.0.1: issue comments (paginated), check runs, and injected
 * faults (a 502 to prove retries, a 403 like a read-only token). Every request is recorded.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: Comment[] = [];
  readonly faults: Fault[] = [];
  private server: Server = createServer((request, response) => void this.handle(request, response));
  private nextId = 1000;

  /** `otherComments` unrelated comments are on the pull request before the gate runs (forces pagination). */
  constructor(otherComments = 0) {
    for (let index = 0; index < otherComments; index++) this.addComment(`someone else's comment ${index}`);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests other than reads, as "METHOD /path". */
  writes(): string[] {
    return this.requests
      .filter((request) => request.method !== 'GET')
      .map((request) => `${request.method} ${request.path}`);
  }

  private addComment(body: string): Comment {
    const id = this.nextId++;
    const comment = { id, body, html_url: `https://github.example/acme/weather/pull/7#issuecomment-${id}` };
    this.comments.push(comment);
    return comment;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += chunk;
    const url = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname + url.search,
      authorization: request.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const fault = this.faults.find(
      (candidate) => candidate.method === method && candidate.path.test(url.pathname) && candidate.times > 0,
    );
    if (fault) {
      fault.times--;
      return send(fault.status, { message: fault.message });
    }
    const body = text ? JSON.parse(text) : {};
    let match: RegExpExecArray | null;
    if ((match = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      if (method === 'POST') return send(201, this.addComment(body.body));
      const page = Number(url.searchParams.get('page') ?? '1');
      const perPage = Number(url.searchParams.get('per_page') ?? '30');
      const items = this.comments.slice((page - 1) * perPage, page * perPage);
      const more = page * perPage < this.comments.length;
      const next = `${this.url}${url.pathname}?per_page=${perPage}&page=${page + 1}`;
      return send(200, items, more ? { link: `<${next}>; rel="next"` } : {});
    }
    if (
      (match = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname)) &&
      method === 'PATCH'
    ) {
      const comment = this.comments.find((candidate) => candidate.id === Number(match![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = body.body;
      return send(200, comment);
    }
    if (/^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(url.pathname) && method === 'POST') {
      const id = this.nextId++;
      return send(201, { id, html_url: `https://github.example/acme/weather/runs/${id}`, ...body });
    }
    if ((match = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(url.pathname)) && method === 'PATCH') {
      return send(200, { id: Number(match[1]), ...body });
    }
    send(404, { message: `Not Found: ${method} ${url.pathname}` });
  }
}
