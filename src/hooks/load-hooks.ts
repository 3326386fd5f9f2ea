/**
 * Loads the `callbacks:` modules (top-level `callbacks`, or LiteLLM's `litellm_settings.callbacks`) once at start
 * with dynamic `import()`: paths relative to the config file (or the working directory for an embedded config).
 * A module that cannot be loaded, or exports none of the hooks, fails start-up naming the entry.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/config-error.js';
import type { LoadedConfig } from '../config/load-config.js';
import { HOOK_NAMES, type HookModule, type LoadedHook } from './hook-types.js';

/** `.ts` only loads where a TypeScript loader is active (tsx, vitest); compiled Gatehouse loads `.js` / `.mjs`. */
const MODULE_FILE = /\.(m?js|cjs|ts|mts)$/;

/** The configured entries with the YAML path each came from, top-level `callbacks` first. */
export function configuredCallbacks(loaded: LoadedConfig): { path: string; where: string }[] {
  const { config } = loaded;
  return [
    ...(config.callbacks ?? []).map((path, index) => ({ path, where: `callbacks[${index}]` })),
    ...(config.litellm_settings?.callbacks ?? []).map((path, index) => ({ path, where: `litellm_settings.callbacks[${index}]` })),
  ];
}

export async function loadHooks(loaded: LoadedConfig): Promise<LoadedHook[]> {
  const baseDir = loaded.source.startsWith('<') ? process.cwd() : dirname(resolve(loaded.source));
  const hooks: LoadedHook[] = [];
  const problems: string[] = [];
  for (const { path, where } of configuredCallbacks(loaded)) {
    if (!MODULE_FILE.test(path)) {
      problems.push(
        `${where}: "${path}" is not a module file; give the path of a .js or .mjs file (LiteLLM's Python "module.instance" callbacks are not supported)`,
      );
      continue;
    }
    const file = isAbsolute(path) ? path : resolve(baseDir, path);
    let imported: Record<string, unknown>;
    try {
      imported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${where}: cannot load hook module "${path}": ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const module: HookModule = {};
    for (const name of HOOK_NAMES) {
      const value = imported[name];
      if (value === undefined) continue;
      if (typeof value !== 'function') {
        problems.push(`${where}: hook module "${path}" exports ${name}, but it is not a function`);
        continue;
      }
      (module as Record<string, unknown>)[name] = value;
    }
    if (Object.keys(module).length === 0) {
      problems.push(`${where}: hook module "${path}" exports none of ${HOOK_NAMES.join(', ')}`);
      continue;
    }
    hooks.push({ name: path, module });
  }
  if (problems.length > 0) throw new ConfigError(problems, loaded.source);
  return hooks;
}
