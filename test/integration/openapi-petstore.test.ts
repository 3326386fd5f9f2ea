/**
 * Issue #5 acceptance 1 for the Petstore 3.0 spec (YAML, loaded from a URL on loopback): every operation is
 * listed through /mcp, called through the MCP SDK client, and observed at the REST fixture with the exact
 * method, path, query, headers and body; results map to structuredContent / isError.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRestFixture, type RecordedRestRequest, type RestFixture } from '../fixtures/rest/rest-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const downstream = new DownstreamClients();
let rest: RestFixture;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  rest = await startRestFixture();
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  petstore:
    spec_path: "${rest.origin}/specs/petstore.yaml"
    auth_type: api_key
    auth_value: sk-pet-key
`);
});

beforeEach(() => rest.reset());
afterEach(() => downstream.closeAll());
afterAll(async () => {
  await gatehouse?.close();
  await rest?.close();
});

interface Case {
  tool: string;
  args: Record<string, unknown>;
  method: string;
  path: string;
  query?: string;
  /** Exact JSON text of the body, or raw text for non-JSON bodies. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string | undefined>;
}

const PETSTORE: Case[] = [
  { tool: 'updatepet', args: { body: { id: 10, name: 'doggie', photoUrls: ['u1'] } }, method: 'PUT', path: '/api/v3/pet', body: '{"id":10,"name":"doggie","photoUrls":["u1"]}', contentType: 'application/json' },
  { tool: 'addpet', args: { body: { name: 'rex', photoUrls: [], status: 'available', category: { id: 1, name: 'Dogs' } } }, method: 'POST', path: '/api/v3/pet', body: '{"name":"rex","photoUrls":[],"status":"available","category":{"id":1,"name":"Dogs"}}', contentType: 'application/json' },
  { tool: 'findpetsbystatus', args: { status: 'sold' }, method: 'GET', path: '/api/v3/pet/findByStatus', query: 'status=sold' },
  { tool: 'findpetsbytags', args: { tags: ['small', 'brown dog'] }, method: 'GET', path: '/api/v3/pet/findByTags', query: 'tags=small&tags=brown%20dog' },
  // [api_key] is the first alternative of its security: the key moves to the spec's `api_key` header.
  { tool: 'getpetbyid', args: { petId: 7 }, method: 'GET', path: '/api/v3/pet/7', headers: { api_key: 'sk-pet-key', 'x-api-key': undefined } },
  { tool: 'updatepetwithform', args: { petId: 7, name: 'Rex II', status: 'sold' }, method: 'POST', path: '/api/v3/pet/7', query: 'name=Rex%20II&status=sold' },
  { tool: 'deletepet', args: { petId: 7, api_key: 'caller-value' }, method: 'DELETE', path: '/api/v3/pet/7', headers: { api_key: 'caller-value' } },
  { tool: 'uploadfile', args: { petId: 7, additionalMetadata: 'front', body: 'raw image bytes' }, method: 'POST', path: '/api/v3/pet/7/uploadImage', query: 'additionalMetadata=front', body: 'raw image bytes', contentType: 'application/octet-stream' },
  { tool: 'getinventory', args: {}, method: 'GET', path: '/api/v3/store/inventory', headers: { api_key: 'sk-pet-key', 'x-api-key': undefined } },
  { tool: 'placeorder', args: { body: { petId: 7, quantity: 1, status: 'placed', complete: false } }, method: 'POST', path: '/api/v3/store/order', body: '{"petId":7,"quantity":1,"status":"placed","complete":false}', contentType: 'application/json' },
  { tool: 'getorderbyid', args: { orderId: 3 }, method: 'GET', path: '/api/v3/store/order/3' },
  { tool: 'deleteorder', args: { orderId: 3 }, method: 'DELETE', path: '/api/v3/store/order/3' },
  { tool: 'createuser', args: { body: { username: 'ann', userStatus: 1 } }, method: 'POST', path: '/api/v3/user', body: '{"username":"ann","userStatus":1}', contentType: 'application/json' },
  { tool: 'createuserswithlistinput', args: { body: [{ username: 'a' }, { username: 'b' }] }, method: 'POST', path: '/api/v3/user/createWithList', body: '[{"username":"a"},{"username":"b"}]', contentType: 'application/json' },
  { tool: 'loginuser', args: { username: 'ann', password: 'p@ss&word' }, method: 'GET', path: '/api/v3/user/login', query: 'username=ann&password=p%40ss%26word' },
  { tool: 'logoutuser', args: {}, method: 'GET', path: '/api/v3/user/logout' },
  { tool: 'getuserbyname', args: { username: 'ann b' }, method: 'GET', path: '/api/v3/user/ann%20b' },
  { tool: 'updateuser', args: { username: 'ann', body: { email: 'a@b.c' } }, method: 'PUT', path: '/api/v3/user/ann', body: '{"email":"a@b.c"}', contentType: 'application/json' },
  { tool: 'deleteuser', args: { username: 'ann' }, method: 'DELETE', path: '/api/v3/user/ann' },
];

function only(requests: RecordedRestRequest[]): RecordedRestRequest {
  expect(requests).toHaveLength(1);
  return requests[0];
}

describe('Petstore 3.0 (YAML from a loopback URL) through /mcp (issue #5 acceptance 1)', () => {
  it('lists every operation as a tool, prefixed on /mcp, with readOnlyHint on GETs and the full input schema', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(PETSTORE.map((entry) => `petstore-${entry.tool}`).sort());
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('petstore-getpetbyid')?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('petstore-addpet')?.annotations?.readOnlyHint).toBe(false);
    expect(byName.get('petstore-deletepet')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('petstore-getpetbyid')?.description).toBe('Find pet by ID.\n\nReturns a single pet.');
    expect(byName.get('petstore-findpetsbystatus')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { status: { type: 'string', enum: ['available', 'pending', 'sold'], default: 'available' } },
      required: ['status'],
    });
    // The body carries the dereferenced Pet schema, nested Category and Tag included.
    const addPet = byName.get('petstore-addpet')?.inputSchema as unknown as { properties: { body: Record<string, unknown> }; required: string[] };
    expect(addPet.required).toEqual(['body']);
    expect(addPet.properties.body).toMatchObject({
      type: 'object',
      required: ['name', 'photoUrls'],
      properties: { category: { type: 'object', properties: { name: { type: 'string' } } }, tags: { type: 'array', items: { type: 'object' } } },
    });
    expect(JSON.stringify(addPet)).not.toContain('$ref');
    expect(JSON.stringify(addPet)).not.toContain('"xml"');
  });

  it.each(PETSTORE)('$tool: sends exactly the expected request', async (entry) => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/petstore');
    const result = await client.callTool({ name: entry.tool, arguments: entry.args });
    expect(result.isError ?? false).toBe(false);
    const seen = only(rest.requests);
    expect(seen.method).toBe(entry.method);
    expect(seen.path).toBe(entry.path);
    expect(seen.rawQuery).toBe(entry.query ?? '');
    if (entry.body !== undefined) {
      expect(seen.body.toString('utf8')).toBe(entry.body);
      expect(seen.headers['content-type']).toBe(entry.contentType);
    } else {
      expect(seen.body.length).toBe(0);
      expect(seen.headers['content-type']).toBeUndefined();
    }
    const expectedHeaders = entry.headers ?? { 'x-api-key': 'sk-pet-key' };
    for (const [name, value] of Object.entries(expectedHeaders)) expect(seen.headers[name]).toBe(value);
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.cookies).toEqual([]);
  });

  it('2xx JSON comes back as structuredContent plus text; a JSON array is wrapped as {result}', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/petstore');
    const pet = await client.callTool({ name: 'getpetbyid', arguments: { petId: 1 } });
    expect(pet.structuredContent).toEqual({ ok: true, method: 'GET', path: '/api/v3/pet/1' });
    expect(JSON.parse(textOf(pet))).toEqual(pet.structuredContent);
    const found = await client.callTool({ name: 'findpetsbystatus', arguments: { status: 'available' } });
    expect(found.structuredContent).toEqual({ result: [{ id: 1, name: 'doggie', photoUrls: [], status: 'available' }] });
  });

  it('a non-2xx answer is isError with the status and the body message', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/petstore');
    const result = await client.callTool({ name: 'getpetbyid', arguments: { petId: 404 } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('HTTP 404 Not Found: Pet not found');
  });

  it('invalid arguments are an isError result listing every problem, and nothing is sent', async () => {
    const client: Client = await downstream.connect(gatehouse.origin, '/mcp/petstore');
    const result = await client.callTool({ name: 'addpet', arguments: { body: { name: 5 }, extra: true } });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain('nothing was sent');
    expect(text).toContain('body.name must be string');
    expect(text).toContain("body must have required property 'photoUrls'");
    expect(text).toContain('must NOT have additional properties "extra"');
    const missing = await client.callTool({ name: 'getpetbyid', arguments: {} });
    expect(textOf(missing)).toContain("must have required property 'petId'");
    expect(rest.requests).toEqual([]);
  });
});

describe('the seed\'s Petstore example, as LiteLLM documents it (LiteLLM-compatible tool names)', () => {
  it('lists the tools under their lower-cased operationIds and calls getpetbyid and findpetsbystatus on /petstore/mcp', async () => {
    const client = await downstream.connect(gatehouse.origin, '/petstore/mcp');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('getpetbyid');
    expect(names).toContain('findpetsbystatus');
    expect(names.filter((name) => name !== name.toLowerCase())).toEqual([]);

    const pet = await client.callTool({ name: 'getpetbyid', arguments: { petId: '1' } });
    expect(pet.isError ?? false).toBe(false);
    expect(pet.structuredContent).toEqual({ ok: true, method: 'GET', path: '/api/v3/pet/1' });
    const found = await client.callTool({ name: 'findpetsbystatus', arguments: { status: 'available' } });
    expect(found.isError ?? false).toBe(false);
    expect(rest.requests.map((request) => `${request.method} ${request.path}?${request.rawQuery}`)).toEqual([
      'GET /api/v3/pet/1?',
      'GET /api/v3/pet/findByStatus?status=available',
    ]);
  });

  it('matches call names exactly: getPetById (the operationId\'s case) is unknown, with the listed name as a hint', async () => {
    const client = await downstream.connect(gatehouse.origin, '/petstore/mcp');
    const error = await client.callTool({ name: 'getPetById', arguments: { petId: 1 } }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toContain('MCP server "petstore" has no tool named "getPetById". Tool names are matched exactly; did you mean "getpetbyid"?');
    expect(rest.requests).toEqual([]);
  });
});
