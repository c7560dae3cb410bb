// Runs the official HubSpot Node client (@hubspot/api-client) against the hub's HubSpot sandbox, unchanged but for
// basePath, and prints what it saw as one JSON object on stdout (HubSpotNodeClientIT asserts it).
// Usage: node contract.js <basePath> <webhookPort>
'use strict';
const http = require('http');
const hubspot = require('@hubspot/api-client');

const basePath = process.argv[2];
const webhookPort = Number(process.argv[3]);
const out = {};

async function setup(token, method, path, body) {
  const response = await fetch(basePath + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? null : response.json();
}

async function failure(promise) {
  try {
    await promise;
    return { thrown: false };
  } catch (e) {
    return { thrown: true, code: e.code, body: e.body, headers: e.headers };
  }
}

/** Listens for one webhook delivery and checks it with the client's own Signature helper. */
function receiveOneDelivery() {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        res.writeHead(204);
        res.end();
        server.close();
        const url = 'http://127.0.0.1:' + webhookPort + req.url;
        const timestamp = Number(req.headers['x-hubspot-request-timestamp']);
        resolve({
          events: JSON.parse(body),
          v3Valid: hubspot.Signature.isValid({ signatureVersion: 'v3', signature: req.headers['x-hubspot-signature-v3'],
            clientSecret: 'sandbox-secret', requestBody: body, url, method: 'POST', timestamp }),
          v1Valid: hubspot.Signature.isValid({ signatureVersion: 'v1', signature: req.headers['x-hubspot-signature'],
            clientSecret: 'sandbox-secret', requestBody: body }),
          wrongSecretValid: hubspot.Signature.isValid({ signatureVersion: 'v3',
            signature: req.headers['x-hubspot-signature-v3'], clientSecret: 'not-the-secret', requestBody: body, url,
            method: 'POST', timestamp }),
        });
      });
    });
    server.on('error', reject);
    server.listen(webhookPort, '127.0.0.1');
  });
}

