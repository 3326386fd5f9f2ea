/** The one request every target receives, so the three measurements differ only in what sits in between. */

export type Mode = 'json' | 'stream';

export const CHAT_PATH = '/v1/chat/completions';

const MESSAGES = [{ role: 'user', content: 'hello' }];

export const REQUEST_BODIES: Readonly<Record<Mode, string>> = {
  json: JSON.stringify({ model: 'bench', messages: MESSAGES }),
  stream: JSON.stringify({ model: 'bench', messages: MESSAGES, stream: true }),
};

export const REQUEST_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };
