import type { GitHubClient } from './octokit.js';

export interface StickyComment {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden HTML comment that identifies the comment among the others on the pull request. */
  marker: string;
  body: string;
}

/** Updates the pull request's comment that carries `marker` in place, or creates it once. */
export async function upsertStickyComment(
  client: GitHubClient,
  { owner, repo, issueNumber, marker, body }: StickyComment,
): Promise<{ id: number; created: boolean; url: string }> {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = comments.find((comment) => comment.body?.includes(marker));
  if (existing) {
    const { data } = await client.rest.issues.updateComment({
      owner,
      repo,
      comment_id: existing.id,
      body: text,
    });
    return { id: data.id, created: false, url: data.html_url };
  }
  const { data } = await client.rest.issues.createComment({
    owner,
    repo,
    issue_number: issueNumber,
    body: text,
  });
  return { id: data.id, created: true, url: data.html_url };
}
