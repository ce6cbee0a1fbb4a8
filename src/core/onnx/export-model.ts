import type { EstimatorGraphNames, FittedEstimator, OnnxNodeSpec, Task } from '../train/model-types.js';
import type { PreprocessingPlan } from '../train/preprocess.js';
import type { ClassLabel } from '../train/target.js';
import { encodeModel, type InitializerSpec, type ValueSpec } from './builder.js';

/** Output names every built-in model uses (docs/train.md; evaluate relies on them). */
export const OUTPUT_NAMES = { label: 'label', probabilities: 'probabilities', value: 'variable' } as const;

const BATCH = 'N';
/** Intermediate tensors live under this prefix so they never clash with a feature column's name. */
const INTERNAL = 'mlops/';

export interface ExportRequest {
  /** Feature columns in input order, with their kinds. */
  inputs: { name: string; kind: 'numeric' | 'categorical' }[];
  plan: PreprocessingPlan;
  task: Task;
  classes: ClassLabel[] | null;
  target: string;
  fitted: FittedEstimator;
  algorithm: string;
  producerVersion: string;
}

function preprocessingNodes(plan: PreprocessingPlan): { nodes: OnnxNodeSpec[]; design: string } {
  const nodes: OnnxNodeSpec[] = [];
  const blocks: string[] = [];
  if (plan.numeric.length) {
    let current = `${INTERNAL}numeric`;
    nodes.push({
      opType: 'Concat',
      domain: '',
      inputs: plan.numeric.map((feature) => feature.name),
      outputs: [current],
      attributes: [{ name: 'axis', i: 1 }],
    });
    nodes.push({
      opType: 'Imputer',
      domain: 'ai.onnx.ml',
      inputs: [current],
      outputs: [`${INTERNAL}imputed`],
      attributes: [
        { name: 'imputed_value_floats', floats: plan.numeric.map((feature) => feature.impute) },
        { name: 'replaced_value_float', f: NaN },
      ],
    });
    current = `${INTERNAL}imputed`;
    if (plan.numeric.some((feature) => feature.scaling)) {
      nodes.push({
        opType: 'Scaler',
        domain: 'ai.onnx.ml',
        inputs: [current],
        outputs: [`${INTERNAL}scaled`],
        attributes: [
          { name: 'offset', floats: plan.numeric.map((feature) => feature.scaling?.mean ?? 0) },
          { name: 'scale', floats: plan.numeric.map((feature) => feature.scaling?.scale ?? 1) },
        ],
      });
      current = `${INTERNAL}scaled`;
    }
    blocks.push(current);
  }
  plan.categorical.forEach((feature, index) => {
    const encoded = `${INTERNAL}onehot_${index}`;
    nodes.push({
      opType: 'OneHotEncoder',
      domain: 'ai.onnx.ml',
      inputs: [feature.name],
      outputs: [encoded],
      attributes: [
        { name: 'cats_strings', strings: feature.categories },
        { name: 'zeros', i: 1 },
      ],
    });
    // OneHotEncoder turns [N,1] into [N,1,k]; Flatten makes it the [N,k] block of the design matrix.
    nodes.push({
      opType: 'Flatten',
      domain: '',
      inputs: [encoded],
      outputs: [`${encoded}_flat`],
      attributes: [{ name: 'axis', i: 1 }],
    });
    blocks.push(`${encoded}_flat`);
  });
  const design = `${INTERNAL}features`;
  nodes.push({
    opType: 'Concat',
    domain: '',
    inputs: blocks,
    outputs: [design],
    attributes: [{ name: 'axis', i: 1 }],
  });
  return { nodes, design };
}

function graphInputs(inputs: ExportRequest['inputs']): ValueSpec[] {
  return inputs.map(({ name, kind }) => ({
    name,
    type: kind === 'numeric' ? 'float' : 'string',
    shape: [BATCH, 1],
  }));
}

/**
 * Builds the whole model: raw columns → imputation / scaling / one-hot → the estimator's nodes →
 * `label` + `probabilities` (classifiers) or `variable` (regressors).
 */
export function exportModel(request: ExportRequest): Uint8Array {
  const { plan, task, classes, fitted } = request;
  const { nodes, design } = preprocessingNodes(plan);
  const initializers: InitializerSpec[] = [];
  let outputs: ValueSpec[];
  if (task.kind === 'regression') {
    const names: EstimatorGraphNames = {
      input: design,
      label: `${INTERNAL}unused_label`,
      scores: OUTPUT_NAMES.value,
    };
    nodes.push(...fitted.toOnnxNodes(names));
    outputs = [{ name: OUTPUT_NAMES.value, type: 'float', shape: [BATCH, 1] }];
  } else {
    const labels = classes ?? [];
    const names: EstimatorGraphNames = {
      input: design,
      label: `${INTERNAL}class_index`,
      scores: OUTPUT_NAMES.probabilities,
    };
    nodes.push(...fitted.toOnnxNodes(names));
    const numericLabels = labels.every((label) => typeof label === 'number');
    initializers.push(
      numericLabels
        ? { name: `${INTERNAL}classes`, type: 'int64', dims: [labels.length], values: labels as number[] }
        : { name: `${INTERNAL}classes`, type: 'string', dims: [labels.length], values: labels.map(String) },
    );
    // The estimator returns a class index; Gather maps it to the recorded class label.
    nodes.push({
      opType: 'Gather',
      domain: '',
      inputs: [`${INTERNAL}classes`, names.label],
      outputs: [OUTPUT_NAMES.label],
      attributes: [{ name: 'axis', i: 0 }],
    });
    outputs = [
      { name: OUTPUT_NAMES.label, type: numericLabels ? 'int64' : 'string', shape: [BATCH] },
      { name: OUTPUT_NAMES.probabilities, type: 'float', shape: [BATCH, labels.length] },
    ];
  }
  const metadata: [string, string][] = [
    ['mlops.algorithm', request.algorithm],
    ['mlops.task', task.kind],
    ['mlops.target', request.target],
    ['mlops.features', JSON.stringify(request.inputs.map((input) => input.name))],
  ];
  if (classes) metadata.push(['mlops.classes', JSON.stringify(classes)]);
  return encodeModel({
    graphName: `mlops_${request.algorithm.replaceAll('-', '_')}`,
    inputs: graphInputs(request.inputs),
    outputs,
    nodes,
    initializers,
    metadata,
    producerVersion: request.producerVersion,
  });
}
