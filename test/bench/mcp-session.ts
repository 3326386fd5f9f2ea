/**
 * A lightweight MCP client session for load: `initialize` and `notifications/initialized` once, then raw
 * JSON-RPC `tools/call` POSTs over an undici pool. It costs the bench process far less per call than the SDK
 * `Client` on fetch, so on two shared cores the client side does not dominate what is measured. Every answer
 * is checked (the sum must be right): a fast error is not throughput.
 */
import type { Dispatcher } from 'undici';
import { addCallBody, findAnswer, POST_HEADERS, PROTOCOL_VERSION, resultText, type JsonRpcAnswer } from './mcp-wire.js';

const INITIALIZE_ID = 0;

export class McpBenchSession {
  private nextId = INITIALIZE_ID + 1;

  private constructor(
    private readonly dispatcher: Dispatcher,
    private readonly path: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  /** Opens a session on `path` (e.g. `/mcp` on the fixture, `/bench/mcp` on Gatehouse). */
  static async open(dispatcher: Dispatcher, path: string): Promise<McpBenchSession> {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: INITIALIZE_ID,
      method: 'initialize',
      params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'gatehouse-bench', version: '1.0.0' } },
    });
    const response = await dispatcher.request({ method: 'POST', path, headers: POST_HEADERS, body });
    const text = await response.body.text();
    const sessionId = response.headers['mcp-session-id'];
    const answer = findAnswer(String(response.headers['content-type'] ?? ''), text, INITIALIZE_ID);
    if (response.statusCode !== 200 || typeof sessionId !== 'string' || answer?.result === undefined) {
      throw new Error(`initialize on ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    const headers = { ...POST_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL_VERSION };
    const session = new McpBenchSession(dispatcher, path, headers);
    const initialized = await dispatcher.request({
      method: 'POST',
      path,
      headers,
      body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    });
    await initialized.body.dump();
    if (initialized.statusCode !== 202) throw new Error(`notifications/initialized on ${path} answered ${initialized.statusCode}`);
    return session;
  }

  /** One `tools/call` of `add(a, 1)`; throws unless the answer is the right sum. */
  async callAdd(a: number): Promise<void> {
    const id = this.nextId++;
    const answer = await this.post(id, addCallBody(id, a));
    const text = resultText(answer);
    if (text !== String(a + 1)) throw new Error(`tools/call on ${this.path} answered ${JSON.stringify(answer).slice(0, 300)}`);
  }

  /** Ends the session (DELETE), so neither server keeps it after the run. */
  async close(): Promise<void> {
    const response = await this.dispatcher.request({ method: 'DELETE', path: this.path, headers: this.headers });
    await response.body.dump();
  }

  private async post(id: number, body: string): Promise<JsonRpcAnswer> {
    const response = await this.dispatcher.request({ method: 'POST', path: this.path, headers: this.headers, body });
    const text = await response.body.text();
    const answer = response.statusCode === 200 ? findAnswer(String(response.headers['content-type'] ?? ''), text, id) : undefined;
    if (!answer) throw new Error(`request ${id} on ${this.path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    return answer;
  }
}
