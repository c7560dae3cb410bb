// Drives Microsoft's Graph JS client (@microsoft/microsoft-graph-client 3.0.7) with @azure/identity's
// ClientSecretCredential against the hub's Graph and Entra sandboxes over the hub's sandbox TLS port (GraphClientIT).
// Node trusts the hub's self-signed certificate through NODE_EXTRA_CA_CERTS, set by the IT; nothing here turns TLS
// checks off. Arguments: origin (https://localhost:<tls port>), team id, drive id, listener port, the hub's
// sandbox-tls directory (the listener presents the same certificate, so Graph's handshake to it is trusted).
// Prints one JSON object of findings on stdout.
"use strict";

const fs = require("node:fs");
const https = require("node:https");
const path = require("node:path");
const { ClientSecretCredential } = require("@azure/identity");
const { Client, PageIterator } = require("@microsoft/microsoft-graph-client");
const { TokenCredentialAuthenticationProvider } =
    require("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials");

const [origin, teamId, driveId, listenerPort, tlsDir] = process.argv.slice(2);
const SCOPE = "https://graph.microsoft.com/.default";
const out = {};

/** The https listener standing in for a notification endpoint: answers handshakes, records notifications. */
function listen() {
    const received = [];
    const server = https.createServer({
        pfx: fs.readFileSync(path.join(tlsDir, "sandbox-tls.p12")),
        passphrase: fs.readFileSync(path.join(tlsDir, "sandbox-tls.password"), "utf8").trim(),
    }, (req, res) => {
        const url = new URL(req.url, "https://127.0.0.1");
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
            const token = url.searchParams.get("validationToken");
            if (token !== null) {
                received.push({ path: url.pathname, validationToken: token });
                res.writeHead(200, { "Content-Type": "text/plain" });
                res.end(token);
                return;
            }
            received.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
            res.writeHead(202);
            res.end();
        });
    });
    return new Promise((resolve) => server.listen(Number(listenerPort), "127.0.0.1", () => resolve({ server, received })));
}

