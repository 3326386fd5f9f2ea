/** A tiny JSON client for the admin routes (/v1/mcp/server, /key, /team, …) of a test Gatehouse. */
export interface AdminResponse {
  status: number;
  body: unknown;
  text: string;
}

/** A JSON request to the proxy; `key` goes in `Authorization: Bearer`. */
export async function adminRequest(origin: string, method: string, path: string, options: { key?: string; body?: unknown } = {}): Promise<AdminResponse> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}
