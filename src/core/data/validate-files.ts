import { toJson } from '../io/atomic-write.js';
import { validationHtml, validationMarkdown } from '../report/validation-report.js';
import { validateData, type ValidateOptions, type ValidateResult } from './validate.js';

export interface ValidateFiles {
  result: ValidateResult;
  /** Output files by name (validation.json, profile.json, report.md, report.html), ready to write together. */
  files: Record<string, string>;
  reportMarkdown: string;
}

/** The files validate-data writes into its output folder. */
export const VALIDATION_FILES = ['validation.json', 'profile.json', 'report.md', 'report.html'];

/** Runs validate-data and renders every output file; nothing is written until all of them are ready. */
export async function validateToFiles(options: ValidateOptions): Promise<ValidateFiles> {
  const result = await validateData(options);
  const reportMarkdown = validationMarkdown(result.validation, result.profile);
  return {
    result,
    reportMarkdown,
    files: {
      'validation.json': toJson(result.validation),
      'profile.json': toJson(result.profile),
      'report.md': reportMarkdown,
      'report.html': validationHtml(result.validation, result.profile),
    },
  };
}
