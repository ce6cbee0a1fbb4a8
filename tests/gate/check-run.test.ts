import {
  ANNOTATIONS_PER_REQUEST,
  publishCheckRun,
  type CheckAnnotation,
} from '../../src/github/check-run.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { FakeGitHub } from './support/fake-github.js';

describe('check run', () => {
  let github: FakeGitHub;
  afterEach(() => github.stop());

  test('sends annotations in batches of at most 50 and completes the run with the last batch', async () => {
    github = await new FakeGitHub().start();
    const annotations: CheckAnnotation[] = Array.from({ length: 120 }, (_, index) => ({
      path: 'ml/policy.yml',
      start_line: index + 1,
      end_line: index + 1,
      annotation_level: 'failure',
      title: `rule ${index}`,
      message: 'broken',
    }));
    const client = createGitHubClient('token', github.url, () => {});
    await publishCheckRun(client, {
      owner: 'acme',
      repo: 'weather',
      name: 'model gate',
      headSha: 'c'.repeat(40),
      conclusion: 'failure',
      title: 'failed',
      summary: 'x'.repeat(70000),
      annotations,
    });
    const [create, ...updates] = github.requests;
    expect(create).toMatchObject({ method: 'POST', path: '/repos/acme/weather/check-runs' });
    expect((create.body!.output as { summary: string }).summary.length).toBeLessThanOrEqual(65535);
    const sizes = updates.map(
      (request) => (request.body!.output as { annotations: unknown[] }).annotations.length,
    );
    expect(sizes).toEqual([50, 50, 20]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(ANNOTATIONS_PER_REQUEST);
    const sent = updates.flatMap(
      (request) => (request.body!.output as { annotations: CheckAnnotation[] }).annotations,
    );
    expect(sent.map((annotation) => annotation.start_line)).toEqual(
      annotations.map((annotation) => annotation.start_line),
    );
    expect(updates.map((request) => request.body!.conclusion)).toEqual([undefined, undefined, 'failure']);
  });
});
