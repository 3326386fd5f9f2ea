/**
 * Reads one OpenAPI/Swagger document with swagger-parser: a local file or an http(s) URL, JSON or YAML,
 * Swagger 2.0 / OpenAPI 3.0 / 3.1, validated and fully dereferenced (internal and external `$ref`s; circular
 * ones become cyclic objects, which schema-conversion.ts turns back into `$defs`). URLs are fetched here rather
 * than by swagger-parser's own resolver, which refuses loopback and private hosts: a spec URL comes from the
 * admin's config and is trusted wherever it points. A document fetched over HTTP may not reference local files.
 */
import { resolve as resolvePath } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { OpenApiSpecError } from '../http/errors.js';

export interface SpecLoadOptions {
  /** The server name, for messages. */
  server: string;
  /** Relative file paths are taken from here. */
  baseDir: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface LoadedSpec {
  document: Record<string, unknown>;
  /** Set when the spec came from a URL: relative server URLs are resolved against it. */
  specUrl?: string;
}

const REASON_MAX = 400;

export async function loadSpec(specPath: string, options: SpecLoadOptions): Promise<LoadedSpec> {
  const remote = /^https?:\/\//i.test(specPath);
  const location = remote ? specPath : resolvePath(options.baseDir, specPath);
  let mainText: string | undefined;
  // The parser wraps resolver errors in its own; ours already say what went wrong, so they are kept aside.
  let fetchFailure: OpenApiSpecError | undefined;
  const httpResolver = {
    order: 1,
    canRead: /^https?:\/\//i,
    read: async (file: { url: string }) => {
      const text = await fetchSpecText(file.url, options).catch((error: unknown) => {
        if (error instanceof OpenApiSpecError) fetchFailure ??= error;
        throw error;
      });
      if (file.url === location) mainText = text;
      return text;
    },
  };
  try {
    const document = (await SwaggerParser.validate(location, {
      resolve: { http: false, ...(remote ? { file: false } : {}), gatehouseHttp: httpResolver } as never,
      dereference: { circular: true },
    })) as unknown as Record<string, unknown>;
    if (mainText !== undefined && Array.isArray(document.servers)) document.servers = serversAsWritten(mainText) ?? document.servers;
    return { document, specUrl: remote ? specPath : undefined };
  } catch (error) {
    if (error instanceof OpenApiSpecError) throw error;
    if (fetchFailure) throw fetchFailure;
    throw new OpenApiSpecError(`OpenAPI spec of MCP server "${options.server}" could not be loaded from ${describe(specPath)}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * swagger-parser rewrites relative `servers` URLs of a spec read over HTTP against the spec's host but drops
 * its port; the servers as written are put back, and base-url.ts resolves them against the full spec URL.
 */
function serversAsWritten(text: string): unknown[] | undefined {
  try {
    const raw = parseYaml(text) as { servers?: unknown } | null;
    return Array.isArray(raw?.servers) ? raw.servers : undefined;
  } catch {
    return undefined;
  }
}

/** One document over HTTP: redirects followed, bounded in time and size, HTML refused by name. */
async function fetchSpecText(url: string, options: SpecLoadOptions): Promise<string> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fail = (reason: string): never => {
    throw new OpenApiSpecError(`OpenAPI spec of MCP server "${options.server}" could not be loaded from ${describe(url)}: ${reason}`);
  };
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' }, signal, redirect: 'follow' });
  } catch (error) {
    return fail(timeout.aborted ? `no answer within ${options.timeoutMs} ms` : `the URL could not be reached (${reasonOf(error)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return fail(`the URL answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return fail(`the document is larger than ${options.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > options.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        return fail(`the document is larger than ${options.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof OpenApiSpecError) throw error;
    return fail(timeout.aborted ? `no complete answer within ${options.timeoutMs} ms` : 'the answer broke off');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('text/html') || /^\s*<(!doctype|html)/i.test(text)) {
    return fail(`the URL answered with an HTML page (${type || 'no content type'}), not an OpenAPI document`);
  }
  return text;
}

/** A spec location for messages: a URL without query or fragment (they may carry a key). */
function describe(specPath: string): string {
  if (!/^https?:\/\//i.test(specPath)) return specPath;
  try {
    const url = new URL(specPath);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '<spec URL>';
  }
}

function reasonOf(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error && !(current instanceof OpenApiSpecError)) {
    if (current.message) break;
    current = current.cause;
  }
  const code = current instanceof Error ? (current as NodeJS.ErrnoException).code : undefined;
  const message = current instanceof Error ? current.message : String(current);
  const text = (typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message)
    .replace(/https?:\/\/[^\s"']+/g, (url) => describe(url))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX)}…` : text;
}
