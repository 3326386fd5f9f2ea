import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { GATEHOUSE_VERSION } from '../../src/version.js';

it('reports the version in package.json', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(GATEHOUSE_VERSION).toBe(pkg.version);
});
