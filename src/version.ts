/** The running version, for health output and the CLI. Kept in step with package.json by test/unit/version.test.ts. */
export const GATEHOUSE_VERSION = '0.1.0';
