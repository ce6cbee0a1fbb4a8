import type { GateResult } from '../core/gate/gate-result.js';
import type { GitHubContext } from './context.js';
import { CHECK_CONCLUSION, gateAnnotations, gateCommentBody, gateCommentMarker } from './gate-comment.js';
import type { GatePublisher } from './gate-publisher.js';

export interface PublishGateOptions {
  result: GateResult;
  report: string;
  context: GitHubContext;
  /** The policy file's path relative to the repository root (annotations point into it). */
  policyPath: string;
  /** Undefined when there is no token. */
  publisher: GatePublisher | undefined;
  log: { info(line: string): void; warning(line: string): void };
}

const READ_ONLY = 'the verdict is still enforced by the exit code and the job summary has the report';

function isForkPullRequest({ eventName, pullRequest }: GitHubContext): boolean {
  // pull_request_target runs with a write token even for forks; plain pull_request gets a read-only one.
  return eventName === 'pull_request' && !!pullRequest && pullRequest.headRepo !== pullRequest.baseRepo;
}

function describeFailure(error: unknown): { readOnly: boolean; message: string } {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  return { readOnly: status === 403, message: status ? `HTTP ${status}: ${message}` : message };
}

/** Runs one write; a refusal or an outage becomes a warning, because the gate's verdict does not depend on it. */
async function attempt(
  what: string,
  write: () => Promise<string>,
  log: PublishGateOptions['log'],
): Promise<void> {
  try {
    log.info(await write());
  } catch (error) {
    const { readOnly, message } = describeFailure(error);
    const why = readOnly
      ? 'the token may not write here (read-only token, e.g. a pull request from a fork)'
      : message;
    log.warning(`mlops gate: ${what} skipped: ${why}; ${READ_ONLY}`);
  }
}

/** The pull-request side of the gate: one sticky comment per gate, and a check run with annotations. */
export async function publishGate(options: PublishGateOptions): Promise<void> {
  const { result, report, context, log } = options;
  if (!options.publisher) {
    log.warning(`mlops gate: no token, so no pull-request comment or check run; ${READ_ONLY}`);
    return;
  }
  if (isForkPullRequest(context)) {
    log.warning(
      `mlops gate: pull request from a fork (${context.pullRequest?.headRepo ?? 'unknown'}): its token is read-only, so the comment and the check run are skipped; ${READ_ONLY}`,
    );
    return;
  }
  const publisher = options.publisher;
  const pullRequest = context.pullRequest;
  if (pullRequest) {
    const marker = gateCommentMarker(context.workflow, result.name);
    const body = gateCommentBody(marker, report, context.runUrl);
    await attempt(
      'pull-request comment',
      async () => {
        const { created, url } = await publisher.upsertComment(pullRequest.number, marker, body);
        return `${created ? 'created' : 'updated'} the gate comment: ${url}`;
      },
      log,
    );
  }
  const annotations = gateAnnotations(result, options.policyPath);
  await attempt(
    'check run',
    async () => {
      const { url } = await publisher.publishCheckRun({
        name: result.name,
        headSha: pullRequest?.headSha ?? context.sha,
        conclusion: CHECK_CONCLUSION[result.verdict],
        title: report.split('\n')[0].replace(/^#+\s*/, ''),
        summary: report,
        annotations,
        detailsUrl: context.runUrl,
      });
      return `check run "${result.name}" with ${annotations.length} annotation(s): ${url ?? ''}`;
    },
    log,
  );
}
