/**
 * Issue #5 acceptance 2: the Petstore spec used from /v1/responses with `{type: "mcp", server_url:
 * "litellm_proxy/mcp/petstore", require_approval: {never: {read_only: true}}}` on the `demo` model (which calls
 * the offered tool that best matches the request): the GET (readOnlyHint) runs without approval and reaches the
 * REST fixture; the POST stops as an `mcp_approval_request` and is sent only once approved.
 */
import type { ResponseInputItem, ResponseOutputItem, Tool } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRestFixture, type RestFixture } from '../fixtures/rest/rest-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const PETSTORE = {
  type: 'mcp',
  server_label: 'petstore',
  server_url: 'litellm_proxy/mcp/petstore',
  require_approval: { never: { read_only: true } },
} as Tool.Mcp;

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
`);
});

beforeEach(() => rest.reset());
afterAll(async () => {
  await gatehouse?.close();
  await rest?.close();
});

const types = (output: readonly { type: string }[]) => output.map((item) => item.type);
const seen = () => rest.requests.map((request) => `${request.method} ${request.path}`);

describe('/v1/responses with the petstore spec server (issue #5 acceptance 2)', () => {
  it('a GET (readOnlyHint) runs without approval and its REST answer reaches the model', async () => {
    const response = await gatehouse.client().responses.create({ model: 'demo', input: 'Find pet by ID', tools: [PETSTORE] });
    expect(types(response.output)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    const listed = response.output[0] as ResponseOutputItem.McpListTools;
    expect(listed.tools).toHaveLength(19);
    expect(listed.tools.find((tool) => tool.name === 'getpetbyid')?.annotations).toMatchObject({ readOnlyHint: true });
    const call = response.output[1] as ResponseOutputItem.McpCall;
    expect(call).toMatchObject({ server_label: 'petstore', name: 'getpetbyid', status: 'completed', error: null });
    const petId = (JSON.parse(call.arguments) as { petId: number }).petId;
    expect(JSON.parse(call.output ?? '')).toEqual({ ok: true, method: 'GET', path: `/api/v3/pet/${petId}` });
    expect(seen()).toEqual([`GET /api/v3/pet/${petId}`]);
  });

  it('a POST produces an mcp_approval_request and nothing is sent; approving it sends the POST once', async () => {
    const client = gatehouse.client();
    const response = await client.responses.create({ model: 'demo', input: 'Add a new pet to the store', tools: [PETSTORE] });
    expect(types(response.output)).toEqual(['mcp_list_tools', 'mcp_approval_request']);
    const request = response.output[1] as ResponseOutputItem.McpApprovalRequest;
    expect(request).toMatchObject({ server_label: 'petstore', name: 'addpet' });
    expect(JSON.parse(request.arguments)).toMatchObject({ body: { name: expect.any(String), photoUrls: expect.any(Array) } });
    expect(seen()).toEqual([]);

    const approval: ResponseInputItem = { type: 'mcp_approval_response', approval_request_id: request.id, approve: true };
    const approved = await client.responses.create({ model: 'demo', previous_response_id: response.id, input: [approval], tools: [PETSTORE] });
    expect(approved.output.find((item) => item.type === 'mcp_call')).toMatchObject({ name: 'addpet', status: 'completed', error: null });
    expect(seen()).toEqual(['POST /api/v3/pet']);
    expect(JSON.parse(rest.requests[0].body.toString('utf8'))).toEqual(JSON.parse(request.arguments).body);
  });
});
