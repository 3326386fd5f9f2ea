/**
 * The deployment table: every `model_list` entry turned, once at start-up, into a ready provider client,
 * grouped by `model_name`. Requests only look names up here.
 */
import { PROVIDERS, mockProvider, type ProviderClient } from '../../providers/index.js';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_REQUEST_TIMEOUT_S } from '../config/defaults.js';
import type { LoadedConfig } from '../config/load-config.js';
import { servesResponsesNatively } from './responses/native-responses-rule.js';

export interface Deployment {
  /** `model_info.id`, else `<model_name>#<index in model_list>`. */
  id: string;
  modelName: string;
  /** The provider prefix, e.g. `openai`. */
  provider: string;
  /** The upstream model name (after the prefix). */
  upstreamModel: string;
  client: ProviderClient;
  timeoutMs: number;
  streamTimeoutMs: number;
  /** Tries of this deployment per router attempt beyond the first (`litellm_params.max_retries`). */
  maxRetries: number;
  weight: number;
  /** Set when `api_key` names an unset environment variable: calls fail with 401 naming it. */
  missingCredential?: string;
  /** /v1/responses goes to the upstream's own `/responses` (`client.responses`), not through chat. */
  nativeResponses: boolean;
}

export interface ModelGroup {
  name: string;
  deployments: Deployment[];
  /** Unix seconds, for /v1/models. */
  created: number;
  ownedBy: string;
}

export class DeploymentTable {
  private readonly groups = new Map<string, ModelGroup>();

  constructor(groups: Iterable<ModelGroup>) {
    for (const group of groups) this.groups.set(group.name, group);
  }

  get(name: string): ModelGroup | undefined {
    return this.groups.get(name);
  }

  list(): ModelGroup[] {
    return [...this.groups.values()];
  }
}

export function buildDeploymentTable(loaded: LoadedConfig, now = Math.floor(Date.now() / 1000)): DeploymentTable {
  const { config } = loaded;
  const problems: string[] = [];
  const defaultTimeoutS =
    config.router_settings?.timeout ?? config.litellm_settings?.request_timeout ?? DEFAULT_REQUEST_TIMEOUT_S;
  const missingKeys = new Map(loaded.missingEnv.map((entry) => [entry.path, entry.variable]));
  const groups = new Map<string, ModelGroup>();

  config.model_list.forEach((entry, index) => {
    const params = entry.litellm_params;
    const path = `model_list[${index}].litellm_params`;
    const slash = params.model.indexOf('/');
    const providerName = params.model.slice(0, slash);
    const provider = PROVIDERS.get(providerName);
    if (!provider) {
      const known = [...PROVIDERS.keys()].join(', ');
      problems.push(`${path}.model: unknown provider "${providerName}" (known: ${known})`);
      return;
    }
    const target = {
      model: params.model.slice(slash + 1),
      apiKey: params.api_key,
      apiBase: params.api_base,
      apiVersion: params.api_version,
      organization: params.organization,
      headers: params.extra_headers,
      mockResponse: params.mock_response,
    };
    const client = (params.mock_response !== undefined ? mockProvider : provider).createClient(target);
    const timeoutS = params.timeout ?? defaultTimeoutS;
    const deployment: Deployment = {
      id: entry.model_info?.id ?? `${entry.model_name}#${index}`,
      modelName: entry.model_name,
      provider: providerName,
      upstreamModel: target.model,
      client,
      timeoutMs: timeoutS * 1000,
      streamTimeoutMs: (params.stream_timeout ?? timeoutS) * 1000,
      maxRetries: params.max_retries ?? 0,
      weight: params.weight ?? 1,
      missingCredential: missingKeys.get(`${path}.api_key`),
      nativeResponses: servesResponsesNatively({
        provider: providerName,
        clientSupportsResponses: client.responses !== undefined,
        mockResponse: params.mock_response,
        useChatCompletionsApi: params.use_chat_completions_api,
        supportedEndpoints: entry.model_info?.supported_endpoints,
      }),
    };
    const group = groups.get(entry.model_name);
    if (group) group.deployments.push(deployment);
    else groups.set(entry.model_name, { name: entry.model_name, deployments: [deployment], created: now, ownedBy: providerName });
  });

  for (const [settings, fallbacks] of [
    ['router_settings', config.router_settings?.fallbacks],
    ['litellm_settings', config.litellm_settings?.fallbacks],
  ] as const) {
    fallbacks?.forEach((mapping, index) => {
      for (const [from, to] of Object.entries(mapping)) {
        for (const name of [from, ...to]) {
          if (!groups.has(name)) problems.push(`${settings}.fallbacks[${index}]: unknown model_name "${name}"`);
        }
      }
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, loaded.source);
  return new DeploymentTable(groups.values());
}
