/**
 * The API's methods by the part of the house that serves them: createHushCart builds each group over the house and
 * serves them all. A type-level test (./api-table.test.ts) holds that every method of the API is served by exactly
 * one group: a method added to the API without a group, or served twice, fails the typecheck.
 */
import { diagnosticsApi } from './diagnostics-api';
import { eventsApi } from './events-api';
import { modelsApi } from './models-api';
import { myDataApi } from './my-data-api';
import { recommendApi } from './recommend-api';
import { searchApi } from './search-api';
import { sentimentApi } from './sentiment-api';
import { statusApi } from './status-api';
import { visionApi } from './vision-api';

export const API_TABLE = {
  events: eventsApi,
  myData: myDataApi,
  recommend: recommendApi,
  search: searchApi,
  vision: visionApi,
  sentiment: sentimentApi,
  models: modelsApi,
  status: statusApi,
  diagnostics: diagnosticsApi,
} as const;
