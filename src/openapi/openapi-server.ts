/**
 * The in-process MCP server of one OpenAPI server and one credential variant: an SDK low-level `Server` with
 * `tools/list` (the shared tool set) and `tools/call` (one REST request with this variant's credential headers),
 * declaring `tools.listChanged` and sending it when a spec reload changes the tools. The hub reaches it over
 * the SDK's in-memory transport like any other upstream.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { GatehouseError } from '../http/errors.js';
import type { McpServerDefinition } from '../mcp/server-definition.js';
import { GATEHOUSE_VERSION } from '../version.js';
import type { OpenApiToolSet } from './build-tools.js';
import { callOperation } from './call-operation.js';
import type { OpenApiSpecs } from './spec-registry.js';

export function createOpenApiServer(server: McpServerDefinition, credentialHeaders: Readonly<Record<string, string>>, specs: OpenApiSpecs): Server {
  const settings = server.openapi;
  if (!settings) throw new McpError(ErrorCode.InternalError, `MCP server "${server.name}" has no spec_path.`);
  const mcp = new Server({ name: `gatehouse-openapi-${server.name}`, version: GATEHOUSE_VERSION }, { capabilities: { tools: { listChanged: true } } });

  const tools = async (): Promise<OpenApiToolSet> => {
    try {
      return await specs.toolSet(server.id);
    } catch (error) {
      // Crosses the in-memory transport as a JSON-RPC error; the hub reports it as this server's failure.
      throw new McpError(ErrorCode.InternalError, error instanceof GatehouseError ? error.message : String(error));
    }
  };

  mcp.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: (await tools()).tools.map((entry) => entry.tool) }));

  mcp.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const toolSet = await tools();
    const entry = toolSet.byName.get(request.params.name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, unknownToolMessage(server.name, toolSet, request.params.name));
    return callOperation(toolSet, entry, request.params.arguments ?? {}, {
      server: server.name,
      authType: server.auth.type,
      credentialHeaders,
      rest: specs.rest,
      limits: { timeoutMs: settings.requestTimeoutMs, maxResponseBytes: specs.maxResponseBytes, signal: extra.signal },
    });
  });

  const unsubscribe = specs.onToolsChanged(server.id, () => {
    void mcp.sendToolListChanged().catch(() => undefined);
  });
  mcp.onclose = unsubscribe;
  return mcp;
}

/**
 * Tool names are matched exactly (MCP names are case-sensitive, and LiteLLM would not find `getPetById` either);
 * a name that differs only in case gets the listed name as a hint, since operationIds keep their case in specs.
 */
function unknownToolMessage(server: string, toolSet: OpenApiToolSet, sent: string): string {
  const lower = sent.toLowerCase();
  const near = toolSet.tools.find((entry) => entry.tool.name.toLowerCase() === lower)?.tool.name;
  const hint = near === undefined ? '' : ` Tool names are matched exactly; did you mean "${near}"?`;
  return `MCP server "${server}" has no tool named "${sent}".${hint}`;
}
