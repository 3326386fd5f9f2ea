/**
 * A client transport for a server whose transport is not known in advance (a remote `server_url`): Streamable
 * HTTP first; if the `initialize` POST is answered 400, 404 or 405, the legacy HTTP+SSE transport on the same URL
 * (GET, wait for the `endpoint` event) for the rest of the session — the spec's backwards-compatibility rule
 * (2025-11-25 basic/transports, wire-formats §4.4). The SDK `Client` above sees one transport throughout.
 * Streamable HTTP goes through our undici transport (upstream/streamable-http-client.ts), whose non-2xx answer to
 * a POST is a `StreamableHTTPError` with the status, as the SDK's fetch transport reports it; legacy SSE stays on
 * the SDK transport over `fetch`.
 */
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatcher } from 'undici';
import type { StreamAttribution } from './stream-attribution.js';
import { StreamableHttpClientTransport } from './streamable-http-client.js';

const FALLBACK_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

export type HttpTransportKind = 'streamable-http' | 'sse';

export interface FallbackTransportOptions {
  url: URL;
  headers: Record<string, string>;
  /** Streamable HTTP sends through this dispatcher (the egress-checked Agent). */
  dispatcher: Dispatcher;
  /** Bound on one JSON body or SSE event over Streamable HTTP. */
  maxMessageBytes: number;
  /** The session's call marker: our transport takes it out of a message and notes what the call's stream carries. */
  attribution: StreamAttribution;
  /** Legacy SSE sends through this fetch (egress-checked, size-limited, taking the call marker out). */
  fetch: FetchLike;
  /** Start with this kind (a session that fell back before goes straight to SSE). */
  initial: HttpTransportKind;
  /** Told when the session switched to legacy SSE, so the next session can start there. */
  onFallback?: () => void;
}

export class FallbackTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  private inner: Transport;
  private kind: HttpTransportKind;
  /** Errors the Streamable HTTP transport reports while `initialize` is pending; dropped if we fall back. */
  private heldErrors: Error[] | undefined;

  constructor(private readonly options: FallbackTransportOptions) {
    this.kind = options.initial;
    this.inner = this.create(this.kind);
  }

  get transportKind(): HttpTransportKind {
    return this.kind;
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // A method check, not the SDK's isInitializeRequest: that runs a zod parse on every message (~30 µs a call).
    if (this.kind === 'sse' || (message as { method?: unknown }).method !== 'initialize') return this.inner.send(message, options);
    this.heldErrors = [];
    try {
      await this.inner.send(message, options);
    } catch (error) {
      if (!(error instanceof StreamableHTTPError && error.code !== undefined && FALLBACK_STATUSES.has(error.code))) {
        this.releaseErrors();
        throw error;
      }
      this.heldErrors = undefined;
      try {
        await this.switchToSse();
        return await this.inner.send(message, options);
      } catch (sseError) {
        // The server's own answer to `initialize` says more than the SSE attempt's failure (often a 405 on the GET).
        const detail = sseError instanceof Error ? sseError.message : String(sseError);
        throw new Error(`initialize was answered HTTP ${error.code} over Streamable HTTP, and legacy SSE on the same URL failed too: ${detail}`, {
          cause: error,
        });
      }
    }
    this.releaseErrors();
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private async switchToSse(): Promise<void> {
    const previous = this.inner;
    // Detached first: closing it must not tell the Client the session closed while `initialize` is being retried.
    previous.onclose = previous.onerror = previous.onmessage = undefined;
    await previous.close().catch(() => undefined);
    this.kind = 'sse';
    this.inner = this.create('sse');
    await this.inner.start();
    this.options.onFallback?.();
  }

  private create(kind: HttpTransportKind): Transport {
    const { url, headers, fetch, dispatcher, maxMessageBytes, attribution } = this.options;
    const transport: Transport =
      kind === 'sse'
        ? new SSEClientTransport(url, { requestInit: { headers }, fetch })
        : new StreamableHttpClientTransport({ url, headers, dispatcher, maxMessageBytes, attribution });
    transport.onmessage = (message, extra) => this.onmessage?.(message, extra);
    transport.onclose = () => this.onclose?.();
    transport.onerror = (error) => {
      if (this.heldErrors !== undefined && transport === this.inner) this.heldErrors.push(error);
      else this.onerror?.(error);
    };
    return transport;
  }

  private releaseErrors(): void {
    const held = this.heldErrors ?? [];
    this.heldErrors = undefined;
    for (const error of held) this.onerror?.(error);
  }
}
