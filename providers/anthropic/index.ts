/** The Anthropic Messages provider (`kind: anthropic`). */
import type { Provider } from '../provider.js';
import { createAnthropicClient } from './client.js';

export const anthropicProvider: Provider = { kind: 'anthropic', createClient: createAnthropicClient };

export { createAnthropicClient } from './client.js';
export { toMessagesRequest, type MessagesRequest } from './request.js';
export { toChatCompletion } from './response.js';
export { AnthropicStreamTranslator } from './stream.js';
export { defaultMaxTokens } from './max-tokens.js';
