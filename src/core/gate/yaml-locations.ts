import { isMap, isNode, isPair, isScalar, type Document, type LineCounter } from 'yaml';

/** Turns a JSON pointer from ajv ("/metrics/0/min") into the path segments the yaml Document understands. */
export function pointerSegments(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Offset where the value at `path` starts, walking up to the nearest ancestor that exists. */
function nodeOffset(document: Document, path: (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** Offset of the key `key` inside the map at `path` (for "unknown key" errors), if it is there. */
function keyOffset(document: Document, path: (string | number)[], key: string): number | undefined {
  const node = path.length ? document.getIn(path, true) : document.contents;
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
  return isPair(pair) && isScalar(pair.key) && pair.key.range ? pair.key.range[0] : undefined;
}

/** 1-based line of the value at `path`, or of the key `key` in the map at `path` when given. */
export function lineOf(
  document: Document,
  lineCounter: LineCounter,
  path: (string | number)[],
  key?: string,
): number {
  const offset =
    (key !== undefined ? keyOffset(document, path, key) : undefined) ?? nodeOffset(document, path);
  return lineCounter.linePos(offset).line;
}

/** Line of every key of the map at `path` (the lines check-run annotations point at). */
export function keyLines(
  document: Document,
  lineCounter: LineCounter,
  path: (string | number)[],
): Record<string, number> {
  const node = document.getIn(path, true);
  if (!isMap(node)) return {};
  const lines: Record<string, number> = {};
  for (const item of node.items) {
    if (isScalar(item.key) && item.key.range) {
      lines[String(item.key.value)] = lineCounter.linePos(item.key.range[0]).line;
    }
  }
  return lines;
}
