/** Where in the input a problem sits: the file, and the row, column or key when they apply. */
export interface InputLocation {
  file?: string;
  /** Line of a text file such as the YAML policy (1-based). */
  line?: number;
  row?: number;
  column?: string;
  key?: string;
}

/**
 * Bad usage or unreadable input: the CLI and the actions turn it into exit code 2 and print only
 * its message (no stack trace), so the message must name the file and the row/column/key.
 */
export class InputError extends Error {
  readonly location: InputLocation;

  constructor(message: string, location: InputLocation = {}) {
    super(withLocation(message, location));
    this.name = 'InputError';
    this.location = location;
  }
}

function withLocation(message: string, { file, line, row, column, key }: InputLocation): string {
  const parts = [
    file && `${file}`,
    line !== undefined && `line ${line}`,
    row !== undefined && `row ${row}`,
    column !== undefined && `column "${column}"`,
    key !== undefined && `key "${key}"`,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}

/** A command of the contract that a later release builds; it is bad usage today (exit 2). */
export class NotBuiltYetError extends InputError {
  constructor(command: string) {
    super(`"${command}" is not built yet in this version; see the README for what is available`);
  }
}
