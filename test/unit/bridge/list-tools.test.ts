/** Issue #4 point 6: a session's whole tool list (every page) as OpenAI tools, with the function → MCP name map. */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { listMcpToolsAsOpenAITools } from '../../../src/bridge/list-tools.js';
import { InvalidRequestError } from '../../../src/http/errors.js';
import { startInMemorySession, type InMemorySession } from '../../fixtures/mcp/in-memory-session.js';

let session: InMemorySession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

const extra = (name: string): Tool => ({ name, inputSchema: { type: 'object', properties: {} } });

describe('listMcpToolsAsOpenAITools', () => {
  it('follows nextCursor through every page and maps each function name to its MCP tool', async () => {
    session = await startInMemorySession({ pageSize: 2, extraTools: [extra('files.read')] });
    const { tools, names } = await listMcpToolsAsOpenAITools(session.client);
    expect(session.listCursors).toEqual([undefined, '2', '4']);
    expect(tools.map((tool) => tool.function.name)).toEqual(['echo', 'fail', 'reject', 'hang', [...names.keys()][4]]);
    expect([...names.values()]).toEqual(['echo', 'fail', 'reject', 'hang', 'files.read']);
    expect([...names.keys()][4]).toMatch(/^files_read_[0-9a-f]{12}$/);
  });

  it('lists Responses function tools named by serverLabel for format "responses"', async () => {
    session = await startInMemorySession();
    const { tools, names } = await listMcpToolsAsOpenAITools(session.client, { format: 'responses', serverLabel: 'fx' });
    expect(tools[0]).toEqual({
      type: 'function',
      name: 'fx__echo',
      description: 'Echoes the message.',
      parameters: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
      strict: false,
    });
    expect(names.get('fx__hang')).toBe('hang');
  });

  it('refuses a listing in which two tools would share a function name', async () => {
    session = await startInMemorySession({ extraTools: [extra('echo')] });
    await expect(listMcpToolsAsOpenAITools(session.client)).rejects.toThrow(InvalidRequestError);
    await expect(listMcpToolsAsOpenAITools(session.client)).rejects.toThrow('MCP tools "echo" and "echo" would both be offered as function "echo".');
  });

  it('passes the caller abort on to tools/list', async () => {
    session = await startInMemorySession();
    await expect(listMcpToolsAsOpenAITools(session.client, { signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrow('stop');
  });
});
