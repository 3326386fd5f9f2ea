/**
 * What a model reads about an MCP call, for the loop and the library bridge alike: a `tools/call` result as text
 * (wire-formats §1.3.7: text blocks joined with `\n`, `structuredContent` as JSON when there is no text, other
 * blocks as short placeholders, capped in length), and the `Tool error: …` wording of a failed or impossible call.
 */
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

type Block = CallToolResult['content'][number];

function blockText(block: Block): string | undefined {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.mimeType}]`;
    case 'resource':
      return `[resource ${block.resource.uri}${block.resource.mimeType ? ` (${block.resource.mimeType})` : ''}]`;
    case 'resource_link':
      return block.uri;
    default:
      return undefined;
  }
}

/** The model-facing text of a result, at most `maxChars` characters (a cut result says how much was left out). */
export function resultText(result: CallToolResult, maxChars: number): string {
  const content = Array.isArray(result.content) ? result.content : [];
  const hasText = content.some((block) => block.type === 'text');
  let text: string;
  if (!hasText && result.structuredContent !== undefined) {
    text = JSON.stringify(result.structuredContent);
  } else {
    text = content
      .map(blockText)
      .filter((part): part is string => part !== undefined)
      .join('\n');
  }
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[truncated: ${text.length - maxChars} more characters]`;
}

/** A failed call as the model reads it. */
export function toolErrorText(message: string): string {
  return `Tool error: ${message}`;
}

/** The tool message content of a result: its text, marked as a tool error when the tool set `isError`. */
export function resultMessageText(result: CallToolResult, maxChars: number): string {
  const text = resultText(result, maxChars);
  return result.isError === true ? toolErrorText(text) : text;
}

/**
 * What the model read for a call that failed, rebuilt from its recorded error (an `mcp_call` item's or a chat
 * `mcp_tool_calls` entry's): a tool's `isError` content as `resultMessageText`, any other error's message as a tool
 * error. null when `content` is not a list of MCP content blocks (an echoed entry a client made up).
 */
export function recordedErrorText(
  error: { type: 'mcp_tool_execution_error'; content: unknown } | { type: 'mcp_protocol_error' | 'http_error'; message: string },
  maxChars: number,
): string | null {
  if (error.type !== 'mcp_tool_execution_error') return toolErrorText(error.message);
  const parsed = CallToolResultSchema.safeParse({ content: error.content });
  return parsed.success ? resultMessageText({ ...parsed.data, isError: true }, maxChars) : null;
}

/** A call of a function nobody offered: names what the model may call instead (at most 20 names). */
export function unknownToolText(name: string, available: Iterable<string>): string {
  const names = [...available];
  const list = names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ');
  return toolErrorText(`there is no tool named "${name}". Available tools: ${list || 'none'}.`);
}
