/** Reads what the mock provider needs from a chat conversation: the last user turn and the tool results after it. */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';

export interface ToolResult {
  /** The function name from the assistant tool call this result answers, when it can be found. */
  name: string | undefined;
  content: string;
}

/** Text of a message's `content`: the string itself, or its text parts joined by newlines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string') {
      texts.push(part.text);
    }
  }
  return texts.join('\n');
}

function lastUserIndex(messages: readonly ChatCompletionMessageParam[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return i;
  return -1;
}

/** The text of the last user message, or '' when there is none. */
export function lastUserText(messages: readonly ChatCompletionMessageParam[]): string {
  const index = lastUserIndex(messages);
  return index === -1 ? '' : contentText(messages[index].content);
}

function toolCallName(messages: readonly ChatCompletionMessageParam[], toolCallId: string): string | undefined {
  for (const message of messages) {
    if (message.role !== 'assistant' || !message.tool_calls) continue;
    for (const call of message.tool_calls) {
      if (call.id === toolCallId) return call.type === 'function' ? call.function.name : call.custom.name;
    }
  }
  return undefined;
}

/** The `role: "tool"` messages after the last user message, in order. */
export function toolResultsSinceLastUser(messages: readonly ChatCompletionMessageParam[]): ToolResult[] {
  const results: ToolResult[] = [];
  for (const message of messages.slice(lastUserIndex(messages) + 1)) {
    if (message.role !== 'tool') continue;
    results.push({ name: toolCallName(messages, message.tool_call_id), content: contentText(message.content) });
  }
  return results;
}

/** All text a conversation carries (contents, tool call names and arguments), for the prompt token estimate. */
export function conversationText(messages: readonly ChatCompletionMessageParam[]): string {
  const texts: string[] = [];
  for (const message of messages) {
    texts.push(contentText(message.content));
    if (message.role === 'assistant' && message.tool_calls) {
      for (const call of message.tool_calls) {
        if (call.type === 'function') texts.push(call.function.name, call.function.arguments);
        else texts.push(call.custom.name, call.custom.input);
      }
    }
  }
  return texts.join('');
}
