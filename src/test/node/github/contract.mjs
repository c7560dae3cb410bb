// Runs GitHub's official Node client (@octokit/rest) against the hub's GitHub sandbox, unchanged but for baseUrl, and
// prints what it saw as one JSON object on stdout (GitHubOctokitIT asserts it).
// Usage: node contract.mjs <sandboxBase> <token>   (sandboxBase: http://127.0.0.1:PORT/sandbox/github)
import { Octokit } from '@octokit/rest';

const sandbox = process.argv[2];
const token = process.argv[3];
const owner = 'sandbox-org';
const repo = 'customer-success';
const out = {};

async function setup(method, path, body) {
  const response = await fetch(sandbox + path, {
    method,
    headers: { Authorization: 'token ' + token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

async function failure(promise) {
  try {
    await promise;
    return { thrown: false };
  } catch (e) {
    return { thrown: true, status: e.status, message: e.message, headers: e.response ? e.response.headers : undefined };
  }
}

const octokit = new Octokit({ baseUrl: sandbox + '/api/v3', auth: token });

// paginate follows the Link header's absolute next URLs
const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'all', per_page: 7 });
out.allIssues = all.length;
out.distinctNumbers = new Set(all.map((i) => i.number)).size;
out.pullRequests = all.filter((i) => i.pull_request).length;
out.firstHasUser = typeof all[0].user.login === 'string';

const since = all.map((i) => i.updated_at).sort()[15];
const recent = await octokit.rest.issues.listForRepo({ owner, repo, state: 'all', since, sort: 'updated', direction: 'asc', per_page: 100 });
out.sinceAllNewer = recent.data.every((i) => i.updated_at >= since);
out.sinceCount = recent.data.length;
out.rateLimitHeader = recent.headers['x-ratelimit-limit'];

// update: PATCH
const updated = await octokit.rest.issues.update({ owner, repo, issue_number: 1, state: 'closed', title: 'Closed by Octokit',
  labels: ['bug', 'escalated'] });
out.updatedState = updated.data.state;
out.updatedTitle = updated.data.title;
out.updatedLabels = updated.data.labels.map((l) => l.name);
out.updatedClosedAt = updated.data.closed_at !== null;

const comment = await octokit.rest.issues.createComment({ owner, repo, issue_number: 2, body: 'From Octokit' });
out.commentStatus = comment.status;
const comments = await octokit.rest.issues.listCommentsForRepo({ owner, repo, since: comment.data.created_at });
out.commentListed = comments.data.some((c) => c.id === comment.data.id);

// a conditional request: the ETag of a page, then 304 (Octokit throws RequestError 304), at no rate cost
const page = await octokit.rest.issues.listForRepo({ owner, repo, state: 'all', per_page: 100 });
const usedBefore = (await setup('GET', '/setup/limits')).used;
const notModified = await failure(octokit.request('GET /repos/{owner}/{repo}/issues', { owner, repo, state: 'all', per_page: 100,
  headers: { 'if-none-match': page.headers.etag } }));
out.conditionalStatus = notModified.status;
out.conditionalFree = (await setup('GET', '/setup/limits')).used === usedBefore;

const missing = await failure(octokit.rest.issues.get({ owner, repo, issue_number: 999 }));
out.missingStatus = missing.status;
const invalid = await failure(octokit.rest.issues.create({ owner, repo, title: '' }));
out.invalidStatus = invalid.status;

const hook = await octokit.rest.repos.createWebhook({ owner, repo, name: 'web', events: ['issues', 'issue_comment'],
  config: { url: new URL(sandbox).origin + '/webhooks/octokit-contract', content_type: 'json', secret: 'octokit-contract-secret' } });
out.hookStatus = hook.status;
out.hookMaskedSecret = hook.data.config.secret;

// the secondary limit, then the primary: RequestErrors with their status and headers
await setup('POST', '/setup/secondary-limit', { refusals: 1, retryAfterSeconds: 42 });
const secondary = await failure(octokit.rest.users.getAuthenticated());
out.secondaryStatus = secondary.status;
out.secondaryRetryAfter = secondary.headers['retry-after'];
out.secondaryMessage = secondary.message;
await setup('PUT', '/setup/limits', { rateLimit: 1, windowSeconds: 3600 });
const limited = await failure(octokit.rest.users.getAuthenticated());
out.limitedStatus = limited.status;
out.limitedRemaining = limited.headers['x-ratelimit-remaining'];
out.limitedMessage = limited.message;
out.violations = (await setup('GET', '/setup/limits')).violations;

const unauthenticated = await failure(new Octokit({ baseUrl: sandbox + '/api/v3', auth: 'ghp_wrong' }).rest.users.getAuthenticated());
out.badTokenStatus = unauthenticated.status;

process.stdout.write(JSON.stringify(out) + '\n');
