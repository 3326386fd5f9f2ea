/**
 * Issue #5 acceptance 1 and 4 for a Swagger 2.0 spec (JSON) and an OpenAPI 3.1 spec (YAML: $ref chains into
 * another file, header and cookie parameters, oneOf bodies, arrays and objects in the query, a circular schema),
 * each loaded from a URL and from a file: every operation called through the MCP SDK client and observed at the
 * REST fixture exactly; plus `allowed_tags`, `disallowed_tools` and the name/description override maps.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRestFixture, type RecordedRestRequest, type RestFixture } from '../fixtures/rest/rest-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const SPECS = fileURLToPath(new URL('../fixtures/rest/specs/', import.meta.url));
const REQUEST_ID = '3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f';
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
  todo:
    spec_path: "${rest.origin}/specs/swagger2.json"
    auth_type: api_key
    auth_value: tok-123
  todo_file:
    spec_path: "${SPECS}swagger2.json"
    url: "${rest.origin}/mirror/v1"
  catalog:
    spec_path: "${rest.origin}/specs/catalog-3.1.yaml"
    auth_type: bearer_token
    auth_value: tok-bearer
  catalog_file:
    spec_path: "${SPECS}catalog-3.1.yaml"
    url: "${rest.origin}/mirror/catalog"
  store:
    spec_path: "${SPECS}petstore.yaml"
    url: "${rest.origin}/api/v3"
    allowed_tags: [store]
    disallowed_tools: [deleteOrder]
    tool_name_to_display_name: { getInventory: inventory }
    tool_name_to_description: { placeOrder: "Order a pet for delivery." }
  store_keys:
    spec_path: "${SPECS}petstore.yaml"
    url: "${rest.origin}/api/v3"
    allowed_tags: [store]
    tool_name_to_display_name: { getOrderById: order_by_id }
    tool_name_to_description: { GetInventory: "Counts pets by status." }
    allowed_params: { placeOrder: [] }
`);
});

beforeEach(() => rest.reset());
afterEach(() => downstream.closeAll());
afterAll(async () => {
  await gatehouse?.close();
  await rest?.close();
});

function only(): RecordedRestRequest {
  expect(rest.requests).toHaveLength(1);
  return rest.requests[0];
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  return result;
}

/** The parts of a multipart body: name, filename, content type, text. */
function multipartParts(request: RecordedRestRequest): { name: string; filename?: string; type?: string; text: string }[] {
  const boundary = /boundary=(.+)$/.exec(String(request.headers['content-type']))?.[1];
  expect(boundary).toBeDefined();
  const body = request.body.toString('utf8');
  expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head, ...rest] = part.slice(2, -2).split('\r\n\r\n');
      return {
        name: /name="([^"]*)"/.exec(head)?.[1] ?? '',
        filename: /filename="([^"]*)"/.exec(head)?.[1],
        type: /Content-Type: (.+)/i.exec(head)?.[1],
        text: rest.join('\r\n\r\n'),
      };
    });
}

