/** Every error code is documented in docs/errors.md, and each class reports the code the table lists. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as errors from '../../../src/http/errors.js';

describe('error codes', () => {
  it('lists every GatehouseError class code in ERROR_CODES', () => {
    type ErrorClass = new (message: string) => errors.GatehouseError;
    const classes = (Object.values(errors) as unknown[]).filter(
      (value): value is ErrorClass =>
        typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof errors.GatehouseError,
    );
    const codes = classes.map((ErrorClass) =>
      ErrorClass === (errors.UpstreamRejectedError as unknown) ? 'upstream_rejected' : new ErrorClass('x').code,
    );
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(errors.ERROR_CODES).toContain(code);
  });

  it('documents every code in docs/errors.md', async () => {
    const doc = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const missing = errors.ERROR_CODES.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
