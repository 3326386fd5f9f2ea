/**
 * One upstream session's catalog (tools, prompts, resources, resource templates): every page fetched,
 * cached until a `list_changed` notification or the TTL, one fetch in flight per kind. A kind the upstream
 * did not declare in its capabilities is an empty list, not an error.
 */
import {
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ListToolsResultSchema,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ZodType } from 'zod';
import { McpUpstreamError } from '../../http/errors.js';
import type { UpstreamCallOptions, UpstreamClient } from './upstream-client.js';

export interface CatalogItems {
  tools: Tool;
  prompts: Prompt;
  resources: Resource;
  resourceTemplates: ResourceTemplate;
}
export type CatalogKind = keyof CatalogItems;

interface KindSpec {
  method: string;
  capability: keyof ServerCapabilities;
  schema: ZodType;
  field: string;
}

const KINDS: Record<CatalogKind, KindSpec> = {
  tools: { method: 'tools/list', capability: 'tools', schema: ListToolsResultSchema, field: 'tools' },
  prompts: { method: 'prompts/list', capability: 'prompts', schema: ListPromptsResultSchema, field: 'prompts' },
  resources: { method: 'resources/list', capability: 'resources', schema: ListResourcesResultSchema, field: 'resources' },
  resourceTemplates: {
    method: 'resources/templates/list',
    capability: 'resources',
    schema: ListResourceTemplatesResultSchema,
    field: 'resourceTemplates',
  },
};

/** A hostile upstream must not keep us paging forever (the library bridge pages under the same bound). */
export const MAX_CATALOG_PAGES = 100;

interface Entry {
  items: readonly unknown[];
  fetchedAt: number;
}

export class CatalogCache {
  private readonly entries = new Map<CatalogKind, Entry>();
  private readonly pending = new Map<CatalogKind, Promise<readonly unknown[]>>();
  /** Bumped by every invalidation, so a fetch that started before a `list_changed` is not cached. */
  private generation = 0;

  constructor(
    private readonly upstream: UpstreamClient,
    private readonly ttlMs: number,
  ) {}

  async list<K extends CatalogKind>(kind: K, options: UpstreamCallOptions): Promise<readonly CatalogItems[K][]> {
    const entry = this.entries.get(kind);
    if (entry && Date.now() - entry.fetchedAt < this.ttlMs) return entry.items as CatalogItems[K][];
    let pending = this.pending.get(kind);
    if (!pending) {
      // Not tied to one caller's abort signal: other callers may be waiting on the same fetch.
      const started = this.fetch(kind, { timeoutMs: options.timeoutMs }).finally(() => {
        if (this.pending.get(kind) === started) this.pending.delete(kind);
      });
      pending = started;
      this.pending.set(kind, started);
    }
    return (await pending) as CatalogItems[K][];
  }

  invalidate(kind: CatalogKind): void {
    this.generation++;
    this.entries.delete(kind);
    this.pending.delete(kind);
  }

  invalidateAll(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
  }

  private async fetch(kind: CatalogKind, options: UpstreamCallOptions): Promise<readonly unknown[]> {
    const spec = KINDS[kind];
    const generation = this.generation;
    const { capabilities } = await this.upstream.describe(options);
    const items: unknown[] = [];
    if (capabilities[spec.capability] !== undefined) {
      let cursor: string | undefined;
      for (let page = 0; ; page++) {
        if (page === MAX_CATALOG_PAGES) {
          throw new McpUpstreamError(`MCP server "${this.upstream.server.name}" returned more than ${MAX_CATALOG_PAGES} pages of ${kind}.`);
        }
        const result = (await this.upstream.request(
          { method: spec.method, params: cursor === undefined ? {} : { cursor } },
          spec.schema,
          options,
        )) as Record<string, unknown> & { nextCursor?: string };
        items.push(...((result[spec.field] as unknown[]) ?? []));
        cursor = result.nextCursor;
        if (cursor === undefined) break;
      }
    }
    if (generation === this.generation) this.entries.set(kind, { items, fetchedAt: Date.now() });
    return items;
  }
}
