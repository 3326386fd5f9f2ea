/**
 * The single log line written per request, through Fastify's LogController (so hijacked streaming replies
 * are logged the same way), and the request fields it reads. Handlers never log ad hoc.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Public model name the request asked for, set by LLM routes. */
    modelName: string | null;
    /** Deployment that served it. */
    deploymentId: string | null;
  }
}

export class RequestLogController extends LogController {
  /** No "incoming request" line: one line per request, written when it completes. */
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = {
      method: request.method,
      url: loggableUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      model: request.modelName ?? undefined,
      deployment: request.deploymentId ?? undefined,
    };
    if (error) request.log.error({ ...fields, err: error }, 'request errored');
    else request.log.info(fields, 'request completed');
  }
}

/** Query parameters that carry a key (`/key/info?key=`, `/spend/logs?api_key=`): their values never reach a log. */
const SECRET_PARAMS = /([?&](?:key|api_key|keys|token|access_token)=)[^&]*/gi;

function loggableUrl(url: string): string {
  return url.includes('?') ? url.replace(SECRET_PARAMS, '$1***') : url;
}
