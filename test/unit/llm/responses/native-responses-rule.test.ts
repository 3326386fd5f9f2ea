/** Which deployments serve /v1/responses natively: LiteLLM's rule (docs/config.md "Responses API: native or bridged"). */
import { describe, expect, it } from 'vitest';
import { servesResponsesNatively } from '../../../../src/llm/responses/native-responses-rule.js';

const openai = { provider: 'openai', clientSupportsResponses: true };

describe('servesResponsesNatively', () => {
  it('makes openai/ native by default and other OpenAI-compatible prefixes bridged', () => {
    expect(servesResponsesNatively(openai)).toBe(true);
    for (const provider of ['hosted_vllm', 'lm_studio', 'llamafile', 'openai_like']) {
      expect(servesResponsesNatively({ provider, clientSupportsResponses: true })).toBe(false);
    }
  });

  it('bridges with use_chat_completions_api: true, and for mock_response deployments', () => {
    expect(servesResponsesNatively({ ...openai, useChatCompletionsApi: true })).toBe(false);
    expect(servesResponsesNatively({ ...openai, mockResponse: 'hi' })).toBe(false);
  });

  it('lets model_info.supported_endpoints decide when given', () => {
    expect(servesResponsesNatively({ provider: 'hosted_vllm', clientSupportsResponses: true, supportedEndpoints: ['/v1/responses'] })).toBe(true);
    expect(servesResponsesNatively({ provider: 'openai_like', clientSupportsResponses: true, supportedEndpoints: ['/responses'] })).toBe(true);
    expect(servesResponsesNatively({ ...openai, supportedEndpoints: ['/v1/chat/completions'] })).toBe(false);
  });

  it('never makes a provider without a Responses client native', () => {
    expect(servesResponsesNatively({ provider: 'anthropic', clientSupportsResponses: false, supportedEndpoints: ['/v1/responses'] })).toBe(false);
  });
});