async function main() {
  const token = 'pat-sandbox-node-contract';
  const client = new hubspot.Client({ accessToken: token, basePath });

  // list, paging and getAll
  const page = await client.crm.companies.basicApi.getPage(5, undefined, ['name', 'domain']);
  out.pageSize = page.results.length;
  out.pageNextAfter = page.paging && page.paging.next && page.paging.next.after;
  out.firstCreatedAtIsDate = page.results[0].createdAt instanceof Date;
  out.firstName = page.results[0].properties.name;
  const all = await client.crm.companies.getAll();
  out.allCompanies = all.length;
  out.allCompaniesDistinct = new Set(all.map((c) => c.id)).size;

  // search on the modification date, sorted, the way an incremental sync asks
  const search = await client.crm.companies.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' }] }],
    sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
    properties: ['name', 'hs_lastmodifieddate'], limit: 100, after: '0',
  });
  out.searchTotal = search.total;
  out.searchPage = search.results.length;
  out.searchNextAfter = search.paging && search.paging.next && search.paging.next.after;

  // create, read back, update, archive
  const created = await client.crm.companies.basicApi.create({ properties: { name: 'Node Contract Co', domain: 'node.example' },
    associations: [] });
  out.createdId = created.id;
  out.createdObjectId = created.properties.hs_object_id;
  const updated = await client.crm.companies.basicApi.update(created.id, { properties: { name: 'Node Contract Co (renamed)' } });
  out.updatedName = updated.properties.name;
  out.updatedLater = updated.updatedAt.getTime() >= created.updatedAt.getTime();
  const read = await client.crm.companies.basicApi.getById(created.id, ['name']);
  out.readName = read.properties.name;
  await client.crm.companies.basicApi.archive(created.id);
  const gone = await failure(client.crm.companies.basicApi.getById(created.id));
  out.archivedReadCode = gone.code;
  out.archivedReadCategory = gone.body && gone.body.category;

  // associations: v3 on a read, v4 per record and in batch
  const seeded = page.results[0].id;
  const withAssociations = await client.crm.companies.basicApi.getById(seeded, undefined, undefined, ['contacts']);
  out.v3AssociatedContacts = new Set(withAssociations.associations.contacts.results.map((r) => r.id)).size;
  const v4 = await client.crm.associations.v4.basicApi.getPage('company', seeded, 'contact');
  out.v4AssociatedContacts = v4.results.length;
  out.v4TypeIds = v4.results[0].associationTypes.map((t) => t.typeId);
  const batch = await client.crm.associations.v4.batchApi.getPage('company', 'deal', { inputs: [{ id: seeded }] });
  out.v4BatchDeals = batch.results[0].to.length;
  out.v4BatchFrom = batch.results[0]._from.id;

  // batch read with a missing id: 207, errors
  const batchRead = await client.crm.companies.batchApi.read({ inputs: [{ id: seeded }, { id: '1' }], properties: ['name'],
    propertiesWithHistory: [] });
  out.batchReadResults = batchRead.results.length;
  out.batchReadErrors = batchRead.numErrors;

  // a bad write is an ApiException with HubSpot's body
  const invalid = await failure(client.crm.companies.basicApi.create({ properties: { nosuchproperty: 'x' } }));
  out.invalidCode = invalid.code;
  out.invalidCategory = invalid.body && invalid.body.category;

  // OAuth: authorize, exchange the code, use the token, refresh it
  const redirect = 'http://localhost:9/callback';
  const authorized = await fetch(basePath + '/oauth/authorize?client_id=sandbox-client&redirect_uri='
    + encodeURIComponent(redirect) + '&scope=crm.objects.contacts.read&login_hint=node-oauth', { redirect: 'manual' });
  const code = new URL(authorized.headers.get('location')).searchParams.get('code');
  const tokens = await client.oauth.tokensApi.create('authorization_code', code, redirect, 'sandbox-client', 'sandbox-secret');
  out.oauthExpiresIn = tokens.expiresIn;
  const oauthClient = new hubspot.Client({ accessToken: tokens.accessToken, basePath });
  out.oauthContacts = (await oauthClient.crm.contacts.basicApi.getPage(3)).results.length;
  const refreshed = await client.oauth.tokensApi.create('refresh_token', undefined, undefined, 'sandbox-client',
    'sandbox-secret', tokens.refreshToken);
  out.refreshedTokenDiffers = refreshed.accessToken !== tokens.accessToken;
  const badRefresh = await failure(client.oauth.tokensApi.create('refresh_token', undefined, undefined, 'sandbox-client',
    'sandbox-secret', 'no-such-token'));
  out.badRefreshCode = badRefresh.code;
  out.badRefreshStatus = badRefresh.body && badRefresh.body.status;

  // a webhook delivery the client's Signature helper accepts
  const delivery = receiveOneDelivery();
  await setup(token, 'PUT', '/setup/webhooks', { targetUrl: 'http://127.0.0.1:' + webhookPort + '/hubspot/events?app=node',
    subscriptions: [{ eventType: 'company.propertyChange', propertyName: 'name' }] });
  await client.crm.companies.basicApi.update(seeded, { properties: { name: 'Signed Change' } });
  const received = await delivery;
  out.webhookV3Valid = received.v3Valid;
  out.webhookV1Valid = received.v1Valid;
  out.webhookWrongSecretValid = received.wrongSecretValid;
  out.webhookEvent = received.events[0].subscriptionType + ' ' + received.events[0].objectId + ' '
    + received.events[0].propertyValue;

  // the burst limit's 429, as the client reports it
  await setup(token, 'POST', '/setup/limits', { rateLimit: 1, windowSeconds: 10 });
  await client.crm.deals.basicApi.getPage(1);
  const limited = await failure(client.crm.deals.basicApi.getPage(1));
  out.limitedCode = limited.code;
  out.limitedPolicy = limited.body && limited.body.policyName;
  out.limitedMaxHeader = limited.headers && limited.headers['x-hubspot-ratelimit-max'];
  out.violations = (await setup(token, 'GET', '/setup/limits')).violations;
}

main().then(() => {
  process.stdout.write(JSON.stringify(out) + '\n');
}).catch((e) => {
  process.stderr.write('contract failed: ' + (e && e.stack ? e.stack : e) + '\n'
    + (e && e.body ? JSON.stringify(e.body) + '\n' : ''));
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(1);
});
