/**
 * The two name rules of the gateway, in one place: SEP-986 names for servers/aliases/tools, and the
 * `<prefix><sep><name>` qualification of tool and prompt names, parsed back by the longest registered prefix.
 */

/** SEP-986 (MCP 2025-11-25, server/tools#tool-names). */
export const SEP986_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export const DEFAULT_SEPARATOR = '-';

/** Why `name` cannot be a server name or alias, or undefined when it can. */
export function serverNameProblem(name: string, separator: string): string | undefined {
  const written = name.replace(/ /g, '_');
  if (!SEP986_NAME.test(written)) return 'must match ^[A-Za-z0-9._-]{1,128}$ (SEP-986)';
  if (written.includes(separator)) return `must not contain the tool name separator "${separator}"`;
  return undefined;
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
