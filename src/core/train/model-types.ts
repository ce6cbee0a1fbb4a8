/**
 * The seam between the training pipeline (data → preprocessing → ONNX graph) and the estimators
 * (linear models, tree ensembles). Estimators see a dense numeric matrix whose preprocessing
 * (imputation, one-hot encoding) the pipeline also writes into the ONNX graph, and they return
 * plain data: predictions for parity checks and the ONNX node(s) that compute the same.
 */

/** Row-major [rows × cols] float64 values after imputation and encoding (no NaN left). */
export interface DesignMatrix {
  rows: number;
  cols: number;
  values: Float64Array;
  columnNames: string[];
}

export type Task =
  { kind: 'binary'; classCount: 2 } | { kind: 'multiclass'; classCount: number } | { kind: 'regression' };

/**
 * Targets: the class index 0..k-1 for classifiers (classes sorted as the pipeline records them),
 * the value for regressors.
 */
export type TargetVector = Float64Array;

/** One ONNX attribute as plain data; exactly one value field is set. */
export interface OnnxAttribute {
  name: string;
  i?: number;
  f?: number;
  s?: string;
  ints?: number[];
  floats?: number[];
  strings?: string[];
}

/** One ONNX node as plain data; the pipeline's graph builder encodes it. */
export interface OnnxNodeSpec {
  opType: string;
  /** '' for the default domain, 'ai.onnx.ml' for the ML operators. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** Names the estimator's nodes must read and write. */
export interface EstimatorGraphNames {
  /** Float tensor [N, cols] holding the design matrix. */
  input: string;
  /** Classifiers: int64 label tensor [N] (class index; the pipeline maps indices to class labels). */
  label: string;
  /** Classifiers: float tensor [N, k] of probabilities; regressors: float tensor [N, 1] of values. */
  scores: string;
}

/** Per-iteration record for training curves (boosting: validation loss per tree). */
export interface TrainingCurvePoint {
  iteration: number;
  trainLoss: number;
  validationLoss?: number;
}

export interface FittedEstimator {
  /** Probabilities [rows × k] row-major for classifiers (k = 2 for binary), values [rows] for regressors. */
  predict(x: DesignMatrix): Float64Array;
  /** Nodes computing exactly `predict` (within float32 rounding) from `names.input`. */
  toOnnxNodes(names: EstimatorGraphNames): OnnxNodeSpec[];
  /** What training.json records about the fitted model (iterations run, trees, coefficients count, curve). */
  summary: { curve?: TrainingCurvePoint[]; [key: string]: unknown };
}

/** Validation rows for early stopping, already split and encoded by the pipeline with the recorded seed. */
export interface FitInput {
  train: DesignMatrix;
  trainTarget: TargetVector;
  validation?: DesignMatrix;
  validationTarget?: TargetVector;
  task: Task;
  seed: number;
}

/** An estimator: params are plain data with documented defaults; fit learns, the result predicts. */
export interface Estimator<P> {
  name: string;
  tasks: Task['kind'][];
  defaults: P;
  /** One line per parameter, for docs and for the message listing valid parameters. */
  paramDescriptions?: Record<string, string>;
  /** Linear models ask the pipeline to standardise numeric features (a Scaler node in the graph). */
  scaleFeatures?: boolean;
  /** Checks and converts user key=value strings; throws InputError naming the bad key and listing valid ones. */
  parseParams(raw: Record<string, string>): P;
  fit(input: FitInput, params: P): Promise<FittedEstimator>;
}
