/**
 * Chat content parts → Anthropic content blocks (wire-formats.md §3.2 "Content"). Pure; rejects what has no
 * Anthropic equivalent instead of dropping it.
 */
import type {
  ContentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
} from 'openai/resources/chat/completions/completions';
import { UnsupportedRequestError } from '../upstream-errors.js';

type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
const IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set<ImageMediaType>([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);

const DATA_URL = /^data:([^;,]+)((?:;[^;,]+)*),(.*)$/s;

interface DataUrl {
  mediaType: string;
  data: string;
}

/** Splits a base64 `data:` URL; undefined when `url` is not one. */
function parseBase64DataUrl(url: string): DataUrl | undefined {
  const match = DATA_URL.exec(url);
  if (!match || !match[2].split(';').includes('base64')) return undefined;
  return { mediaType: match[1].toLowerCase(), data: match[3] };
}

/** A text part → text block; `prompt_cache_breakpoint` becomes Anthropic's ephemeral `cache_control`. */
export function toTextBlock(
  part: Pick<ChatCompletionContentPartText, 'text' | 'prompt_cache_breakpoint'>,
): TextBlockParam {
  return part.prompt_cache_breakpoint
    ? { type: 'text', text: part.text, cache_control: { type: 'ephemeral' } }
    : { type: 'text', text: part.text };
}

/** String or text parts → non-empty text blocks (Anthropic rejects empty text blocks). */
export function toTextBlocks(content: string | readonly ChatCompletionContentPartText[]): TextBlockParam[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.filter((part) => part.text !== '').map(toTextBlock);
}

function isImageMediaType(mediaType: string): mediaType is ImageMediaType {
  return IMAGE_MEDIA_TYPES.has(mediaType);
}

function toImageBlock(url: string, param: string): ImageBlockParam {
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  const dataUrl = parseBase64DataUrl(url);
  if (!dataUrl) {
    throw new UnsupportedRequestError(param, 'Anthropic accepts images as http(s) URLs or base64 data: URLs.');
  }
  if (!isImageMediaType(dataUrl.mediaType)) {
    throw new UnsupportedRequestError(
      param,
      `Anthropic accepts image/jpeg, image/png, image/gif and image/webp images, not ${dataUrl.mediaType}.`,
    );
  }
  return { type: 'image', source: { type: 'base64', media_type: dataUrl.mediaType, data: dataUrl.data } };
}

function toDocumentBlock(part: ChatCompletionContentPart.File, param: string): ContentBlockParam {
  const fileData = part.file.file_data;
  const dataUrl = fileData === undefined ? undefined : parseBase64DataUrl(fileData);
  if (dataUrl?.mediaType === 'application/pdf') {
    return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: dataUrl.data } };
  }
  throw new UnsupportedRequestError(param, 'Anthropic accepts files only as base64 data: URLs of PDFs.');
}

/** User content → blocks. `param` is the message's path, e.g. `messages[2]`. */
export function toUserBlocks(
  content: string | readonly ChatCompletionContentPart[],
  param: string,
): ContentBlockParam[] {
  if (typeof content === 'string') return toTextBlocks(content);
  const blocks: ContentBlockParam[] = [];
  content.forEach((part, index) => {
    const partParam = `${param}.content[${index}]`;
    switch (part.type) {
      case 'text':
        if (part.text !== '') blocks.push(toTextBlock(part));
        break;
      case 'image_url':
        blocks.push(toImageBlock(part.image_url.url, `${partParam}.image_url`));
        break;
      case 'file':
        blocks.push(toDocumentBlock(part, `${partParam}.file`));
        break;
      default:
        throw new UnsupportedRequestError(partParam, `Anthropic does not accept ${part.type} content parts.`);
    }
  });
  return blocks;
}
