export { defaultSqlitePath, resolveStoreLocation, STATE_DIRECTORY_NAME, type StoreLocation } from './store-location.js';
export { openStore, DEFAULT_MAX_CHAIN_LENGTH, DEFAULT_RESPONSES_CACHE_SIZE, type Store, type StoreSettings } from './open-store.js';
export type { StoreDialect } from './dialect.js';
export type { StoreDatabase, ResponsesTable } from './schema.js';
export type { StoreLogger } from './store-logger.js';
export type {
  ConversationItemOf,
  InputItemsPage,
  InputItemsQuery,
  OpenAIResponsePayloads,
  ResponseChain,
  ResponsePayloads,
  ResponsesRepository,
  StoredResponse,
} from './responses-record.js';
export { storedResponseFrom, type ResponseColumns } from './stored-response-from.js';
export type { KeyListQuery, KeyPage, KeyPatch, KeyRecord, KeysRepository, KeyWithTeamAndOrganization, KeyWrite } from './keys-record.js';
export type { ObjectPermission } from './keys-permission-fields.js';
export type { TeamPatch, TeamRecord, TeamsRepository, TeamWrite } from './teams-record.js';
export type {
  OrganizationDelete,
  OrganizationPatch,
  OrganizationRecord,
  OrganizationsRepository,
  OrganizationWrite,
} from './organizations-record.js';
export type { BudgetClock, SpendDayGroup, SpendLogFilter, SpendLogQuery, SpendLogRow, SpendLogsRepository } from './spend-logs-record.js';
