/**
 * Counts tokens with tiktoken when a provider reports no usage. One encoder per encoding, created on first use
 * and kept for the life of the app (creating one costs ~60–200 ms of WASM set-up: never per request); `close()`
 * frees them. Chat messages are counted with the overhead of OpenAI's cookbook ("How to count tokens with
 * tiktoken", `num_tokens_from_messages`): 3 tokens per message, 1 per `name`, 3 to prime the reply.
 */
import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { encodingForModel, type EncodingName } from './token-encodings.js';

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;

/** What the counter needs of a chat request. */
export interface CountableChat {
  model: string;
  messages: readonly ChatCompletionMessageParam[];
  tools?: readonly ChatCompletionTool[] | undefined;
}

export class TokenCounter {
  private readonly encoders = new Map<EncodingName, Tiktoken>();

  /**
   * @param upstreamModel maps a client-facing model name (`model_name`) to the upstream model it routes to, so
   * `my-gpt` → `gpt-4o` is counted with gpt-4o's encoding; unknown names are used as they are.
   */
  constructor(private readonly upstreamModel: (model: string) => string | undefined = () => undefined) {}

  /** The model whose tokenizer counts `model`'s tokens. */
  resolve(model: string): string {
    return this.upstreamModel(model) ?? model;
  }

  countText(model: string, text: string): number {
    if (text === '') return 0;
    return this.encoder(encodingForModel(this.resolve(model)).encoding).encode_ordinary(text).length;
  }

  /** Prompt tokens of a chat request: the cookbook's per-message formula, plus the tool definitions as JSON text. */
  countPrompt(chat: CountableChat): number {
    const encoder = this.encoder(encodingForModel(this.resolve(chat.model)).encoding);
    const count = (text: string) => (text === '' ? 0 : encoder.encode_ordinary(text).length);
    let total = REPLY_PRIMING_TOKENS;
    for (const message of chat.messages) {
      total += TOKENS_PER_MESSAGE + count(message.role) + count(messageText(message));
      const name = (message as { name?: unknown }).name;
      if (typeof name === 'string') total += TOKENS_PER_NAME + count(name);
      if (message.role === 'assistant') {
        for (const call of message.tool_calls ?? []) total += count(call.type === 'function' ? call.function.name + call.function.arguments : call.custom.name + call.custom.input);
      }
    }
    // OpenAI does not publish how tool definitions are rendered; their JSON text is the approximation.
    for (const tool of chat.tools ?? []) if (tool.type === 'function') total += count(JSON.stringify(tool.function));
    return total;
  }

  /** Completion tokens of an assistant answer: its text, refusal and tool calls. */
  countCompletion(model: string, message: Pick<ChatCompletionMessage, 'content' | 'refusal' | 'tool_calls'>): number {
    let text = (message.content ?? '') + (message.refusal ?? '');
    for (const call of message.tool_calls ?? []) {
      text += call.type === 'function' ? call.function.name + call.function.arguments : call.custom.name + call.custom.input;
    }
    return this.countText(model, text);
  }

  /** Usage for a request whose upstream reported none. */
  usageOf(chat: CountableChat, answer: Pick<ChatCompletionMessage, 'content' | 'refusal' | 'tool_calls'>): CompletionUsage {
    const prompt_tokens = this.countPrompt(chat);
    const completion_tokens = this.countCompletion(chat.model, answer);
    return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
  }

  close(): void {
    for (const encoder of this.encoders.values()) encoder.free();
    this.encoders.clear();
  }

  private encoder(name: EncodingName): Tiktoken {
    let encoder = this.encoders.get(name);
    if (!encoder) {
      encoder = get_encoding(name);
      this.encoders.set(name, encoder);
    }
    return encoder;
  }
}

/** The text of a message's content: a string, or its text parts (images and audio are not counted). */
function messageText(message: ChatCompletionMessageParam): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content as readonly unknown[]) {
    const value = (part as { text?: unknown; refusal?: unknown }).text ?? (part as { refusal?: unknown }).refusal;
    if (typeof value === 'string') text += value;
  }
  return text;
}
