/**
 * `input` of a create request → validated conversation items in their stored form, each with an id (given ids are
 * kept). A string input is one user message. `item_reference` entries are kept as references for `conversation.ts`
 * to resolve against the stored conversation. Other item types are refused with a 400 naming `input[i].type`.
 */
import type { ResponseFunctionToolCallOutputItem, ResponseReasoningItem } from 'openai/resources/responses/responses';
import {
  invalid,
  isObject,
  readArray,
  readBoolean,
  readEnum,
  readObject,
  readOptionalString,
  readString,
  type JsonObject,
} from './field-reader.js';
import { newId } from '../ids.js';
import { parseAssistantContent, parseInputContent, parseInputPart } from './parse-content.js';
import type { ConversationItem, McpCallItem, McpListToolsItem } from './response-types.js';

const ITEM_STATUSES = ['in_progress', 'completed', 'incomplete'] as const;
const MCP_CALL_STATUSES = ['in_progress', 'completed', 'incomplete', 'calling', 'failed'] as const;

/** `{type: "item_reference", id}` (the type may be left out): an item of the stored conversation, by id. */
export interface ItemReference {
  type: 'item_reference';
  id: string;
  /** Where it stands in `input`. */
  index: number;
}

export type InputEntry = ConversationItem | ItemReference;

export function parseInput(input: string | readonly unknown[] | undefined): InputEntry[] {
  if (input === undefined) return [];
  if (typeof input === 'string') {
    return [{ id: newId('msg'), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: input }] }];
  }
  return input.map((item, index) => parseEntry(readObject(item, `input[${index}]`), index));
}

function parseEntry(item: JsonObject, index: number): InputEntry {
  const path = `input[${index}]`;
  const isReference = item.type === 'item_reference' || (item.type === undefined && item.role === undefined && item.id !== undefined);
  if (isReference) return { type: 'item_reference', id: readString(item, 'id', path), index };
  return parseItem(item, path);
}

function parseItem(item: JsonObject, path: string): ConversationItem {
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  if (type === undefined) throw invalid(`${path}.type`, 'each input item needs a type (or a role for a message)');
  switch (type) {
    case 'message':
      return parseMessage(item, path);
    case 'function_call':
      return {
        id: readOptionalString(item, 'id', path) ?? newId('fc'),
        type: 'function_call',
        call_id: readString(item, 'call_id', path),
        name: readString(item, 'name', path),
        arguments: readString(item, 'arguments', path),
        status: readEnum(item, 'status', path, ITEM_STATUSES, 'completed'),
      };
    case 'function_call_output':
      return parseFunctionCallOutput(item, path);
    case 'mcp_list_tools':
      return parseMcpListTools(item, path);
    case 'mcp_call':
      return parseMcpCall(item, path);
    case 'mcp_approval_request':
      return {
        id: readString(item, 'id', path),
        type: 'mcp_approval_request',
        server_label: readString(item, 'server_label', path),
        name: readString(item, 'name', path),
        arguments: readString(item, 'arguments', path),
      };
    case 'mcp_approval_response': {
      const reason = readOptionalString(item, 'reason', path);
      return {
        id: readOptionalString(item, 'id', path) ?? newId('mcpa'),
        type: 'mcp_approval_response',
        approval_request_id: readString(item, 'approval_request_id', path),
        approve: readBoolean(item, 'approve', path),
        ...(reason !== undefined ? { reason } : {}),
      };
    }
    case 'reasoning':
      return parseReasoning(item, path);
    default:
      throw invalid(`${path}.type`, `input items of type '${String(type)}' are not supported by this proxy`);
  }
}

