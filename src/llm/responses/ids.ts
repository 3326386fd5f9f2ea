/** Item and response ids in OpenAI's `<prefix>_<hex>` form; random, so ids never collide across replicas. */
import { randomHex } from '../random-hex.js';

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
