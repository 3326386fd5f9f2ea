/**
 * The per-server spec state the admin API reads (issue #5 points 1 and 5): status ok/error with loaded_at and
 * tool count, `reload(name)` picking up a changed spec and telling subscribers, and servers added at runtime.
 * The spec is served by the real REST fixture.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/http/logger.js';
import type { McpServerDefinition } from '../../../src/mcp/server-definition.js';
import { McpServerRegistry } from '../../../src/mcp/server-registry.js';
import { OpenApiSpecs } from '../../../src/openapi/spec-registry.js';
import { startRestFixture, type RestFixture } from '../../fixtures/rest/rest-server.js';

let rest: RestFixture;
const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });

const spec = (ids: string[]) =>
  JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, servers: [{ url: '/x' }], paths: Object.fromEntries(ids.map((id) => [`/${id}`, { get: { operationId: id, responses: { 200: { description: 'ok' } } } }])) });

function server(name: string, specPath: string): McpServerDefinition {
  return {
    id: name,
    name,
    prefix: name,
    transport: 'openapi',
    args: [],
    env: {},
    auth: { type: 'none' },
    staticHeaders: {},
    extraHeaders: [],
    accessGroups: [],
    openapi: { specPath, baseDir: '.', displayNames: {}, descriptions: {}, requestTimeoutMs: 1000 },
  };
}

beforeAll(async () => {
  rest = await startRestFixture();
});
afterAll(() => rest?.close());

describe('OpenApiSpecs', () => {
  it('reports ok with loaded_at and tool count; reload() picks up a changed spec and notifies once', async () => {
    rest.replaceSpec('reg.json', spec(['a']));
    const registry = new McpServerRegistry([server('reg', `${rest.origin}/specs/reg.json`), server('bad', `${rest.origin}/specs/page.html`)], '-');
    const specs = new OpenApiSpecs(registry, { logger });
    specs.start();
    await specs.whenLoaded();
    expect(specs.status('reg')).toMatchObject({ server: 'reg', state: 'ok', toolCount: 1, loadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(specs.status('bad')).toMatchObject({ state: 'error', toolCount: 0, error: expect.stringContaining('HTML page') });
    expect(specs.status('nope')).toBeUndefined();

    let changes = 0;
    specs.onToolsChanged('reg', () => changes++);
    await specs.reload('reg');
    expect(changes).toBe(0); // same tools: nothing to announce
    rest.replaceSpec('reg.json', spec(['a', 'b']));
    expect(await specs.reload('reg')).toMatchObject({ state: 'ok', toolCount: 2 });
    expect(changes).toBe(1);
    expect((await specs.toolSet('reg')).tools.map((entry) => entry.tool.name)).toEqual(['a', 'b']);

    // A failed refresh keeps serving the last good tools and reports the failure.
    rest.replaceSpec('reg.json', '<html>oops</html>');
    expect(await specs.reload('reg')).toMatchObject({ state: 'error', toolCount: 2 });
    expect((await specs.toolSet('reg')).tools).toHaveLength(2);
    await expect(specs.reload('nope')).rejects.toThrow('No OpenAPI MCP server is named "nope"');
    await specs.close();
  });

  it('loads the spec of a server added to the registry at runtime, and forgets a removed one', async () => {
    rest.replaceSpec('late.json', spec(['late']));
    const registry = new McpServerRegistry([], '-');
    const specs = new OpenApiSpecs(registry, { logger });
    specs.start();
    registry.replaceStored([server('late', `${rest.origin}/specs/late.json`)]);
    expect((await specs.toolSet('late')).tools.map((entry) => entry.tool.name)).toEqual(['late']);
    registry.replaceStored([]);
    expect(specs.status('late')).toBeUndefined();
    await specs.close();
  });
});
