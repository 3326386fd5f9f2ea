/**
 * Downstream MCP SDK clients for gateway tests: connects over real Streamable HTTP to a running Gatehouse,
 * remembers every client so a test file can close them all, and reads text out of tool results.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export class DownstreamClients {
  private readonly clients: Client[] = [];

  /** Opens a session on `${origin}${path}`, sending `headers` on every request of it. */
  async connect(origin: string, path: string, headers: Record<string, string> = {}): Promise<Client> {
    const client = new Client({ name: 'gatehouse-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${origin}${path}`), { requestInit: { headers } }));
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    const all = this.clients.splice(0);
    await Promise.all(all.map((client) => client.close().catch(() => undefined)));
  }
}

/** The text of a tool result's first content block (the fixtures answer with one text block). */
export function textOf(result: unknown): string {
  const content = (result as { content?: unknown }).content;
  const first = Array.isArray(content) ? (content[0] as { type?: unknown; text?: unknown } | undefined) : undefined;
  if (first?.type !== 'text' || typeof first.text !== 'string') throw new Error(`not a text result: ${JSON.stringify(result)}`);
  return first.text;
}

/** Polls `check` every 25 ms until it returns true; fails after `timeoutMs` naming `what`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
