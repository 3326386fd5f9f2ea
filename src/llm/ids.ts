/**
 * Item and response ids in OpenAI's `<prefix>_<hex>` form; random, so ids never collide across replicas. The hex
 * comes from `randomUUID`'s pre-filled entropy cache (122 random bits): `randomBytes(16)` asked OpenSSL on every
 * call, 3.6% of the agent loop's CPU (docs/benchmarks.md).
 */
import { randomUUID } from 'node:crypto';

export type IdPrefix =
  /** response */
  | 'resp'
  /** message item */
  | 'msg'
  /** function_call item */
  | 'fc'
  /** function_call_output item */
  | 'fco'
  /** mcp_list_tools item */
  | 'mcpl'
  /** mcp_call item */
  | 'mcp'
  /** mcp_approval_request item */
  | 'mcpr'
  /** mcp_approval_response item */
  | 'mcpa'
  /** reasoning item */
  | 'rs';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomHex()}`;
}

function randomHex(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
}
