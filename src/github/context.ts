import { readFileSync } from 'node:fs';

/** The pull request a run belongs to, from the event payload. */
export interface PullRequestRef {
  number: number;
  headSha: string;
  /** owner/name of the head and base repositories: they differ for pull requests from forks. */
  headRepo: string | undefined;
  baseRepo: string | undefined;
}

/** What the gate needs of the runner's environment, as plain data. */
export interface GitHubContext {
  owner: string;
  repo: string;
  eventName: string;
  sha: string;
  workflow: string;
  apiUrl: string;
  runUrl: string | undefined;
  workspace: string;
  pullRequest: PullRequestRef | undefined;
}

interface PullRequestPayload {
  number: number;
  head?: { sha?: string; repo?: { full_name?: string } | null };
  base?: { repo?: { full_name?: string } };
}

function readEvent(path: string | undefined): { pull_request?: PullRequestPayload } {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/** Reads the GITHUB_* variables and the event payload; `undefined` when not inside a GitHub repository run. */
export function readGitHubContext(env: NodeJS.ProcessEnv): GitHubContext | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return undefined;
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const pr = readEvent(env.GITHUB_EVENT_PATH).pull_request;
  return {
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    sha: env.GITHUB_SHA ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    // GHES and the tests point the API elsewhere through GITHUB_API_URL, as the runner does.
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    runUrl: env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    pullRequest: pr && {
      number: pr.number,
      headSha: pr.head?.sha ?? env.GITHUB_SHA ?? '',
      headRepo: pr.head?.repo?.full_name,
      baseRepo: pr.base?.repo?.full_name,
    },
  };
}