describe('Swagger 2.0 (JSON, from a URL: host from the spec URL, basePath /v1)', () => {
  it('lists one tool per operation, including HEAD and OPTIONS, and names an operation without operationId from method and path', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/todo');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['listtodos', 'createtodo', 'todooptions', 'get_todos_id', 'todoexists', 'patchtodo', 'deletetodo', 'addnote', 'uploadattachment']);
    const list = tools.find((tool) => tool.name === 'listtodos');
    expect(list?.inputSchema.properties).toMatchObject({
      tags: { type: 'array', items: { type: 'string' } },
      ids: { type: 'array', items: { type: 'integer' } },
      limit: { type: 'integer', default: 10, minimum: 1, maximum: 100 },
      'X-Trace': { type: 'string', description: 'Trace id echoed in logs' },
    });
    expect(tools.find((tool) => tool.name === 'todoexists')?.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((tool) => tool.name === 'todooptions')?.annotations?.readOnlyHint).toBe(true);
  });

  it('csv and multi arrays in the query, a header parameter, and the apiKey security scheme in the query', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/todo');
    const result = await call(client, 'listtodos', { tags: ['home', 'urgent'], ids: [1, 2], limit: 5, 'X-Trace': 't-1' });
    expect(result.isError ?? false).toBe(false);
    const seen = only();
    expect(seen).toMatchObject({ method: 'GET', path: '/v1/todos', rawQuery: 'tags=home,urgent&ids=1&ids=2&limit=5&access_token=tok-123' });
    expect(seen.headers['x-trace']).toBe('t-1');
    // The key went where the spec says; the generic X-API-Key guess is dropped.
    expect(seen.headers['x-api-key']).toBeUndefined();
  });

  it('body, path-level parameters, HEAD, OPTIONS, PATCH and DELETE', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/todo');
    const cases: [string, Record<string, unknown>, string, string, string][] = [
      ['createtodo', { body: { title: 'Write tests', done: false } }, 'POST', '/v1/todos', '{"title":"Write tests","done":false}'],
      ['todooptions', {}, 'OPTIONS', '/v1/todos', ''],
      ['get_todos_id', { id: 4 }, 'GET', '/v1/todos/4', ''],
      ['todoexists', { id: 4 }, 'HEAD', '/v1/todos/4', ''],
      ['patchtodo', { id: 4, body: { title: 'Renamed' } }, 'PATCH', '/v1/todos/4', '{"title":"Renamed"}'],
      ['deletetodo', { id: 4 }, 'DELETE', '/v1/todos/4', ''],
    ];
    for (const [tool, args, method, path, body] of cases) {
      rest.reset();
      const result = await call(client, tool, args);
      expect(result.isError ?? false, tool).toBe(false);
      const seen = only();
      expect({ method: seen.method, path: seen.path, query: seen.rawQuery, body: seen.body.toString('utf8') }).toEqual({ method, path, query: 'access_token=tok-123', body });
      if (body !== '') expect(seen.headers['content-type']).toBe('application/json');
    }
    expect(textOf(await call(client, 'todoexists', { id: 4 }))).toBe('HTTP 200 OK (no content)');
  });

  it('formData as application/x-www-form-urlencoded, and a file parameter as multipart/form-data', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/todo');
    await call(client, 'addnote', { id: 9, body: { text: 'hello world & more', pinned: true } });
    const form = only();
    expect(form).toMatchObject({ method: 'POST', path: '/v1/todos/9/notes' });
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.body.toString('utf8')).toBe('text=hello+world+%26+more&pinned=true');
    rest.reset();
    await call(client, 'uploadattachment', { body: { file: 'file content\nline 2', caption: 'notes' } });
    const upload = only();
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipartParts(upload)).toEqual([
      { name: 'file', filename: 'file', type: 'application/octet-stream', text: 'file content\nline 2' },
      { name: 'caption', filename: undefined, type: undefined, text: 'notes' },
    ]);
  });

  it('from a file: the configured url is the base URL (issue #5 acceptance 4: JSON file)', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/todo_file');
    await call(client, 'get_todos_id', { id: 1 });
    expect(only()).toMatchObject({ method: 'GET', path: '/mirror/v1/todos/1', rawQuery: '' });
  });
});

