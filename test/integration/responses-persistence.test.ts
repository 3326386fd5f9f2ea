/**
 * Issue #4 point 1: stored responses persist in the store, so `previous_response_id` works across a restart
 * of the proxy (SQLite file, the default store).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startGatehouse } from './harness.js';

const CONFIG = `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
`;

it('continues a conversation by previous_response_id after the proxy restarts', async () => {
  const databaseUrl = `sqlite:${join(await mkdtemp(join(tmpdir(), 'gatehouse-store-')), 'gatehouse.db')}`;
  const first = await startGatehouse(CONFIG, { databaseUrl });
  const created = await first.client().responses.create({ model: 'demo', input: 'Remember the word "lighthouse".' });
  await first.close();

  const second = await startGatehouse(CONFIG, { databaseUrl });
  try {
    const stored = await second.client().responses.retrieve(created.id);
    expect(stored.id).toBe(created.id);
    expect(stored.output_text).toBe(created.output_text);
    const next = await second.client().responses.create({ model: 'demo', input: 'And now?', previous_response_id: created.id });
    expect(next.previous_response_id).toBe(created.id);
    const items = await second.client().responses.inputItems.list(created.id);
    expect(JSON.stringify(items.data)).toContain('lighthouse');
  } finally {
    await second.close();
  }
});
