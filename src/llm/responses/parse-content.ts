/**
 * Content of Responses message items (and of `function_call_output.output`), validated and normalised to the
 * stored form: user/system/developer parts are `input_*`, assistant parts are `output_text` / `refusal`.
 */
import type {
  ResponseInputContent,
  ResponseOutputRefusal,
  ResponseOutputText,
} from 'openai/resources/responses/responses';
import { invalid, readEnum, readObject, readOptionalString, readString } from './field-reader.js';

const IMAGE_DETAILS = ['low', 'high', 'auto', 'original'] as const;
const FILE_DETAILS = ['auto', 'low', 'high'] as const;

export function parseInputPart(value: unknown, path: string): ResponseInputContent {
  const part = readObject(value, path);
  const type = readString(part, 'type', path);
  if (type === 'input_text') return { type, text: readString(part, 'text', path) };
  if (type === 'input_image') {
    const image: ResponseInputContent = { type, detail: readEnum(part, 'detail', path, IMAGE_DETAILS, 'auto') };
    const imageUrl = readOptionalString(part, 'image_url', path);
    const fileId = readOptionalString(part, 'file_id', path);
    if (imageUrl === undefined && fileId === undefined) throw invalid(path, 'an input_image needs image_url or file_id');
    if (imageUrl !== undefined) image.image_url = imageUrl;
    if (fileId !== undefined) image.file_id = fileId;
    return image;
  }
  if (type === 'input_file') {
    const file: ResponseInputContent = { type };
    if (part.detail !== undefined) file.detail = readEnum(part, 'detail', path, FILE_DETAILS);
    for (const key of ['file_data', 'file_id', 'file_url', 'filename'] as const) {
      const text = readOptionalString(part, key, path);
      if (text !== undefined) file[key] = text;
    }
    return file;
  }
  throw invalid(`${path}.type`, `unsupported content type '${type}' here; expected input_text, input_image or input_file`);
}

export function parseInputContent(value: unknown, path: string): ResponseInputContent[] {
  if (typeof value === 'string') return [{ type: 'input_text', text: value }];
  if (!Array.isArray(value)) throw invalid(path, 'expected a string or an array of content parts');
  return value.map((part, index) => parseInputPart(part, `${path}[${index}]`));
}

export function parseAssistantContent(value: unknown, path: string): Array<ResponseOutputText | ResponseOutputRefusal> {
  if (typeof value === 'string') return [{ type: 'output_text', text: value, annotations: [] }];
  if (!Array.isArray(value)) throw invalid(path, 'expected a string or an array of content parts');
  return value.map((raw, index): ResponseOutputText | ResponseOutputRefusal => {
    const partPath = `${path}[${index}]`;
    const part = readObject(raw, partPath);
    const type = readString(part, 'type', partPath);
    // Clients that build history by hand often send assistant text as input_text; it means the same text.
    if (type === 'output_text' || type === 'input_text') {
      // Annotations are kept as sent (they are not shown to the model).
      const annotations = Array.isArray(part.annotations) ? (part.annotations as ResponseOutputText['annotations']) : [];
      return { type: 'output_text', text: readString(part, 'text', partPath), annotations };
    }
    if (type === 'refusal') return { type, refusal: readString(part, 'refusal', partPath) };
    throw invalid(`${partPath}.type`, `unsupported content type '${type}' in an assistant message; expected output_text or refusal`);
  });
}
