/** The sentiment network's settings and version, apart from the trainer so the page can read them without loading tfjs. */
export const SENTIMENT_VERSION = 1;

export interface SentimentConfig {
  /** Channels of the word and context layers. */
  hidden: number;
  epochs: number;
  /** Reviews per batch (batches group reviews of similar length). */
  batchSize: number;
  learningRate: number;
  /** Dropout on the word vectors while training. */
  dropout: number;
  /** L2 on the dense weights (not the word vectors). */
  l2: number;
  /** Fine-tune the word vectors (else they stay as initialised from GloVe). */
  tuneEmbedding: boolean;
  /** Longest review seen in training, in tokens (the first 3/4 and the last 1/4 of a longer one). */
  maxTokens: number;
  seed: number;
}

export const DEFAULT_SENTIMENT: SentimentConfig = {
  hidden: 64,
  // Measured on the validation pool (wasm): accuracy 0.825, 0.816, 0.795 after epochs 1, 2, 3; fine-tuned
  // word vectors overfit early, and the best epoch is kept anyway.
  epochs: 2,
  batchSize: 32,
  learningRate: 0.003,
  dropout: 0.3,
  l2: 1e-4,
  tuneEmbedding: true,
  maxTokens: 256,
  seed: 5,
};
