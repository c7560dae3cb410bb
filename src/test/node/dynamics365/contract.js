// Drives the official dynamics-web-api client against the hub's Dynamics 365 sandbox and prints what it saw as one
// JSON object (the last line of stdout), for DynamicsWebApiClientIT to assert. HUB_URL is the hub's root
// (http://127.0.0.1:<port>); each run works in its own org.
'use strict';
const { DynamicsWebApi } = require('dynamics-web-api');

const hub = process.env.HUB_URL;
const org = process.env.ORG || 'contract';
const orgUrl = `${hub}/sandbox/dynamics365/${org}`;

// MSAL refuses http:// authorities, so the token comes from a plain client-credentials request to the Entra sandbox
async function token() {
  const response = await fetch(`${hub}/sandbox/entra/sandbox-tenant/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
      scope: `${orgUrl}/.default`,
    }),
  });
  if (response.status !== 200) {
    throw new Error(`token request: ${response.status} ${await response.text()}`);
  }
  return (await response.json()).access_token;
}

async function setup(path, body, accessToken) {
  const response = await fetch(`${orgUrl}/setup/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? null : response.json();
}

async function failure(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    return { status: e.status, code: e.code, message: e.message, retryAfter: e.headers ? e.headers['retry-after'] : undefined };
  }
}

// an error of a batch's request carries Dataverse's body as it came: {error: {code, message}}
function batchError(e) {
  return { status: e.status, code: e.code || (e.error && e.error.code) };
}

