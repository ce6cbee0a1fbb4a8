import { join } from 'node:path';
import { runAction } from '../support/run-bundle.js';
import { FakeGitHub } from './support/fake-github.js';
import { gateWorkspace, lineIn } from './support/workspace.js';

const TOKEN = 'ghs_test_token_never_printed';
const HEAD_SHA = 'a'.repeat(40);

function pullRequestEvent(headRepo = 'acme/weather') {
  return {
    pull_request: {
      number: 7,
      head: { sha: HEAD_SHA, repo: { full_name: headRepo } },
      base: { repo: { full_name: 'acme/weather' } },
    },
  };
}

function runGate(
  github: FakeGitHub,
  workspace: string,
  event = pullRequestEvent(),
  policy = 'ml/policy.yml',
) {
  return runAction(
    'gate',
    {
      policy,
      metrics: 'evaluated/metrics.json',
      validation: 'evaluated/validation.json',
      name: 'model gate',
      token: TOKEN,
    },
    {
      workspace,
      event,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'acme/weather',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_SHA: 'b'.repeat(40),
        GITHUB_RUN_ID: '4242',
        GITHUB_WORKFLOW: 'PR gate',
      },
    },
  );
}

describe('gate action on a pull request, against a local GitHub API', () => {
  let github: FakeGitHub;
  afterEach(() => github.stop());

  test('creates one sticky comment, then updates it in place; check run with annotations on the policy lines', async () => {
    github = await new FakeGitHub(150).start();
    // One 502 on the check run creation: the retry plugin must try again.
    github.faults.push({
      method: 'POST',
      path: /\/check-runs$/,
      status: 502,
      message: 'Bad Gateway',
      times: 1,
    });
    const workspace = await gateWorkspace();

    const first = await runGate(github, workspace);
    expect(first.exitCode).toBe(1);
    const firstWrites = github.writes();
    expect(
      firstWrites.filter((write) => write === 'POST /repos/acme/weather/issues/7/comments'),
    ).toHaveLength(1);
    expect(
      firstWrites.filter((write) => write.startsWith('POST /repos/acme/weather/check-runs')),
    ).toHaveLength(2);
    const commentPages = github.requests.filter(
      (request) => request.method === 'GET' && request.path.includes('/issues/7/comments'),
    );
    expect(commentPages.length).toBe(2);

    const gateComments = github.comments.filter((comment) =>
      comment.body.includes('<!-- mlops-gate:PR gate:model gate -->'),
    );
    expect(gateComments).toHaveLength(1);
    const [comment] = gateComments;
    expect(comment.body).toContain('https://github.example/acme/weather/actions/runs/4242');
    expect(comment.body).toContain('failed');

    const checkCreate = github.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith('/check-runs'),
    )!;
    expect(checkCreate.body).toMatchObject({ name: 'model gate', head_sha: HEAD_SHA });
    const checkUpdates = github.requests.filter(
      (request) => request.method === 'PATCH' && /\/check-runs\/\d+$/.test(request.path),
    );
    expect(checkUpdates.at(-1)!.body).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const annotations = checkUpdates.flatMap(
      (request) =>
        (request.body!.output as { annotations: { path: string; start_line: number; title: string }[] })
          .annotations,
    );
    const policyFile = join(workspace, 'ml/policy.yml');
    expect(new Set(annotations.map((annotation) => annotation.path))).toEqual(new Set(['ml/policy.yml']));
    const byTitle = Object.fromEntries(
      annotations.map((annotation) => [annotation.title, annotation.start_line]),
    );
    expect(byTitle).toEqual({
      'roc_auc.max_drop': await lineIn(policyFile, /metric: roc_auc/, /max_drop:/),
      'f1@station=naantali.min': await lineIn(policyFile, /^slices:/, /min:/),
      'data.max_drifted_columns': await lineIn(policyFile, /^data:/, /max_drifted_columns:/),
    });

    const second = await runGate(github, workspace);
    expect(second.exitCode).toBe(1);
    const secondWrites = github.writes().slice(firstWrites.length);
    expect(secondWrites.filter((write) => write.includes('/issues/'))).toEqual([
      `PATCH /repos/acme/weather/issues/comments/${comment.id}`,
    ]);
    expect(github.comments.filter((other) => other.body.includes('mlops-gate:'))).toHaveLength(1);

    for (const run of [first, second]) {
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      expect(run.summary).toContain('## ❌ model gate: failed');
      expect(run.outputs.passed).toBe('false');
      expect(run.outputs['failed-rules'].split(',')).toEqual(
        expect.arrayContaining(['roc_auc.max_drop', 'f1@station=naantali.min', 'data.max_drifted_columns']),
      );
    }
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
  });

  test('a pull request from a fork: no API writes, a ::warning, the summary, and the verdict as exit code', async () => {
    github = await new FakeGitHub().start();
    const workspace = await gateWorkspace();
    const run = await runGate(github, workspace, pullRequestEvent('someone/weather-fork'));
    expect(run.exitCode).toBe(1);
    expect(github.requests).toEqual([]);
    expect(run.stdout).toMatch(/::warning::.*fork.*read-only/);
    expect(run.summary).toContain('model gate: failed');
  });

  test('a read-only token (403) does not crash the step: warnings, summary, exit code from the verdict', async () => {
    github = await new FakeGitHub().start();
    github.faults.push({
      method: 'POST',
      path: /./,
      status: 403,
      message: 'Resource not accessible by integration',
      times: Infinity,
    });
    const workspace = await gateWorkspace('policy-pass.yml');
    const run = await runGate(github, workspace);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.match(/::warning::mlops gate: (pull-request comment|check run) skipped/g)).toHaveLength(
      2,
    );
    expect(run.summary).toContain('model gate: passed');
    expect(run.outputs.passed).toBe('true');
  });
});
