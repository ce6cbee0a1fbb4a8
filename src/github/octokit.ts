import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Retries per rate-limited request before giving up. */
const RATE_LIMIT_RETRIES = 2;

/**
 * An octokit for `apiUrl` that retries 5xx answers (plugin-retry) and waits out primary and secondary
 * rate limits (plugin-throttling). `log` receives one line per wait; it never sees the token.
 */
export function createGitHubClient(token: string, apiUrl: string, log: (line: string) => void): GitHubClient {
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      log(`GitHub ${kind} on ${options.method} ${options.url}: retrying in ${retryAfter}s`);
      return retryCount < RATE_LIMIT_RETRIES;
    };
  return getOctokit(
    token,
    {
      baseUrl: apiUrl,
      throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
    },
    retry,
    throttling,
  );
}
