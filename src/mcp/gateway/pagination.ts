/** Opaque cursors over an aggregated list (MCP pagination: the server picks the page size). */
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';

export const PAGE_SIZE = 500;

export function pageOf<T>(items: readonly T[], cursor: string | undefined): { items: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const decoded = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) {
      throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor.');
    }
    offset = decoded;
  }
  const end = offset + PAGE_SIZE;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { nextCursor: Buffer.from(String(end), 'utf8').toString('base64url') } : {}),
  };
}
