import type { GitHubClient } from './octokit.js';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

export interface CheckRunRequest {
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  conclusion: 'success' | 'neutral' | 'failure';
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  detailsUrl?: string;
}

/** The checks API takes at most 50 annotations per request; more are sent in further updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** The checks API rejects an output summary longer than this. */
const SUMMARY_LIMIT = 65535;

function fitSummary(summary: string): string {
  const note = '\n\n… (truncated: the job summary has the full report)';
  return summary.length <= SUMMARY_LIMIT ? summary : summary.slice(0, SUMMARY_LIMIT - note.length) + note;
}

/**
 * Creates the check run, then sends the annotations in batches of 50 (each update appends to the
 * run's annotations); the last update completes the run with its conclusion.
 */
export async function publishCheckRun(
  client: GitHubClient,
  request: CheckRunRequest,
): Promise<{ id: number; url: string | null }> {
  const { owner, repo } = request;
  const output = { title: request.title, summary: fitSummary(request.summary) };
  const { data } = await client.rest.checks.create({
    owner,
    repo,
    name: request.name,
    head_sha: request.headSha,
    status: 'in_progress',
    ...(request.detailsUrl ? { details_url: request.detailsUrl } : {}),
    output,
  });
  const batches: CheckAnnotation[][] = [];
  for (let start = 0; start < request.annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(request.annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  if (!batches.length) batches.push([]);
  for (const [index, annotations] of batches.entries()) {
    const last = index === batches.length - 1;
    await client.rest.checks.update({
      owner,
      repo,
      check_run_id: data.id,
      output: { ...output, annotations },
      ...(last
        ? {
            status: 'completed' as const,
            conclusion: request.conclusion,
            completed_at: new Date().toISOString(),
          }
        : {}),
    });
  }
  return { id: data.id, url: data.html_url };
}
