/**
 * The name rules of the gateway, in one place: SEP-986 names for servers/aliases/tools, the
 * `<prefix><sep><name>` qualification of tool and prompt names (parsed back by the longest registered prefix),
 * and the mapping of MCP tools to LLM function names.
 */
import { createHash } from 'node:crypto';

/** SEP-986 (MCP 2025-11-25, server/tools#tool-names). */
export const SEP986_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export const DEFAULT_SEPARATOR = '-';

/**
 * Why `name` cannot be a server name or alias, or undefined when it can. It may contain the separator
 * (`zapier-server`, as in LiteLLM's Terraform examples): names are parsed back by the longest registered prefix, and
 * mcp-server-rules.ts refuses two servers whose prefixes nest (`a` and `a-b`), the one case that would be ambiguous.
 */
export function serverNameProblem(name: string): string | undefined {
  return SEP986_NAME.test(name.replace(/ /g, '_')) ? undefined : 'must match ^[A-Za-z0-9._-]{1,128}$ (SEP-986)';
}

/** How a server is written in names and headers: spaces become `_` (LiteLLM's rule). */
export function serverPrefix(name: string): string {
  return name.replace(/ /g, '_');
}

export interface ParsedName {
  prefix: string;
  name: string;
}

/** Qualifies names with a server prefix and parses them back. Built once per registry change. */
export class QualifiedNames {
  /** Longest first, so `deepwiki-mcp-read` resolves to `deepwiki-mcp` before `deepwiki`. */
  private readonly prefixes: string[];

  constructor(
    prefixes: Iterable<string>,
    readonly separator: string,
  ) {
    this.prefixes = [...new Set(prefixes)].sort((a, b) => b.length - a.length);
  }

  qualify(prefix: string, name: string): string {
    return `${prefix}${this.separator}${name}`;
  }

  /** Splits `qualified` by the longest registered prefix; undefined when no prefix matches. */
  parse(qualified: string): ParsedName | undefined {
    for (const prefix of this.prefixes) {
      const head = prefix + this.separator;
      if (qualified.length > head.length && qualified.startsWith(head)) {
        return { prefix, name: qualified.slice(head.length) };
      }
    }
    return undefined;
  }
}

/** OpenAI function names (`FunctionDefinition.name`): what a model may be offered and may call. */
export const LLM_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const LLM_FUNCTION_NAME_MAX = 64;
const LLM_FUNCTION_UNSAFE = /[^a-zA-Z0-9_-]/g;
/** Hex digits of the hash suffix: 48 bits, so two tools of one request never share a name by accident. */
const LLM_FUNCTION_HASH_CHARS = 12;

/**
 * The function name a model sees for tool `tool` of MCP server label `label`: `<label>__<tool>` when that is
 * already a valid name; otherwise sanitised (unsafe characters → `_`), cut, and given a hash suffix of the
 * original pair, so the mapping stays deterministic and distinct names never collide.
 */
export function llmFunctionName(label: string, tool: string): string {
  return validFunctionName(`${label}__${tool}`, `${label}\u0000${tool}`);
}

/** The function name of a tool offered without a server label (the library bridge's default): the same rule on the bare name. */
export function llmToolFunctionName(tool: string): string {
  return validFunctionName(tool, tool);
}

/** `wanted` when it is a valid function name, else its sanitised head and a hash of `identity`. */
function validFunctionName(wanted: string, identity: string): string {
  if (LLM_FUNCTION_NAME.test(wanted)) return wanted;
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, LLM_FUNCTION_HASH_CHARS);
  const head = wanted.replace(LLM_FUNCTION_UNSAFE, '_').slice(0, LLM_FUNCTION_NAME_MAX - LLM_FUNCTION_HASH_CHARS - 1);
  return `${head}_${hash}`;
}
