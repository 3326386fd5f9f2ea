/** Anthropic `Message` → `chat.completion` (wire-formats.md §3.3). Pure. */
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  ChatCompletion,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions/completions';
import { toFinishReason } from './finish-reason.js';
import { toChatUsage } from './usage.js';

/** The chat completion id for an Anthropic message id: deterministic, so logs can be matched across both. */
export function toCompletionId(messageId: string): string {
  return `chatcmpl-${messageId}`;
}

/**
 * Text blocks are joined into `content`; `tool_use` blocks become `tool_calls`. Thinking and server-tool blocks are
 * not part of the Chat shape and are left out. `created` is Unix seconds, supplied by the caller.
 */
export function toChatCompletion(message: Message, created: number): ChatCompletion {
  const texts: string[] = [];
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const content = texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '';
  const chatMessage: ChatCompletion.Choice['message'] = { role: 'assistant', content, refusal: null };
  if (toolCalls.length > 0) chatMessage.tool_calls = toolCalls;
  return {
    id: toCompletionId(message.id),
    object: 'chat.completion',
    created,
    model: message.model,
    choices: [{ index: 0, message: chatMessage, finish_reason: toFinishReason(message.stop_reason), logprobs: null }],
    usage: toChatUsage(message.usage),
  };
}
