/** Anthropic `stop_reason` → Chat `finish_reason` (wire-formats.md §3.3). */
import type { StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletion } from 'openai/resources/chat/completions/completions';

export type FinishReason = ChatCompletion.Choice['finish_reason'];

const FINISH_REASONS: Record<StopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  model_context_window_exceeded: 'length',
  // A server tool paused the turn; the caller can resend the conversation to continue it.
  pause_turn: 'stop',
};

function isStopReason(value: string): value is StopReason {
  return Object.hasOwn(FINISH_REASONS, value);
}

/** Unknown or missing stop reasons (newer API versions) read as a normal stop. */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  return stopReason && isStopReason(stopReason) ? FINISH_REASONS[stopReason] : 'stop';
}
