export { createMockClient, mockProvider } from './mock-provider.js';
