/**
 * Which price each deployment is charged at, decided once at start-up: the deployment's price keys (LiteLLM's
 * names, in `model_info` or, as LiteLLM's custom-pricing docs also place them, in `litellm_params`) over the
 * shipped table's entry for its upstream model, or for `model_info.base_model` when set (exact id, else the longest
 * table id that is a `-`-bounded prefix, so `gpt-4o-2024-08-06` → `gpt-4o`, `claude-3-5-haiku-20241022` →
 * `claude-3-5-haiku`). A deployment with neither is unpriced: its rounds cost 0 (LiteLLM does the same) and the
 * start-up log says so.
 */
import type { LitellmParams, ModelInfo } from '../config/schema.js';
import { PRICE_TABLE, type ModelPrice } from './price-table.js';

/** What the book needs of one deployment. */
export interface PricedDeployment {
  id: string;
  /** The upstream model, provider prefix removed (`gpt-4o`). */
  upstreamModel: string;
  modelInfo?: ModelInfo | undefined;
}

export class PriceBook {
  private readonly prices = new Map<string, ModelPrice>();
  /** Deployments with no price in the table or in `model_info`. */
  readonly unpriced: string[] = [];

  constructor(deployments: Iterable<PricedDeployment>, table: ReadonlyMap<string, ModelPrice> = PRICE_TABLE) {
    for (const deployment of deployments) {
      const price = priceOf(deployment, table);
      if (price) this.prices.set(deployment.id, price);
      else this.unpriced.push(deployment.id);
    }
  }

  /** The price of a deployment, by its id; undefined when unpriced. */
  get(deploymentId: string): ModelPrice | undefined {
    return this.prices.get(deploymentId);
  }
}

/** The table's entry for a model id: exact, else the longest `-`-bounded prefix. */
export function tablePrice(model: string, table: ReadonlyMap<string, ModelPrice> = PRICE_TABLE): ModelPrice | undefined {
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  const exact = table.get(id);
  if (exact) return exact;
  let best: string | undefined;
  for (const key of table.keys()) {
    if (id.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table.get(best);
}

function priceOf(deployment: PricedDeployment, table: ReadonlyMap<string, ModelPrice>): ModelPrice | undefined {
  const info = deployment.modelInfo;
  const base = tablePrice(info?.base_model ?? deployment.upstreamModel, table);
  const input = info?.input_cost_per_token ?? base?.input;
  const output = info?.output_cost_per_token ?? base?.output;
  if (input === undefined && output === undefined) return undefined;
  // An override of the input price alone does not inherit the table's cached price (it may no longer be cheaper).
  const cachedInput = info?.cache_read_input_token_cost ?? (info?.input_cost_per_token == null ? base?.cachedInput : undefined);
  return { input: input ?? 0, output: output ?? 0, ...(cachedInput !== undefined ? { cachedInput } : {}) };
}

/** What `pricedDeployments` reads of the config and of the deployment table (structurally, so spend/ imports no llm/). */
interface ModelListEntry {
  model_name: string;
  litellm_params?: Pick<LitellmParams, PriceKey> | undefined;
  model_info?: ModelInfo | undefined;
}

type PriceKey = 'input_cost_per_token' | 'output_cost_per_token' | 'cache_read_input_token_cost';
const PRICE_KEYS: readonly PriceKey[] = ['input_cost_per_token', 'output_cost_per_token', 'cache_read_input_token_cost'];
interface DeploymentGroup {
  name: string;
  deployments: readonly { id: string; upstreamModel: string }[];
}

/**
 * Each deployment with its `model_info`, a price key missing there taken from its `litellm_params`: a group's
 * deployments are built from its `model_list` entries in order (llm/deployments.ts), so the n-th deployment of a
 * group is the n-th entry with that `model_name`.
 */
export function pricedDeployments(modelList: readonly ModelListEntry[], groups: Iterable<DeploymentGroup>): PricedDeployment[] {
  const priced: PricedDeployment[] = [];
  for (const group of groups) {
    const entries = modelList.filter((entry) => entry.model_name === group.name);
    group.deployments.forEach((deployment, index) => {
      priced.push({ id: deployment.id, upstreamModel: deployment.upstreamModel, modelInfo: pricingInfo(entries[index]) });
    });
  }
  return priced;
}

function pricingInfo(entry: ModelListEntry | undefined): ModelInfo | undefined {
  if (entry === undefined) return undefined;
  let info = entry.model_info;
  for (const key of PRICE_KEYS) {
    const value = entry.litellm_params?.[key];
    if (value != null && info?.[key] == null) info = { ...info, [key]: value };
  }
  return info;
}
