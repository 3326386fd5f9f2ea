/**
 * A small real-HTTP client for the key, team and organization management endpoints (LiteLLM has no official
 * JavaScript SDK for them): JSON in, status and JSON out.
 */
export interface AdminAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export class AdminClient {
  constructor(
    private readonly origin: string,
    private readonly apiKey: string | undefined,
  ) {}

  /** `apiKey`: undefined sends the client's own key, null sends none. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, apiKey?: string | null): Promise<AdminAnswer<T>> {
    const key = apiKey === undefined ? this.apiKey : (apiKey ?? undefined);
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  post<T = Record<string, unknown>>(path: string, body: unknown, apiKey?: string) {
    return this.call<T>('POST', path, body, apiKey);
  }

  get<T = Record<string, unknown>>(path: string, apiKey?: string) {
    return this.call<T>('GET', path, undefined, apiKey);
  }

  /** `/key/generate`, failing the test unless it answers 200; returns the `sk-…` key. */
  async generateKey(body: Record<string, unknown>): Promise<string> {
    const answer = await this.post<{ key?: string }>('/key/generate', body);
    if (answer.status !== 200 || typeof answer.body.key !== 'string') {
      throw new Error(`/key/generate answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body.key;
  }

  async expectOk(path: string, body: unknown): Promise<Record<string, unknown>> {
    const answer = await this.post(path, body);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
