import { SeededRandom } from '../random.js';

export interface Split {
  /** Positions into the prepared rows (ascending), not file row numbers. */
  train: Int32Array;
  validation: Int32Array;
  method: 'stratified' | 'random';
}

/**
 * A seeded train/validation split. Classifiers split each class separately (stratified) so both
 * sides keep the class balance; every class keeps at least one training row.
 */
export function splitRows(
  count: number,
  validationFraction: number,
  seed: number,
  classIndex?: Float64Array,
): Split {
  const random = new SeededRandom(seed);
  const groups: number[][] = [];
  if (classIndex) {
    for (let position = 0; position < count; position++) (groups[classIndex[position]] ??= []).push(position);
  } else {
    groups.push(Array.from({ length: count }, (_, position) => position));
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (const group of groups) {
    if (!group) continue;
    const shuffled = random.shuffle(Int32Array.from(group));
    const take = Math.min(Math.round(shuffled.length * validationFraction), shuffled.length - 1);
    for (let at = 0; at < shuffled.length; at++) (at < take ? validation : train).push(shuffled[at]);
  }
  const ascending = (values: number[]) => Int32Array.from(values).sort();
  return {
    train: ascending(train),
    validation: ascending(validation),
    method: classIndex ? 'stratified' : 'random',
  };
}
