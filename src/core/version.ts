/** The tool version recorded in training.json, metrics.json and bundles; a test keeps it equal to package.json. */
export const TOOL_VERSION = '0.1.0';
