/**
 * My data: what is stored, export, import, deletion by category, pausing recording, retention (../my-data.ts does
 * the work), with the house's consent in front: without it nothing is recorded and recording cannot be switched on.
 */
import { dataControls } from '../my-data';
import type { Methods } from './context';
import { GENERAL_MODEL_IDS } from './general-models';

type DataMethod = keyof ReturnType<typeof dataControls>;

export const myDataApi: Methods<DataMethod> = (h) => {
  const controls = dataControls({
    loaded: h.loaded,
    generalModelIds: GENERAL_MODEL_IDS,
    onRecording: h.shopper.setRecording,
    retentionDays: h.shopper.retentionDays,
  });
  return {
    ...controls,
    async storage() {
      const report = await controls.storage();
      return h.shopper.storesNothing ? { ...report, recording: false } : report;
    },
    async setRecording(on) {
      h.shopper.refuseWithoutConsent();
      return controls.setRecording(on);
    },
  };
};
