/** The headers a remote MCP server receives from a `type: "mcp"` tool's `headers` and `authorization` (wire-formats §1.1). */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../src/http/errors.js';
import { buildRemoteHeaders } from '../../../../src/mcp/remote/remote-headers.js';

function refusal(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('buildRemoteHeaders', () => {
  it('sends authorization as a Bearer token next to the tool headers', () => {
    expect(buildRemoteHeaders({ serverLabel: 'docs', headers: { 'X-Api-Key': 'k1' }, authorization: 'tok' })).toEqual({
      'X-Api-Key': 'k1',
      Authorization: 'Bearer tok',
    });
  });

  it('keeps an Authorization the headers already set, in any case', () => {
    expect(buildRemoteHeaders({ serverLabel: 'docs', headers: { authorization: 'Basic abc' }, authorization: 'tok' })).toEqual({
      authorization: 'Basic abc',
    });
  });

  it('sends nothing for null headers and an empty authorization', () => {
    expect(buildRemoteHeaders({ serverLabel: 'docs', headers: null, authorization: '' })).toEqual({});
  });

  it('refuses a header value with a line break without repeating the value', () => {
    const error = refusal(() =>
      buildRemoteHeaders({ serverLabel: 'docs', headers: { 'X-Token': 'SECRET\r\nX-Injected: 1' }, param: 'tools[0]' }),
    );
    expect(error.param).toBe('tools[0].headers');
    expect(error.message).toContain('X-Token');
    expect(error.message).toContain('"docs"');
    expect(error.message).not.toContain('SECRET');
  });

  it('refuses headers the transport owns (Host, Mcp-Session-Id)', () => {
    expect(refusal(() => buildRemoteHeaders({ serverLabel: 'docs', headers: { Host: 'metadata.google.internal' } })).message).toContain('"Host"');
    expect(refusal(() => buildRemoteHeaders({ serverLabel: 'docs', headers: { 'mcp-session-id': 'x' } })).message).toContain('mcp-session-id');
  });

  it('refuses an invalid header name and an authorization with a line break', () => {
    expect(refusal(() => buildRemoteHeaders({ serverLabel: 'docs', headers: { 'bad name': 'v' } })).param).toBe('headers');
    const error = refusal(() => buildRemoteHeaders({ serverLabel: 'docs', authorization: 'SECRET\nx', param: 'tools[1]' }));
    expect(error.param).toBe('tools[1].authorization');
    expect(error.message).not.toContain('SECRET');
  });
});
