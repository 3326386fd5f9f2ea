/**
 * Which tiktoken encoding counts a model's tokens: o200k_base for the gpt-4o / 4.1 / 4.5 / 5 and o-series families,
 * cl100k_base for gpt-4 / gpt-3.5 / embeddings, and cl100k_base as the documented approximation for every other
 * model (Claude, Llama, …), whose own tokenizers tiktoken does not ship.
 */

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Prefixes of the families OpenAI tokenizes with o200k_base (tiktoken's model_to_encoding.json, 1.0.22). */
const O200K_PREFIXES = ['gpt-4o', 'chatgpt-4o', 'gpt-4.1', 'gpt-4.5', 'gpt-5', 'gpt-oss', 'o1', 'o3', 'o4', 'codex-'];

export interface ModelEncoding {
  encoding: EncodingName;
  /** False when the model's own tokenizer is not tiktoken's and cl100k_base stands in for it. */
  exact: boolean;
}

/** `model` may carry a provider prefix (`openai/gpt-4o`); only the last path segment is looked at. */
export function encodingForModel(model: string): ModelEncoding {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  if (O200K_PREFIXES.some((prefix) => name.startsWith(prefix))) return { encoding: 'o200k_base', exact: true };
  const exact = name.startsWith('gpt-4') || name.startsWith('gpt-3.5') || name.startsWith('gpt-35') || name.startsWith('text-embedding-');
  return { encoding: 'cl100k_base', exact };
}
