// Runs @notionhq/client (pinned in package-lock.json) against the hub's Notion sandbox with only its baseUrl changed.
// Usage: node contract.js <sandbox base URL> <internal integration token>. Prints one JSON object for NotionNodeClientIT.
const { Client, iteratePaginatedAPI, collectPaginatedAPI, APIResponseError, APIErrorCode, isNotionClientError } = require('@notionhq/client');

const [base, token] = process.argv.slice(2);

async function setup(method, path, body) {
  const response = await fetch(base + '/setup' + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
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

(async () => {
  const out = {};
  const notion = new Client({ auth: token, baseUrl: base });
  const workspace = await setup('GET', '/workspace');
  const companies = workspace.companies.databaseId;

  const all = await collectPaginatedAPI(notion.databases.query, { database_id: companies, page_size: 7 });
  out.allCompanies = all.length;
  out.allCompaniesDistinct = new Set(all.map((p) => p.id)).size;
  let iterated = 0;
  let previous = '';
  let ascending = true;
  for await (const page of iteratePaginatedAPI(notion.databases.query, {
    database_id: companies, page_size: 10, sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
  })) {
    iterated++;
    ascending = ascending && page.last_edited_time >= previous;
    previous = page.last_edited_time;
  }
  out.iterated = iterated;
  out.ascending = ascending;
  const filtered = await notion.databases.query({ database_id: companies, filter: { property: 'Active', checkbox: { equals: true } } });
  out.filtered = filtered.results.length;
  out.firstPageHasMore = (await notion.databases.query({ database_id: companies, page_size: 5 })).has_more;

  const first = all[0];
  const updated = await notion.pages.update({
    page_id: first.id,
    properties: { Name: { title: [{ text: { content: 'Node Contract Co' } }] }, Employees: { number: 321 }, Industry: { select: { name: 'Contracts' } } },
  });
  out.updatedName = updated.properties.Name.title[0].plain_text;
  out.updatedEmployees = updated.properties.Employees.number;
  out.updatedIndustry = updated.properties.Industry.select.name;
  const read = await notion.pages.retrieve({ page_id: first.id });
  out.readName = read.properties.Name.title[0].plain_text;
  out.parentType = read.parent.type;

  const note = (await notion.databases.query({ database_id: workspace.notes.databaseId, page_size: 1 })).results[0];
  const blocks = await collectPaginatedAPI(notion.blocks.children.list, { block_id: note.id, page_size: 2 });
  out.blockTypes = blocks.map((b) => b.type);
  const parent = blocks.find((b) => b.has_children);
  const nested = await notion.blocks.children.list({ block_id: parent.id });
  out.nestedText = nested.results[0].paragraph.rich_text[0].plain_text;

  const users = await notion.users.list({});
  out.users = users.results.length;
  const found = await notion.search({ query: 'Node Contract', filter: { property: 'object', value: 'page' } });
  out.searchFound = found.results.length;

  const notFound = await caught(() => notion.pages.retrieve({ page_id: '0f0f0f0f-0000-4000-8000-000000000001' }));
  out.notFoundIsApiResponseError = notFound instanceof APIResponseError;
  out.notFoundIsNotionClientError = isNotionClientError(notFound);
  out.notFoundCode = notFound.code;
  out.notFoundIsObjectNotFound = notFound.code === APIErrorCode.ObjectNotFound;
  out.notFoundStatus = notFound.status;
  const invalid = await caught(() => notion.pages.update({ page_id: first.id, properties: { Employees: { number: 'many' } } }));
  out.validationCode = invalid.code;
  const badToken = await caught(() => new Client({ auth: 'secret_nobody', baseUrl: base }).users.me({}));
  out.badTokenCode = badToken.code;

  const trashed = await notion.pages.update({ page_id: all[1].id, in_trash: true });
  out.trashed = trashed.in_trash;
  out.afterTrash = (await collectPaginatedAPI(notion.databases.query, { database_id: companies })).length;

  // OAuth: the authorize page's redirect, the code exchanged by the client (Basic auth), a refresh through request()
  const authorize = await fetch(base + '/v1/oauth/authorize?client_id=sandbox-client&response_type=code&owner=user'
    + '&redirect_uri=' + encodeURIComponent('http://localhost/cb') + '&state=n1', { redirect: 'manual' });
  const code = new URL(authorize.headers.get('location')).searchParams.get('code');
  const oauth = new Client({ baseUrl: base });
  const tokens = await oauth.oauth.token({ client_id: 'sandbox-client', client_secret: 'sandbox-secret', grant_type: 'authorization_code',
    code, redirect_uri: 'http://localhost/cb' });
  out.oauthTokenType = tokens.token_type;
  out.oauthUsers = (await new Client({ auth: tokens.access_token, baseUrl: base }).users.list({})).results.length;
  const refreshed = await oauth.request({ path: 'oauth/token', method: 'post', body: { grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token }, auth: { client_id: 'sandbox-client', client_secret: 'sandbox-secret' } });
  out.refreshRotated = refreshed.refresh_token !== tokens.refresh_token;
  const reused = await caught(() => oauth.request({ path: 'oauth/token', method: 'post', body: { grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token }, auth: { client_id: 'sandbox-client', client_secret: 'sandbox-secret' } }));
  out.reusedRefreshStatus = reused.status;
  out.reusedRefreshCode = reused.code;

  // one call per second: the calls above fall out of the window first
  await setup('POST', '/limits', { rateLimit: 1, windowSeconds: 1 });
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await notion.users.list({});
  const limited = await caught(() => notion.users.list({}));
  out.limitedIsApiResponseError = limited instanceof APIResponseError;
  out.limitedCode = limited.code;
  out.limitedStatus = limited.status;
  out.limitedRetryAfter = limited.headers && typeof limited.headers.get === 'function' ? limited.headers.get('retry-after')
    : limited.headers ? limited.headers['retry-after'] : null;
  out.violations = (await setup('GET', '/limits')).violations;
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
