/**
 * A non-streamed completion shown to the stream emitter as the one chunk its stream would add up to, so the JSON
 * and the streamed paths build their output items with the same code.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';

/** Only the client's own function calls are kept (renumbered from 0); the tool loop reports MCP calls itself. */
export function completionAsChunk(completion: ChatCompletion, isClientFunction: (name: string) => boolean): ChatCompletionChunk {
  const choice = completion.choices[0];
  const message = choice?.message;
  const delta: ChatCompletionChunk.Choice.Delta = { role: 'assistant' };
  if (message?.content) delta.content = message.content;
  if (message?.refusal) delta.refusal = message.refusal;
  const calls = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' && isClientFunction(call.function.name) ? [call] : [],
  );
  if (calls.length > 0) {
    delta.tool_calls = calls.map((call, index) => ({
      index,
      id: call.id,
      type: 'function' as const,
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
  }
  return {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    choices: [{ index: 0, delta, finish_reason: choice?.finish_reason ?? null, logprobs: null }],
  };
}
