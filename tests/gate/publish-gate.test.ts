import type { GateResult } from '../../src/core/gate/gate-result.js';
import type { GitHubContext } from '../../src/github/context.js';
import type { GatePublisher } from '../../src/github/gate-publisher.js';
import { publishGate } from '../../src/github/publish-gate.js';

const result: GateResult = {
  schemaVersion: 1,
  tool: { name: 'mlops-actions', version: '0.1.0' },
  name: 'model gate',
  policy: 'ml/policy.yml',
  passed: true,
  verdict: 'warn',
  waivers: [],
  rules: [
    {
      name: 'latency_p95_ms.max',
      rule: 'latency_p95_ms',
      check: 'max',
      observed: 30,
      threshold: 20,
      baseline: null,
      interval: null,
      severity: 'warn',
      verdict: 'warn',
      reason: 'latency_p95_ms 30 breaks max 20',
      line: 9,
    },
  ],
};

const push: GitHubContext = {
  owner: 'acme',
  repo: 'weather',
  eventName: 'push',
  sha: 'd'.repeat(40),
  workflow: 'main',
  apiUrl: 'http://127.0.0.1:1',
  runUrl: undefined,
  workspace: '/repo',
  pullRequest: undefined,
};

/** A publisher that records what the gate asks of GitHub, without any HTTP. */
function recordingPublisher() {
  const calls: { kind: string; args: unknown }[] = [];
  const publisher: GatePublisher = {
    upsertComment: async (issueNumber, marker, body) => {
      calls.push({ kind: 'comment', args: { issueNumber, marker, body } });
      return { created: true, url: 'u' };
    },
    publishCheckRun: async (request) => {
      calls.push({ kind: 'check', args: request });
      return { url: 'u' };
    },
  };
  return { calls, publisher };
}

function logger() {
  const lines: { info: string[]; warning: string[] } = { info: [], warning: [] };
  return {
    lines,
    log: {
      info: (line: string) => lines.info.push(line),
      warning: (line: string) => lines.warning.push(line),
    },
  };
}

describe('publishGate', () => {
  test('outside a pull request: no comment, a neutral check run on the pushed commit for a warning', async () => {
    const { calls, publisher } = recordingPublisher();
    const { log } = logger();
    await publishGate({
      result,
      report: '## ⚠️ model gate\n',
      context: push,
      policyPath: 'ml/policy.yml',
      publisher,
      log,
    });
    expect(calls.map((call) => call.kind)).toEqual(['check']);
    expect(calls[0].args).toMatchObject({
      name: 'model gate',
      headSha: push.sha,
      conclusion: 'neutral',
      annotations: [
        { path: 'ml/policy.yml', start_line: 9, annotation_level: 'warning', title: 'latency_p95_ms.max' },
      ],
    });
  });

  test('without a token: a warning and nothing else', async () => {
    const { lines, log } = logger();
    await publishGate({
      result,
      report: '',
      context: push,
      policyPath: 'ml/policy.yml',
      publisher: undefined,
      log,
    });
    expect(lines.warning).toEqual([expect.stringContaining('no token')]);
  });

  test('an outage of the API becomes a warning, not a failed step', async () => {
    const { lines, log } = logger();
    const failing: GatePublisher = {
      upsertComment: async () =>
        Promise.reject(Object.assign(new Error('Service Unavailable'), { status: 503 })),
      publishCheckRun: async () =>
        Promise.reject(Object.assign(new Error('Service Unavailable'), { status: 503 })),
    };
    const context = {
      ...push,
      eventName: 'pull_request',
      pullRequest: { number: 3, headSha: 'e', headRepo: 'acme/weather', baseRepo: 'acme/weather' },
    };
    await publishGate({ result, report: '', context, policyPath: 'ml/policy.yml', publisher: failing, log });
    expect(lines.warning).toEqual([
      expect.stringContaining('pull-request comment skipped: HTTP 503'),
      expect.stringContaining('check run skipped: HTTP 503'),
    ]);
  });
});
