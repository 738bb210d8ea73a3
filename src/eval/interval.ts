/** A ratio of two models' mean scores with its 95% interval (./bootstrap.ts computes it): a plain type. */
export interface RatioInterval {
  /** mean(a) / mean(b) on the users as they are. */
  ratio: number;
  low: number;
  high: number;
  users: number;
  samples: number;
}