function parseMessage(item: JsonObject, path: string): ConversationItem {
  const role = readEnum(item, 'role', path, ['user', 'assistant', 'system', 'developer'] as const);
  const id = readOptionalString(item, 'id', path) ?? newId('msg');
  const status = readEnum(item, 'status', path, ITEM_STATUSES, 'completed');
  if (item.content === undefined) throw invalid(`${path}.content`, 'a message needs content');
  if (role === 'assistant') {
    return { id, type: 'message', role, status, content: parseAssistantContent(item.content, `${path}.content`) };
  }
  return { id, type: 'message', role, status, content: parseInputContent(item.content, `${path}.content`) };
}

function parseFunctionCallOutput(item: JsonObject, path: string): ResponseFunctionToolCallOutputItem {
  const raw = item.output;
  let output: ResponseFunctionToolCallOutputItem['output'];
  if (typeof raw === 'string') output = raw;
  else if (Array.isArray(raw)) output = raw.map((part, index) => parseInputPart(part, `${path}.output[${index}]`));
  else throw invalid(`${path}.output`, 'expected a string or an array of content parts');
  return {
    id: readOptionalString(item, 'id', path) ?? newId('fco'),
    type: 'function_call_output',
    call_id: readString(item, 'call_id', path),
    output,
    status: readEnum(item, 'status', path, ITEM_STATUSES, 'completed'),
  };
}

function parseMcpListTools(item: JsonObject, path: string): McpListToolsItem {
  const tools = readArray(item, 'tools', path).map((raw, index): McpListToolsItem['tools'][number] => {
    const toolPath = `${path}.tools[${index}]`;
    const tool = readObject(raw, toolPath);
    const description = readOptionalString(tool, 'description', toolPath);
    return {
      name: readString(tool, 'name', toolPath),
      input_schema: tool.input_schema ?? {},
      ...(description !== undefined ? { description } : {}),
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
    };
  });
  const error = readOptionalString(item, 'error', path);
  return {
    id: readOptionalString(item, 'id', path) ?? newId('mcpl'),
    type: 'mcp_list_tools',
    server_label: readString(item, 'server_label', path),
    tools,
    ...(error !== undefined ? { error } : {}),
  };
}

function parseMcpCall(item: JsonObject, path: string): McpCallItem {
  const call: McpCallItem = {
    id: readOptionalString(item, 'id', path) ?? newId('mcp'),
    type: 'mcp_call',
    server_label: readString(item, 'server_label', path),
    name: readString(item, 'name', path),
    arguments: readString(item, 'arguments', path),
    output: readOptionalString(item, 'output', path) ?? null,
    approval_request_id: readOptionalString(item, 'approval_request_id', path) ?? null,
    status: readEnum(item, 'status', path, MCP_CALL_STATUSES, 'completed'),
  };
  const error = item.error;
  if (typeof error === 'string') call.error = error;
  else if (isObject(error)) call.error = parseMcpCallError(error, `${path}.error`);
  else if (error !== undefined && error !== null) throw invalid(`${path}.error`, 'expected a string or an error object');
  else call.error = null;
  return call;
}

function parseMcpCallError(error: JsonObject, path: string): NonNullable<McpCallItem['error']> {
  const type = readEnum(error, 'type', path, ['mcp_protocol_error', 'mcp_tool_execution_error', 'http_error'] as const);
  if (type === 'mcp_tool_execution_error') return { type, content: error.content ?? null };
  const code = error.code;
  if (typeof code !== 'number') throw invalid(`${path}.code`, 'expected a number');
  return { type, code, message: readString(error, 'message', path) };
}

function parseReasoning(item: JsonObject, path: string): ResponseReasoningItem {
  const summary = readArray(item, 'summary', path).map((raw, index) => {
    const part = readObject(raw, `${path}.summary[${index}]`);
    return { type: 'summary_text' as const, text: readString(part, 'text', `${path}.summary[${index}]`) };
  });
  const reasoning: ResponseReasoningItem = { id: readOptionalString(item, 'id', path) ?? newId('rs'), type: 'reasoning', summary };
  const encrypted = readOptionalString(item, 'encrypted_content', path);
  if (encrypted !== undefined) reasoning.encrypted_content = encrypted;
  return reasoning;
}
