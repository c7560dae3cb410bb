// Google's Node client (googleapis, pinned in package-lock.json) against the hub's Google sandbox, unchanged but for
// its root URL (an origin: the sandbox port, where Drive answers at /drive/v3) and its token endpoint (the JWT client
// posts to Google's; a request interceptor on its own transporter sends that post to the key file's token_uri).
// Usage: node contract.js <hub url> <sandbox port origin> <domain>; prints one JSON object.
const { google } = require('googleapis');

const [hubUrl, portOrigin, domain] = process.argv.slice(2);
const setup = (path, init) => fetch(`${hubUrl}/sandbox/google/setup/${path}${path.includes('?') ? '&' : '?'}domain=${domain}`, init)
  .then((r) => (r.status === 204 ? null : r.json()));

// Google's error item ({domain, reason, message}), where this client version puts it
const reason = (e) => e.errors?.[0] ?? e.response?.data?.error?.errors?.[0] ?? {};

(async () => {
  const out = {};
  const key = await (await fetch(`${hubUrl}/sandbox/google/setup/service-account.json`)).json();
  const auth = new google.auth.JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    subject: `maya.ortiz@${domain}.sandbox.example`,
  });
  const tokenPosts = [];
  auth.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === 'https://oauth2.googleapis.com/token') {
        tokenPosts.push(key.token_uri);
        config.url = key.token_uri;
      }
      return config;
    },
  });
  const drive = google.drive({ version: 'v3', auth, rootUrl: `${portOrigin}/` });
  const containers = await setup('containers');
  const customers = containers.folders.Customers;

  // files.list, paged by nextPageToken
  const files = [];
  let pageToken;
  let pages = 0;
  do {
    const res = await drive.files.list({
      q: `'${customers}' in parents and trashed = false`,
      pageSize: 3,
      pageToken,
      fields: 'nextPageToken, files(id, name, mimeType, size, modifiedTime, webViewLink)',
    });
    files.push(...res.data.files);
    pageToken = res.data.nextPageToken;
    pages += 1;
  } while (pageToken);
  out.files = files.length;
  out.pages = pages;
  out.distinct = new Set(files.map((f) => f.id)).size;
  out.sizeIsString = typeof files[0].size === 'string';
  out.tokenPosts = tokenPosts.length;
  out.tokenUri = tokenPosts[0];

  // files.export of a Google Doc as plain text
  const doc = files.find((f) => f.mimeType === 'application/vnd.google-apps.document');
  const exported = await drive.files.export({ fileId: doc.id, mimeType: 'text/plain' }, { responseType: 'text' });
  out.exportStartsWith = String(exported.data).slice(0, 14);

  // changes: the start token, one change made "in Drive", the change list
  const start = (await drive.changes.getStartPageToken({})).data.startPageToken;
  await setup(`files/${doc.id}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'changed from the contract' }),
  });
  const changes = (await drive.changes.list({ pageToken: start, fields: '*' })).data;
  out.changes = changes.changes.length;
  out.changedFile = changes.changes[0].fileId === doc.id;
  out.newStartPageToken = Number(changes.newStartPageToken) - Number(start);

  // errors as the client surfaces them: a missing file, a refused page token, the rate answer (403, not retried)
  try {
    await drive.files.get({ fileId: '1NoSuchFileInThisDomain' });
  } catch (e) {
    out.notFoundStatus = e.status ?? e.response?.status;
    out.notFoundReason = reason(e).reason;
    out.notFoundMessage = e.message;
  }
  try {
    await drive.changes.list({ pageToken: 'not-a-token' });
  } catch (e) {
    out.badTokenStatus = e.status ?? e.response?.status;
  }
  await setup('limits', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rateLimit: 1, windowSeconds: 60 }) });
  await drive.files.list({ pageSize: 1 });
  try {
    await drive.files.list({ pageSize: 1 });
  } catch (e) {
    out.limitedStatus = e.status ?? e.response?.status;
    out.limitedReason = reason(e).reason;
    out.limitedDomain = reason(e).domain;
  }
  out.violations = (await setup('limits')).violations;
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
