// Slack's official Node client against the hub's Slack sandbox, unchanged but for slackApiUrl:
// node contract.js <sandbox base URL, e.g. http://127.0.0.1:8080/sandbox/slack> <bot token>
// Prints one JSON object of what it saw; SlackWebClientIT checks it.
const { WebClient, WebClientEvent, retryPolicies, ErrorCode, LogLevel } = require('@slack/web-api');

const [base, token] = process.argv.slice(2);

async function setup(method, path, body) {
  const response = await fetch(`${base}/setup${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

async function main() {
  const out = {};
  const web = new WebClient(token, { slackApiUrl: `${base}/api/`, logLevel: LogLevel.ERROR, retryConfig: retryPolicies.rapidRetryPolicy });

  const auth = await web.auth.test();
  out.authOk = auth.ok;
  out.teamId = auth.team_id;
  out.botUserId = auth.user_id;

  const list = await web.conversations.list({ types: 'public_channel', limit: 200 });
  const channel = list.channels[0].id;
  out.channels = list.channels.length;

  // paginate follows response_metadata.next_cursor until it is empty
  let pages = 0;
  const seen = [];
  for await (const page of web.paginate('conversations.history', { channel, limit: 7 })) {
    pages += 1;
    page.messages.forEach((m) => seen.push(m.ts));
  }
  out.historyPages = pages;
  out.historyMessages = seen.length;
  out.historyDistinct = new Set(seen).size;
  const newestFirst = [...seen].sort().reverse();
  out.historyNewestFirst = JSON.stringify(seen) === JSON.stringify(newestFirst);

  const thread = (await web.conversations.history({ channel, limit: 200 })).messages.find((m) => m.reply_count > 0);
  const replies = await web.conversations.replies({ channel, ts: thread.ts });
  out.threadMessages = replies.messages.length;
  const user = await web.users.info({ user: thread.user });
  out.userRealName = user.user.real_name;
  const link = await web.chat.getPermalink({ channel, message_ts: thread.ts });
  out.permalink = link.permalink;
  const posted = await web.chat.postMessage({ channel, text: 'Posted by @slack/web-api' });
  out.postedTs = posted.ts;

  // an ok:false answer is a platform error carrying Slack's body
  try {
    await web.conversations.history({ channel: 'C0NOSUCHCHANNEL' });
    out.platformError = 'none';
  } catch (e) {
    out.platformErrorCode = e.code;
    out.platformError = e.data && e.data.error;
  }
  try {
    await new WebClient('xoxb-not-a-sandbox-token', { slackApiUrl: `${base}/api/`, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } }).auth.test();
  } catch (e) {
    out.authError = e.data && e.data.error;
  }

  // 429 with Retry-After: the client waits it out and retries, telling its listeners
  await setup('POST', '/limits', { rateLimit: 2, windowSeconds: 2 });
  let rateLimited = 0;
  const limited = new WebClient(token, { slackApiUrl: `${base}/api/`, logLevel: LogLevel.ERROR, retryConfig: retryPolicies.rapidRetryPolicy });
  limited.on(WebClientEvent.RATE_LIMITED, (seconds) => { rateLimited += 1; out.retryAfter = seconds; });
  const started = Date.now();
  const infos = [];
  for (let i = 0; i < 4; i += 1) {
    infos.push((await limited.conversations.info({ channel })).ok);
  }
  out.rateLimitedEvents = rateLimited;
  out.allAnsweredAfterRetry = infos.every((ok) => ok);
  out.waitedMs = Date.now() - started;
  // or refused at once when asked to
  const rejecting = new WebClient(token, { slackApiUrl: `${base}/api/`, logLevel: LogLevel.ERROR, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  try {
    for (let i = 0; i < 4; i += 1) {
      await rejecting.conversations.info({ channel });
    }
    out.rejectedCode = 'none';
  } catch (e) {
    out.rejectedCode = e.code;
    out.rejectedRetryAfter = e.retryAfter;
  }
  out.rateLimitedErrorCode = ErrorCode.RateLimitedError;
  const limits = await setup('GET', '/limits');
  out.violations = limits.violations;

  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