describe('OpenAPI 3.1 (YAML, from a URL: relative server with a variable default)', () => {
  const ITEM_ARGS = {
    id: 'item-1',
    query_id: 'q 1',
    'X-Request-Id': REQUEST_ID,
    session: 's1',
    theme: 'dark',
    fields: ['name', 'price'],
    tag: ['x', 'y'],
    filter: { color: 'red', size: 'm' },
    range: [1, 5],
    'X-Flags': ['f1', 'f2'],
  };

  it('header and cookie parameters are listed, and the query parameter named like the path one is written query_id', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const { tools } = await client.listTools();
    const item = tools.find((tool) => tool.name === 'getitem');
    expect(Object.keys(item?.inputSchema.properties ?? {})).toEqual(['id', 'query_id', 'fields', 'tag', 'filter', 'range', 'X-Request-Id', 'X-Flags', 'session', 'theme']);
    expect(item?.inputSchema.required).toEqual(['id', 'X-Request-Id', 'session']);
    expect(item?.inputSchema.properties?.id).toMatchObject({ type: 'string', pattern: '^[a-z0-9-]+$', description: 'The item id.' });
    expect(item?.inputSchema.properties?.['X-Request-Id']).toMatchObject({ type: 'string', format: 'uuid' });
    expect(item?.inputSchema.properties?.theme).toMatchObject({ enum: ['light', 'dark'] });
  });

  it('sends path, query (form, form explode=false, deepObject, pipeDelimited), header and cookie values exactly, with the bearer scheme', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const result = await call(client, 'getitem', ITEM_ARGS);
    expect(result.isError ?? false).toBe(false);
    const seen = only();
    expect(seen.method).toBe('GET');
    expect(seen.path).toBe('/catalog/v2/items/item-1');
    expect(seen.rawQuery).toBe('id=q%201&fields=name,price&tag=x&tag=y&filter%5Bcolor%5D=red&filter%5Bsize%5D=m&range=1|5');
    expect(seen.headers['x-request-id']).toBe(REQUEST_ID);
    expect(seen.headers['x-flags']).toBe('f1,f2');
    expect(seen.headers.authorization).toBe('Bearer tok-bearer');
    expect(seen.cookies).toEqual([['session', 's1'], ['theme', 'dark']]);
  });

  it('a header value that is not a uuid fails validation and nothing is sent', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const result = await call(client, 'getitem', { ...ITEM_ARGS, 'X-Request-Id': 'not-a-uuid' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('X-Request-Id must match format "uuid"');
    expect(rest.requests).toEqual([]);
  });

  it('a oneOf body with $ref chains (one into another file) is fully dereferenced, validated and sent as JSON', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const { tools } = await client.listTools();
    const order = tools.find((tool) => tool.name === 'createorder')?.inputSchema as unknown as { properties: { body: { properties: Record<string, unknown> } } };
    expect(order.properties.body.properties.payment).toMatchObject({ oneOf: [{ properties: { method: { const: 'card' } } }, { properties: { method: { const: 'bank_transfer' } } }] });
    // LineItem → Price → Amount → ./shared/money.yaml#/Money → #/Currency
    expect(order.properties.body.properties.items).toMatchObject({
      items: { properties: { unitPrice: { required: ['amount', 'currency'], properties: { currency: { enum: ['EUR', 'USD', 'GBP'] } } } } },
    });
    expect(JSON.stringify(order)).not.toContain('$ref');
    expect(JSON.stringify(order)).not.toContain('discriminator');

    const body = { items: [{ sku: 'A-1', quantity: 2, unitPrice: { amount: 9.5, currency: 'EUR' } }], payment: { method: 'bank_transfer', iban: 'DE00' }, note: null };
    expect((await call(client, 'createorder', { body })).isError ?? false).toBe(false);
    const seen = only();
    expect(seen).toMatchObject({ method: 'POST', path: '/catalog/v2/orders' });
    expect(seen.body.toString('utf8')).toBe(JSON.stringify(body));

    rest.reset();
    const wrong = await call(client, 'createorder', { body: { ...body, payment: { method: 'cash' } } });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toContain('body.payment must match exactly one schema in oneOf');
    expect(rest.requests).toEqual([]);
  });

  it('a circular schema becomes $defs: the tree is validated at every depth and sent', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const { tools } = await client.listTools();
    const put = tools.find((tool) => tool.name === 'putcategory')?.inputSchema as unknown as { $defs: Record<string, unknown>; properties: { body: Record<string, unknown> } };
    expect(put.properties.body).toMatchObject({ $ref: '#/$defs/Schema' });
    expect(put.$defs.Schema).toMatchObject({ properties: { children: { type: 'array', items: { $ref: '#/$defs/Schema' } } } });
    const tree = { name: 'root', children: [{ name: 'a', children: [{ name: 'a1' }] }, { name: 'b' }] };
    expect((await call(client, 'putcategory', { slug: 'root', body: tree })).isError ?? false).toBe(false);
    expect(only().body.toString('utf8')).toBe(JSON.stringify(tree));
    rest.reset();
    const deep = await call(client, 'putcategory', { slug: 'root', body: { name: 'root', children: [{ name: 'a', children: [{}] }] } });
    expect(textOf(deep)).toContain("body.children.0.children.0 must have required property 'name'");
    expect(rest.requests).toEqual([]);
  });

  it('multipart and url-encoded request bodies from object schemas', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    await call(client, 'signup', { body: { name: 'Ann', avatar: 'PNG-DATA', interests: ['maps', 'tea'] } });
    expect(multipartParts(only())).toEqual([
      { name: 'name', filename: undefined, type: undefined, text: 'Ann' },
      { name: 'avatar', filename: 'avatar', type: 'application/octet-stream', text: 'PNG-DATA' },
      { name: 'interests', filename: undefined, type: undefined, text: 'maps' },
      { name: 'interests', filename: undefined, type: undefined, text: 'tea' },
    ]);
    rest.reset();
    await call(client, 'sendfeedback', { body: { rating: 5, comment: 'great stuff', labels: ['ui', 'speed'] } });
    const form = only();
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.body.toString('utf8')).toBe('rating=5&comment=great+stuff&labels=ui&labels=speed');
  });

  it('text responses come back as text, binary ones as a summary', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    expect(textOf(await call(client, 'readme', {}))).toBe('plain words');
    expect(textOf(await call(client, 'logo', {}))).toBe('Binary response (image/png, 29 bytes), not shown.');
    const missing = await call(client, 'missingthing', {});
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toBe('HTTP 404 Not Found: Pet not found');
  });

  it('from a file: the YAML spec and its external file ref load, and the configured url is the base (issue #5 acceptance 4)', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog_file');
    expect((await client.listTools()).tools).toHaveLength(11);
    await call(client, 'readfile', { name: 'notes.txt' });
    expect(only()).toMatchObject({ method: 'GET', path: '/mirror/catalog/files/notes.txt' });
  });
});

