/**
 * Replaces every `os.environ/NAME` string in the parsed config with the variable's value.
 * Unset variables are removed from the tree and reported with their YAML path, so the caller decides:
 * a deployment's `api_key` stays loadable (calls fail with a 401 naming the variable), anything else fails.
 */

const ENV_REF = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

export interface MissingEnv {
  /** YAML path of the value, e.g. `model_list[1].litellm_params.api_key`. */
  path: string;
  variable: string;
}

export function resolveEnvRefs(
  tree: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { value: unknown; missing: MissingEnv[] } {
  const missing: MissingEnv[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      const match = ENV_REF.exec(node.trim());
      if (!match) return node;
      const value = env[match[1]];
      if (value === undefined || value === '') {
        missing.push({ path, variable: match[1] });
        return undefined;
      }
      return value;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const resolved = walk(child, path === '' ? key : `${path}.${key}`);
        if (resolved !== undefined) out[key] = resolved;
      }
      return out;
    }
    return node;
  };
  return { value: walk(tree, ''), missing };
}
