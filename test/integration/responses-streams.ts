/**
 * Helpers for Responses tests: run a request both ways (create and `client.responses.stream`), check the stream's
 * event order, and compare the two responses in structure (ids and timestamps aside).
 */
import type OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { expect } from 'vitest';
import { checkEventOrder } from '../fixtures/response-event-order.js';

export interface Streamed {
  events: ResponseStreamEvent[];
  final: Response;
}

export async function streamed(client: OpenAI, body: ResponseCreateParamsNonStreaming): Promise<Streamed> {
  const events: ResponseStreamEvent[] = [];
  const { stream: _stream, ...params } = body;
  const stream = client.responses.stream(params);
  stream.on('event', (event) => events.push(event));
  const final = await stream.finalResponse();
  checkEventOrder(events as unknown as Parameters<typeof checkEventOrder>[0]);
  return { events, final };
}

/** Both ways, checking the stream's order and that both give the same structure. */
export async function both(client: OpenAI, body: ResponseCreateParamsNonStreaming): Promise<{ plain: Response } & Streamed> {
  const plain = await client.responses.create(body);
  const stream = await streamed(client, body);
  expectSameStructure(stream.final, plain);
  return { plain, ...stream };
}

export function expectSameStructure(a: Response, b: Response): void {
  expect(structure(a)).toEqual(structure(b));
}

const VOLATILE = new Set(['id', 'created_at', 'completed_at', 'approval_request_id']);

const HELPERS = new Set(['parsed', 'parsed_arguments', 'output_parsed']);

/** The response with ids and timestamps masked (null stays null) and the SDK's parse helpers taken out. */
function structure(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structure);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !HELPERS.has(key))
      .map(([key, inner]) => [key, VOLATILE.has(key) && inner !== null ? '<volatile>' : structure(inner)]),
  );
}
