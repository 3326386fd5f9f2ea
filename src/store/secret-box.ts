/**
 * Encryption at rest for stored secrets (MCP server credentials, stdio env, static headers): AES-256-GCM under a
 * key derived with HKDF-SHA256 from `LITELLM_SALT_KEY`, else the master key (LiteLLM's rule). A sealed value is
 * `gh1:<base64(iv | tag | ciphertext)>`; the version prefix lets the format change without guessing.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { InternalError } from '../http/errors.js';

const PREFIX = 'gh1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed HKDF salt and info: the key material is the secret; these only separate this use from any other. */
const HKDF_SALT = 'gatehouse-secret-box';
const HKDF_INFO = 'gatehouse stored secrets v1';

export class SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** The box for `LITELLM_SALT_KEY`, else the master key; null when neither is set (secrets cannot be stored). */
  static fromKeys(saltKey: string | undefined, masterKey: string | undefined): SecretBox | null {
    const material = nonEmpty(saltKey) ?? nonEmpty(masterKey);
    if (material === undefined) return null;
    return new SecretBox(Buffer.from(hkdfSync('sha256', material, HKDF_SALT, HKDF_INFO, 32)));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws InternalError (never echoing the value) when the text was not sealed with this key. */
  open(sealed: string, what: string): string {
    if (!sealed.startsWith(PREFIX)) throw new InternalError(`store: ${what} is not a sealed secret`);
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new InternalError(`store: ${what} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new InternalError(`store: ${what} cannot be decrypted with the current LITELLM_SALT_KEY / master key`, { cause: error });
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' ? value : undefined;
}
