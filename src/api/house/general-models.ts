/** The models trained on the general training data, shared by every catalog on this device. */
import { MODEL_TABLE } from '../model-table';

/** Their saved ids (kept in the general database; a catalog's export and deletion reach them there). */
export const GENERAL_MODEL_IDS: readonly string[] = MODEL_TABLE.filter((d) => d.scope === 'general').map((d) =>
  d.modelId(''),
);
