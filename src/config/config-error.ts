/** A config file that cannot be used. Raised at start-up only; the CLI prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** One line per problem, each starting with the YAML path at fault. */
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`invalid config ${source}:\n  - ${problems.join('\n  - ')}`);
  }
}
