#!/usr/bin/env node
/** CLI: `gatehouse --config FILE --port N --host H`. Parses flags and the environment, loads config, starts. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError } from './config/config-error.js';
import { DEFAULT_HOST, DEFAULT_PORT } from './config/defaults.js';
import { loadConfigFile } from './config/load-config.js';
import { createLogger } from './http/logger.js';
import { GATEHOUSE_VERSION } from './version.js';

const HELP = `gatehouse ${GATEHOUSE_VERSION} — OpenAI-compatible LLM proxy with an MCP gateway

Usage: gatehouse [--config FILE] [--port N] [--host H]

Options:
  -c, --config FILE   config.yaml to load (LiteLLM format). Default: $CONFIG_FILE_PATH,
                      else ./config.yaml, else the bundled demo config
  -p, --port N        port to listen on (default: $PORT or ${DEFAULT_PORT})
      --host H        address to bind (default: $HOST or ${DEFAULT_HOST})
      --log-level L   fatal|error|warn|info|debug|trace (default: $LOG_LEVEL or info)
      --detailed_debug, --debug
                      LiteLLM's flags, accepted as --log-level debug
  -v, --version       print the version
  -h, --help          print this help

Docs: docs/config.md (every key), docs/endpoints.md, docs/headers.md`;

async function main(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'log-level': { type: 'string' },
        // LiteLLM's CLI flags, so its Docker and compose command lines start Gatehouse as they are.
        detailed_debug: { type: 'boolean' },
        debug: { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (flags.version) {
    process.stdout.write(`${GATEHOUSE_VERSION}\n`);
    return 0;
  }

  const port = Number(flags.port ?? process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid port: ${flags.port ?? process.env.PORT}\n`);
    return 2;
  }
  const host = flags.host ?? process.env.HOST ?? DEFAULT_HOST;
  const litellmDebug = flags.detailed_debug === true || flags.debug === true ? 'debug' : undefined;
  const logger = createLogger({ level: flags['log-level'] ?? litellmDebug ?? process.env.LOG_LEVEL ?? 'info' });
  const configPath = flags.config ?? process.env.CONFIG_FILE_PATH ?? defaultConfigPath();

  try {
    const loaded = await loadConfigFile(configPath, process.env);
    const app = await buildApp(loaded, { logger, env: process.env });
    const shutdown = () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await app.listen({ port, host });
    logger.info({ config: configPath, models: loaded.config.model_list.length }, 'gatehouse ready');
    return -1;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    logger.fatal({ err: error }, 'failed to start');
    return 1;
  }
}

/** ./config.yaml when present, else the demo config shipped beside the compiled code. */
function defaultConfigPath(): string {
  const local = resolve('config.yaml');
  if (existsSync(local)) return local;
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..', '..', 'config.yaml');
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code);
});
