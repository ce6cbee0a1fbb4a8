/** ROC AUC of one score column by ranks (ties share their mean rank), as sklearn's roc_auc_score. */
export function rocAuc(score: Float64Array, positive: (row: number) => boolean): number {
  const order = Array.from(score.keys()).sort((a, b) => score[a] - score[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && score[order[end + 1]] === score[order[start]]) end++;
    for (let at = start; at <= end; at++) {
      if (positive(order[at])) {
        positives++;
        rankSum += (start + end) / 2 + 1;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Binary: AUC of the positive class; multiclass: macro average of one-vs-rest AUCs (sklearn's multi_class='ovr'). */
export function rocAucOneVsRest(probabilities: Float64Array, y: Float64Array, classCount: number): number {
  const columns = classCount === 2 ? [1] : Array.from({ length: classCount }, (_, k) => k);
  const aucs = columns.map((k) =>
    rocAuc(
      Float64Array.from(y, (_, row) => probabilities[row * classCount + k]),
      (row) => y[row] === k,
    ),
  );
  return aucs.reduce((sum, auc) => sum + auc, 0) / aucs.length;
}

export function rSquared(predicted: Float64Array, y: Float64Array): number {
  const mean = y.reduce((sum, value) => sum + value, 0) / y.length;
  let residual = 0;
  let total = 0;
  y.forEach((value, row) => {
    residual += (value - predicted[row]) ** 2;
    total += (value - mean) ** 2;
  });
  return 1 - residual / total;
}