async function main() {
  const accessToken = await token();
  const api = new DynamicsWebApi({
    serverUrl: `${orgUrl}/`,
    dataApi: { version: '9.2' },
    onTokenRefresh: async () => accessToken,
  });
  const report = {};

  // a page, then the next one through its link
  const first = await api.retrieveMultiple({ collection: 'accounts', select: ['name', 'modifiedon', '_primarycontactid_value'],
    orderBy: ['name asc'], maxPageSize: 7, includeAnnotations: '*' });
  const second = await api.retrieveMultiple({ collection: 'accounts', select: ['name', 'modifiedon', '_primarycontactid_value'],
    orderBy: ['name asc'], maxPageSize: 7, includeAnnotations: '*' }, first.oDataNextLink);
  report.firstPage = first.value.length;
  report.firstNextLink = first.oDataNextLink;
  report.secondPage = second.value.length;
  report.pagesOverlap = second.value.some((a) => first.value.some((b) => a.accountid === b.accountid));
  report.modifiedonIsDate = first.value[0].modifiedon instanceof Date;
  report.primaryContactFormatted = first.value[0]._primarycontactid_value_Formatted;
  report.primaryContactLogicalName = first.value[0]._primarycontactid_value_LogicalName;
  report.context = first.oDataContext;

  // every contact, page after page
  const contacts = await api.retrieveAll({ collection: 'contacts', select: ['fullname', '_parentcustomerid_value'], maxPageSize: 13 });
  report.allContacts = contacts.value.length;
  report.distinctContacts = new Set(contacts.value.map((c) => c.contactid)).size;

  const filtered = await api.retrieveMultiple({ collection: 'accounts', select: ['name'],
    filter: `modifiedon gt 2000-01-01T00:00:00Z and statecode eq 0`, orderBy: ['modifiedon desc'], top: 3 });
  report.filteredTop = filtered.value.length;

  // writes
  const id = await api.create({ collection: 'accounts', data: { name: 'Contract Co', telephone1: '555-0100' } });
  report.createdId = id;
  const represented = await api.create({ collection: 'contacts', select: ['fullname', '_parentcustomerid_value'],
    returnRepresentation: true,
    data: { firstname: 'Ann', lastname: 'Contract', 'parentcustomerid_account@odata.bind': `accounts(${id})` } });
  report.representedFullname = represented.fullname;
  report.representedParent = represented._parentcustomerid_value;
  const row = await api.retrieve({ collection: 'accounts', key: id, select: ['name', 'telephone1'] });
  report.retrievedName = row.name;
  const etag = row['@odata.etag'];
  report.updateWithEtag = await api.update({ collection: 'accounts', key: id, data: { name: 'Contract Co 2' }, ifmatch: etag });
  report.updateWithStaleEtag = await api.update({ collection: 'accounts', key: id, data: { name: 'Lost' }, ifmatch: etag });
  report.nameAfterUpdates = (await api.retrieve({ collection: 'accounts', key: id, select: ['name'] })).name;
  report.updateMissing = await failure(api.update({ collection: 'accounts', key: '00000000-0000-0000-0000-0000000000ff',
    data: { name: 'x' } }));
  report.upserted = await api.upsert({ collection: 'accounts', key: '7d4f2a10-3b5c-4e6d-8f90-a1b2c3d4e5f6', data: { name: 'Upserted' } });
  report.createOnlyExisting = await api.upsert({ collection: 'accounts', key: id, data: { name: 'x' }, ifnonematch: '*' });

  // change tracking: the initial load, then what changed
  const initial = await api.retrieveAll({ collection: 'accounts', select: ['name'], trackChanges: true, maxPageSize: 10 });
  report.trackedRows = initial.value.length;
  report.deltaLink = initial.oDataDeltaLink;
  const victim = initial.value.find((a) => a.accountid !== id).accountid;
  await api.update({ collection: 'accounts', key: id, data: { name: 'Changed after tracking' } });
  report.deleted = await api.deleteRecord({ collection: 'accounts', key: victim });
  const delta = await api.retrieveMultiple({ collection: 'accounts' }, initial.oDataDeltaLink);
  report.deltaChanged = delta.value.filter((r) => r.accountid).map((r) => ({ id: r.accountid, name: r.name }));
  report.deltaDeleted = delta.value.filter((r) => r.reason === 'deleted').map((r) => ({ id: r.id, context: r.oDataContext }));
  report.victim = victim;
  report.nextDeltaLink = delta.oDataDeltaLink;

  // batches: a change set (the client puts writes in one) and a GET; a change set that fails whole; independent writes
  // with continue-on-error, one of them stale
  const other = initial.value.find((a) => a.accountid !== id && a.accountid !== victim).accountid;
  api.startBatch();
  api.update({ collection: 'accounts', key: id, data: { telephone1: '555-0200' } });
  api.update({ collection: 'accounts', key: other, data: { name: 'Batched' } });
  api.retrieve({ collection: 'accounts', key: id, select: ['telephone1'] });
  const batched = await api.executeBatch();
  report.batchResults = batched.map((r) => (r === true ? true : r && r.telephone1 !== undefined ? r.telephone1 : String(r)));
  report.batchOtherName = (await api.retrieve({ collection: 'accounts', key: other, select: ['name'] })).name;

  api.startBatch();
  api.update({ collection: 'accounts', key: other, data: { name: 'Rolled back' } });
  api.update({ collection: 'accounts', key: '00000000-0000-0000-0000-0000000000ff', data: { name: 'x' } });
  try {
    await api.executeBatch();
    report.changeSetRefused = null;
  } catch (e) {
    report.changeSetRefused = Array.isArray(e) ? e.map(batchError) : { message: String(e) };
  }
  report.nameAfterRefusedChangeSet = (await api.retrieve({ collection: 'accounts', key: other, select: ['name'] })).name;

  const stale = (await api.retrieve({ collection: 'accounts', key: id, select: ['name'] }))['@odata.etag'];
  await api.update({ collection: 'accounts', key: id, data: { name: 'Moves the etag' } });
  api.startBatch();
  api.update({ collection: 'accounts', key: id, data: { name: 'Stale' }, ifmatch: stale, inChangeSet: false });
  api.update({ collection: 'accounts', key: other, data: { name: 'Independent' }, inChangeSet: false });
  const independent = await api.executeBatch({ continueOnError: true });
  report.continueOnError = independent.map((r) => (r === true ? true : batchError(r)));
  report.independentName = (await api.retrieve({ collection: 'accounts', key: other, select: ['name'] })).name;

  report.deleteAgain = await failure(api.deleteRecord({ collection: 'accounts', key: victim }));
  report.badFilter = await failure(api.retrieveMultiple({ collection: 'accounts', filter: "nmae eq 'x'" }));

  const me = await api.callFunction('WhoAmI');
  report.whoAmIUser = me.UserId;

  // entity names resolved through EntityDefinitions, as the client does when asked to
  const byEntityName = new DynamicsWebApi({ serverUrl: `${orgUrl}/`, useEntityNames: true, onTokenRefresh: async () => accessToken });
  report.byEntityName = (await byEntityName.retrieveMultiple({ collection: 'opportunity', select: ['name'], top: 2 })).value.length;

  // service protection, as the client surfaces it
  await setup('limits', { rateLimit: 1, windowSeconds: 60 }, accessToken);
  await api.callFunction('WhoAmI');
  report.throttled = await failure(api.callFunction('WhoAmI'));
  report.limits = await setup('limits', undefined, accessToken);
  await setup('limits', { rateLimit: 0 }, accessToken);

  // an expired token: the client neither retries nor refreshes, it reports the 401
  await setup('access-tokens/expire', null, accessToken);
  report.expired = await failure(api.callFunction('WhoAmI'));

  console.log(JSON.stringify(report));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
