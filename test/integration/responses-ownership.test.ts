/**
 * Stored responses belong to the key that created them: another virtual key can neither read, list the input
 * items of, delete nor continue (`previous_response_id`) them — it gets the same 404 as for a missing id — while
 * the owner and the master key can. Over real HTTP with the `openai` client and virtual keys from /key/generate.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';

const MASTER = 'sk-ownership-master';
let gatehouse: RunningGatehouse;
let owner: OpenAI;
let other: OpenAI;
let master: OpenAI;

beforeAll(async () => {
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
general_settings:
  master_key: ${MASTER}
`);
  const admin = new AdminClient(gatehouse.origin, MASTER);
  owner = gatehouse.client(await admin.generateKey({ key_alias: 'owner' }));
  other = gatehouse.client(await admin.generateKey({ key_alias: 'other' }));
  master = gatehouse.client(MASTER);
});

afterAll(() => gatehouse?.close());

const notFound = { status: 404 };

describe('stored responses are the creating key’s', () => {
  it('refuses another key everything with a 404, and lets the owner and the master key in', async () => {
    const created = await owner.responses.create({ model: 'demo', input: 'remember the number 7' });

    await expect(other.responses.retrieve(created.id)).rejects.toMatchObject(notFound);
    await expect(other.responses.inputItems.list(created.id)).rejects.toMatchObject(notFound);
    await expect(other.responses.create({ model: 'demo', input: 'and now?', previous_response_id: created.id })).rejects.toMatchObject({
      status: 404,
      error: { code: 'previous_response_not_found', param: 'previous_response_id' },
    });
    await expect(other.responses.delete(created.id)).rejects.toMatchObject(notFound);
    await expect(other.responses.cancel(created.id)).rejects.toMatchObject(notFound);
    await expect(owner.responses.cancel(created.id)).rejects.toMatchObject({ status: 400 });

    expect((await owner.responses.retrieve(created.id)).id).toBe(created.id);
    expect((await master.responses.retrieve(created.id)).id).toBe(created.id);
    const continued = await owner.responses.create({ model: 'demo', input: 'and now?', previous_response_id: created.id });
    expect(continued.previous_response_id).toBe(created.id);
    // The other key's failed delete removed nothing; the owner's does.
    await owner.responses.delete(created.id);
    await expect(owner.responses.retrieve(created.id)).rejects.toMatchObject(notFound);
  });

  it('keeps a master-key response from virtual keys', async () => {
    const created = await master.responses.create({ model: 'demo', input: 'admin only' });
    await expect(owner.responses.retrieve(created.id)).rejects.toMatchObject(notFound);
    expect((await master.responses.retrieve(created.id)).id).toBe(created.id);
  });
});
