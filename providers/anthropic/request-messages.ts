/**
 * Chat message list → Anthropic `system` + `messages` (wire-formats.md §3.2). System and developer messages move
 * to `system`; only user/assistant turns remain, merged when consecutive; tool results open the next user turn.
 */
import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from 'openai/resources/chat/completions/completions';
import { UnsupportedRequestError } from '../upstream-errors.js';
import { toTextBlock, toTextBlocks, toUserBlocks } from './request-content.js';

export interface AnthropicConversation {
  /** Text of every system/developer message, in order. */
  system: TextBlockParam[];
  messages: MessageParam[];
}

interface Turn {
  role: 'user' | 'assistant';
  content: ContentBlockParam[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tool call arguments are JSON text; Anthropic needs an object, so empty or invalid JSON becomes `{}`. */
function parseToolInput(argumentsJson: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function toAssistantBlocks(message: ChatCompletionAssistantMessageParam, param: string): ContentBlockParam[] {
  if (message.function_call) {
    throw new UnsupportedRequestError(
      `${param}.function_call`,
      'Use tool_calls; function_call is not supported for Anthropic.',
    );
  }
  if (message.audio) throw new UnsupportedRequestError(`${param}.audio`, 'Anthropic does not accept audio messages.');
  const blocks: ContentBlockParam[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    blocks.push(...toTextBlocks(content));
  } else if (content) {
    for (const part of content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') blocks.push(part.type === 'text' ? toTextBlock(part) : { type: 'text', text });
    }
  }
  if (message.refusal) blocks.push({ type: 'text', text: message.refusal });
  (message.tool_calls ?? []).forEach((call, index) => {
    if (call.type !== 'function') {
      throw new UnsupportedRequestError(`${param}.tool_calls[${index}]`, 'Anthropic accepts only function tool calls.');
    }
    const block: ToolUseBlockParam = {
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolInput(call.function.arguments),
    };
    blocks.push(block);
  });
  return blocks;
}

function toToolResultBlock(message: ChatCompletionToolMessageParam): ToolResultBlockParam {
  const content = typeof message.content === 'string' ? message.content : message.content.map(toTextBlock);
  const empty = typeof content === 'string' ? content === '' : content.length === 0;
  return empty
    ? { type: 'tool_result', tool_use_id: message.tool_call_id }
    : { type: 'tool_result', tool_use_id: message.tool_call_id, content };
}

function appendTurn(turns: Turn[], role: Turn['role'], blocks: ContentBlockParam[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** Every tool_use needs its tool_result at the start of the very next user turn, ahead of any text. */
function appendToolResult(turns: Turn[], block: ToolResultBlockParam): void {
  const last = turns.at(-1);
  if (last?.role !== 'user') {
    turns.push({ role: 'user', content: [block] });
    return;
  }
  const firstOther = last.content.findIndex((existing) => existing.type !== 'tool_result');
  last.content.splice(firstOther === -1 ? last.content.length : firstOther, 0, block);
}

export function toAnthropicConversation(messages: readonly ChatCompletionMessageParam[]): AnthropicConversation {
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...toTextBlocks(message.content));
        break;
      case 'user':
        appendTurn(turns, 'user', toUserBlocks(message.content, param));
        break;
      case 'assistant':
        appendTurn(turns, 'assistant', toAssistantBlocks(message, param));
        break;
      case 'tool':
        appendToolResult(turns, toToolResultBlock(message));
        break;
      default:
        throw new UnsupportedRequestError(
          `${param}.role`,
          `Anthropic does not accept ${message.role} messages; use tool messages.`,
        );
    }
  });
  return { system, messages: turns.map(({ role, content }) => ({ role, content })) };
}