describe('tags, filters and overrides', () => {
  it('allowed_tags keeps the store operations, disallowed_tools drops one, and the override maps rename and re-describe', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/store');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['inventory', 'placeorder', 'getorderbyid']);
    expect(tools.find((tool) => tool.name === 'placeorder')?.description).toBe('Order a pet for delivery.');
    await call(client, 'inventory', {});
    expect(only()).toMatchObject({ method: 'GET', path: '/api/v3/store/inventory' });
    // disallowed_tools: [deleteOrder] (the operationId's case) still refuses the generated deleteorder.
    const refused = await client.callTool({ name: 'deleteorder', arguments: { orderId: 1 } }).catch((error: unknown) => error);
    expect(String(refused)).toContain('Tool "deleteorder" of MCP server "store" is not allowed');
    expect(rest.requests).toHaveLength(1);
  });

  it('on the aggregate /mcp every spec server is listed with its prefix', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('todo-listtodos');
    expect(names).toContain('catalog-getitem');
    expect(names).toContain('catalog_file-getitem');
    expect(names).toContain('store-inventory');
    expect(names).not.toContain('store-deleteorder');
  });
});

describe('override and filter keys written in the operationId\'s case (tool names are lower-cased as in LiteLLM)', () => {
  it('tool_name_to_display_name {getOrderById: …}, tool_name_to_description {GetInventory: …} and allowed_params {placeOrder: […]} apply', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/store_keys');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['getinventory', 'placeorder', 'order_by_id', 'deleteorder']);
    expect(tools.find((tool) => tool.name === 'getinventory')?.description).toBe('Counts pets by status.');
    await call(client, 'order_by_id', { orderId: 3 });
    expect(only()).toMatchObject({ method: 'GET', path: '/api/v3/store/order/3' });
    rest.reset();
    const refused = await client.callTool({ name: 'placeorder', arguments: { body: { petId: 1 } } }).catch((error: unknown) => error);
    expect(String(refused)).toContain('Arguments not allowed for tool "placeorder" of MCP server "store_keys": body');
    expect(rest.requests).toEqual([]);
  });
});