async function until(condition, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        if (condition()) {
            return true;
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return condition();
}

/** Every item of a delta round, following @odata.nextLink to the @odata.deltaLink as the client's users do. */
async function round(client, first) {
    let page = await first;
    const items = [];
    let pages = 0;
    for (;;) {
        pages++;
        items.push(...page.value);
        if (page["@odata.deltaLink"]) {
            return { items, pages, deltaLink: page["@odata.deltaLink"] };
        }
        page = await client.api(page["@odata.nextLink"]).get();
    }
}

async function main() {
    // @azure/identity with the authority host pointed at the Entra sandbox on the TLS port
    const credential = new ClientSecretCredential("sandbox-tenant", "sandbox-client", "sandbox-secret", {
        authorityHost: origin + "/sandbox/entra",
        disableInstanceDiscovery: true,
    });
    const accessToken = await credential.getToken(SCOPE);
    out.tokenFromIdentity = typeof accessToken.token === "string" && accessToken.token.split(".").length === 3;

    const client = Client.initWithMiddleware({
        authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [SCOPE] }),
        baseUrl: origin + "/",
        customHosts: new Set(["localhost"]),
    });
    const setup = async (method, p, body) => {
        const token = (await credential.getToken(SCOPE)).token;
        const response = await fetch(origin + "/sandbox/graph/setup" + p, {
            method,
            headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!response.ok) {
            throw new Error("setup " + method + " " + p + ": HTTP " + response.status + " " + await response.text());
        }
        const text = await response.text();
        return text.length === 0 ? null : JSON.parse(text);
    };

    const channels = await client.api(`/teams/${teamId}/channels`).get();
    out.channels = channels.value.length;
    const channelId = channels.value[0].id;
    const messages = `/teams/${teamId}/channels/${channelId}/messages`;

    // the list, paged by the client's PageIterator
    let listed = 0;
    const first = await client.api(messages).top(5).get();
    const iterator = new PageIterator(client, first, () => { listed++; return true; });
    await iterator.iterate();
    out.listed = listed;

    // the channel messages delta to its deltaLink, then the changes since
    const initial = await round(client, client.api(messages + "/delta").top(4).expand("replies").get());
    out.deltaMessages = initial.items.length;
    out.deltaPages = initial.pages;
    out.deltaReplies = initial.items.reduce((n, m) => n + (m.replies ? m.replies.length : 0), 0);
    out.deltaLinkOnTls = initial.deltaLink.startsWith(origin + "/v1.0/");
    const posted = await setup("POST", messages, { content: "Posted for the Node contract" });
    const changes = await round(client, client.api(initial.deltaLink).get());
    out.changedIds = changes.items.map((m) => m.id);
    out.postedId = posted.id;

    // OneDrive: full enumeration, then token=latest and the changes after it
    const drive = await round(client, client.api(`/drives/${driveId}/root/delta`).get());
    out.driveItems = drive.items.length;
    out.driveHasRoot = drive.items.some((i) => i.root !== undefined);
    const latest = await client.api(`/drives/${driveId}/root/delta`).query({ token: "latest" }).get();
    out.latestEmpty = latest.value.length === 0 && typeof latest["@odata.deltaLink"] === "string";
    await setup("POST", `/drives/${driveId}/items`, { name: "From Node.txt", content: "node" });
    const driveChanges = await round(client, client.api(latest["@odata.deltaLink"]).get());
    out.driveChanged = driveChanges.items.map((i) => i.name);

    // a subscription: the handshake reaches the listener, a change is notified, the subscription is renewed
    const { server, received } = await listen();
    try {
        const base = `https://127.0.0.1:${listenerPort}`;
        const created = await client.api("/subscriptions").post({
            changeType: "created,updated",
            notificationUrl: base + "/notify",
            lifecycleNotificationUrl: base + "/lifecycle",
            resource: messages,
            expirationDateTime: new Date(Date.now() + 30 * 60 * 1000).toISOString(),
            clientState: "node-contract-state",
        });
        out.subscriptionId = created.id;
        out.handshakes = received.filter((r) => r.validationToken !== undefined).map((r) => r.path);
        await setup("POST", messages, { content: "Notified to Node" });
        await until(() => received.some((r) => r.path === "/notify" && r.body), 10000);
        const note = received.find((r) => r.path === "/notify" && r.body);
        out.notifiedClientState = note ? note.body.value[0].clientState : null;
        out.notifiedChangeType = note ? note.body.value[0].changeType : null;
        const renewedTo = new Date(Date.now() + 50 * 60 * 1000).toISOString();
        const renewed = await client.api(`/subscriptions/${created.id}`).patch({ expirationDateTime: renewedTo });
        out.renewedExpiry = renewed.expirationDateTime;
        out.requestedExpiry = renewedTo;
        const read = await client.api(`/subscriptions/${created.id}`).get();
        out.readExpiry = read.expirationDateTime;
        await setup("POST", `/subscriptions/${created.id}/lifecycle`, { lifecycleEvent: "reauthorizationRequired" });
        await until(() => received.some((r) => r.path === "/lifecycle" && r.body), 10000);
        const lifecycle = received.find((r) => r.path === "/lifecycle" && r.body);
        out.lifecycleEvent = lifecycle ? lifecycle.body.value[0].lifecycleEvent : null;
        await client.api(`/subscriptions/${created.id}`).delete();
        try {
            await client.api(`/subscriptions/${created.id}`).get();
        } catch (e) {
            out.deletedStatus = e.statusCode;
        }
    } finally {
        server.close();
    }

    // errors as GraphError, and a 429 the client's RetryHandler waits out (Retry-After) and retries
    try {
        await client.api("/teams/no-such-team/channels").get();
    } catch (e) {
        out.notFoundStatus = e.statusCode;
        out.notFoundCode = e.code;
        out.notFoundRequestId = typeof e.requestId === "string" && e.requestId.length > 0;
    }
    await setup("POST", "/limits", { rateLimit: 1, windowSeconds: 2 });
    await client.api(`/teams/${teamId}`).get();
    const retried = await client.api(`/teams/${teamId}`).get();
    out.retriedAfter429 = retried.id === teamId;
    out.violations = (await setup("GET", "/limits")).violations;
    await setup("POST", "/limits", { rateLimit: 0 });
}

main().then(() => {
    process.stdout.write(JSON.stringify(out));
}).catch((e) => {
    process.stderr.write((e && e.stack ? e.stack : String(e)) + "\n" + JSON.stringify(out) + "\n");
    process.exit(1);
});
