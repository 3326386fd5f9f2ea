/** stdio upstreams: a child process in its own process group, so shutdown kills its whole tree. */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerDefinition } from '../server-definition.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';
import type { TransportDeps, UpstreamCredentials } from './upstream.js';

export function createStdioTransport(
  server: McpServerDefinition,
  credentials: UpstreamCredentials,
  deps: TransportDeps,
): Transport {
  return new ProcessGroupStdioTransport({
    command: server.command ?? '',
    args: server.args,
    env: credentials.env,
    registry: deps.children,
    onStderr: (line) => deps.onStderr(server, line),
  });
}
