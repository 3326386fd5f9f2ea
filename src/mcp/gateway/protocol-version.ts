/**
 * The protocol version a session negotiated is authoritative for it. Some clients (the conformance suite
 * 0.1.13 among them) label later requests with an older `mcp-protocol-version` than they negotiated; the
 * SDK transport would then withhold 2025-11-25 stream features (priming events, polling). Such a request is
 * served at the negotiated version. Unknown versions are left alone for the transport to refuse (400).
 */
import type { IncomingMessage } from 'node:http';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

export function negotiatedVersion(initializeBody: unknown): string {
  const requested = (initializeBody as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

export function alignProtocolVersion(req: IncomingMessage, negotiated: string): void {
  const sent = req.headers['mcp-protocol-version'];
  if (typeof sent !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(sent) || sent >= negotiated) return;
  req.headers['mcp-protocol-version'] = negotiated;
  for (let index = 0; index < req.rawHeaders.length; index += 2) {
    if (req.rawHeaders[index].toLowerCase() === 'mcp-protocol-version') req.rawHeaders[index + 1] = negotiated;
  }
}
