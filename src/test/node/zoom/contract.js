// Runs Zoom's Node SDK @zoom/rivet (pinned in package-lock.json) against the hub's Zoom sandbox with only its baseUrl
// changed. Rivet's token URL is fixed to https://zoom.us, so the token comes from the sandbox's /oauth/token and reaches
// Rivet through a token store, as ZOOM_WIRE.md says. Rivet's own receiver listens on the given port for the sandbox's
// events (the endpoint.url_validation challenge, then recording.completed).
// Usage: node contract.js <sandbox base URL> <account id> <receiver port>. Prints one JSON object for ZoomRivetClientIT.
const { MeetingsS2SAuthClient, ApiResponseError } = require('@zoom/rivet/meetings');

const [base, accountId, port] = process.argv.slice(2);
const basic = 'Basic ' + Buffer.from('sandbox-client:sandbox-secret').toString('base64');

async function setup(method, path, body) {
  const response = await fetch(base + '/setup/accounts/' + accountId + path, {
    method,
    headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

async function caught(call) {
  try {
    await call();
    return null;
  } catch (e) {
    return e;
  }
}

async function until(condition, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

(async () => {
  const out = {};
  const tokenAnswer = await (await fetch(base + '/oauth/token', {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=account_credentials&account_id=' + accountId,
  })).json();
  out.expiresInIsNumber = typeof tokenAnswer.expires_in === 'number';
  out.scopeIsString = typeof tokenAnswer.scope === 'string';
  const tokenStore = {
    getLatestToken: () => ({
      accessToken: tokenAnswer.access_token,
      expirationTimeIso: new Date(Date.now() + tokenAnswer.expires_in * 1000).toISOString(),
      scopes: tokenAnswer.scope.split(' '),
    }),
    storeToken: () => {},
  };
  const received = [];
  const client = new MeetingsS2SAuthClient({
    clientId: 'sandbox-client', clientSecret: 'sandbox-secret', accountId, baseUrl: base + '/v2', tokenStore,
    webhooksSecretToken: 'sandbox-webhook-secret', port: Number(port),
  });
  client.webEventConsumer.event('recording.completed', ({ payload }) => {
    received.push(payload.object.topic);
  });
  const server = await client.start();

  const me = (await setup('GET', '')).users[0];
  const today = new Date().toISOString().substring(0, 10);
  const from = new Date(Date.now() - 25 * 86400000).toISOString().substring(0, 10);
  const seen = [];
  let token = '';
  let pages = 0;
  do {
    const query = { from, to: today, page_size: 2 };
    if (token) {
      query.next_page_token = token;
    }
    const { data, statusCode } = await client.endpoints.cloudRecording.listAllRecordings({ path: { userId: me.id }, query });
    out.listStatus = statusCode;
    data.meetings.forEach((m) => seen.push(m.uuid));
    token = data.next_page_token;
    pages++;
  } while (token && pages < 20);
  out.listed = seen.length;
  out.listedDistinct = new Set(seen).size;
  out.pages = pages;

  const uuid = seen[0];
  const one = await client.endpoints.cloudRecording.getMeetingRecordings({ path: { meetingId: uuid } });
  out.oneUuid = one.data.uuid === uuid;
  out.oneFileTypes = one.data.recording_files.map((f) => f.file_type);
  out.trackingId = typeof one.trackingId === 'string' && one.trackingId.length > 0;
  const transcript = one.data.recording_files.find((f) => f.file_type === 'TRANSCRIPT');
  if (transcript) {
    const vtt = await fetch(transcript.download_url, { headers: { Authorization: 'Bearer ' + tokenAnswer.access_token } });
    out.vtt = (await vtt.text()).substring(0, 6);
  }

  const trashed = await client.endpoints.cloudRecording.deleteMeetingOrWebinarRecordings({ path: { meetingId: uuid }, query: { action: 'trash' } });
  out.trashStatus = trashed.statusCode;
  const gone = await caught(() => client.endpoints.cloudRecording.getMeetingRecordings({ path: { meetingId: uuid } }));
  out.goneMessage = gone && gone.message;
  out.goneName = gone && gone.name;
  out.goneIsApiResponseError = gone instanceof ApiResponseError;
  const recovered = await client.endpoints.cloudRecording.recoverMeetingRecordings({ path: { meetingUUID: uuid }, body: { action: 'recover' } });
  out.recoverStatus = recovered.statusCode;

  // the last minute already holds the listing's calls: one a minute is spent
  await setup('POST', '/limits', { category: 'medium', rateLimit: 1, windowSeconds: 60 });
  const limited = await caught(() => client.endpoints.cloudRecording.listAllRecordings({ path: { userId: me.id }, query: { from, to: today } }));
  out.limitedMessage = limited && limited.message;
  out.violations = (await setup('GET', '/limits')).violations;

  await setup('PUT', '/webhooks', { url: 'http://127.0.0.1:' + port + '/zoom/events' });
  out.validated = await until(async () => (await setup('GET', '/webhooks')).validated, 20000);
  await setup('POST', '/recordings', { topic: 'Rivet contract call' });
  out.eventReceived = await until(async () => received.length > 0, 20000);
  out.receivedTopics = received;
  await client.receiver.stop();
  console.log(JSON.stringify(out));
  process.exit(0);
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
