/**
 * A `tools/call` result as the text a model reads (wire-formats §1.3.7): text blocks joined with `\n`,
 * `structuredContent` as JSON when there is no text, other blocks as short placeholders, capped in length.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

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
