import { publishCheckRun, type CheckRunRequest } from './check-run.js';
import type { GitHubClient } from './octokit.js';
import { upsertStickyComment } from './sticky-comment.js';

/** The two writes the gate makes on GitHub, behind an interface so tests can swap them. */
export interface GatePublisher {
  upsertComment(
    issueNumber: number,
    marker: string,
    body: string,
  ): Promise<{ created: boolean; url: string }>;
  publishCheckRun(request: Omit<CheckRunRequest, 'owner' | 'repo'>): Promise<{ url: string | null }>;
}

export function octokitPublisher(client: GitHubClient, owner: string, repo: string): GatePublisher {
  return {
    upsertComment: (issueNumber, marker, body) =>
      upsertStickyComment(client, { owner, repo, issueNumber, marker, body }),
    publishCheckRun: (request) => publishCheckRun(client, { owner, repo, ...request }),
  };
}
