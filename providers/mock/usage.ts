/** Deterministic token estimates for mock responses (about four characters per token). */
import type { CompletionUsage } from 'openai/resources/completions';

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Usage from the prompt text and the completion text (answer text or tool-call arguments). */
export function buildUsage(promptText: string, completionText: string): CompletionUsage {
  const prompt = estimateTokens(promptText);
  const completion = estimateTokens(completionText);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
