/** Which tool calls of a conversation still wait for their result: a client sending back a stopped round. */
import type {
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions';

/**
 * The function calls of the last assistant message that no tool message after it answers. Only tool messages
 * may follow that assistant message; anything else (a new user turn) means nothing is waiting.
 */
export function unansweredToolCalls(messages: readonly ChatCompletionMessageParam[]): ChatCompletionMessageFunctionToolCall[] {
  const answered = new Set<string>();
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message.role === 'tool') {
      answered.add(message.tool_call_id);
      continue;
    }
    if (message.role !== 'assistant') return [];
    return (message.tool_calls ?? []).filter(
      (call): call is ChatCompletionMessageFunctionToolCall => call.type === 'function' && !answered.has(call.id),
    );
  }
  return [];
}
