import { parseCommandFile, runAction } from '../support/run-bundle.js';

describe('action entries run as the runner runs them', () => {
  test('a missing required input fails the step with exit 2 and an ::error:: naming the input', async () => {
    const run = await runAction('gate', {});
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('::error::input "policy" is required');
  });

  test('inputs arrive through INPUT_* variables (hyphenated names included)', async () => {
    const run = await runAction('publish', { model: 'model.onnx', name: 'rain', version: '1.0.0' });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('::error::"publish" is not built yet');
  });

  test('command files parse heredoc blocks and plain lines', () => {
    const text =
      'passed<<ghadelimiter_1\ntrue\nghadelimiter_1\nreport<<EOF\nline one\nline two\nEOF\nplain=value=x\n';
    expect(parseCommandFile(text)).toEqual({
      passed: 'true',
      report: 'line one\nline two',
      plain: 'value=x',
    });
  });
});
