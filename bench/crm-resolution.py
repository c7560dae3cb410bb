#!/usr/bin/env python3
"""Entity-resolution accuracy on the generated CRM set: the Salesforce, HubSpot and Dynamics 365 sandboxes seeded from
one shared population (sandbox.kit.Population: with the same seed, 60 % of each provider's companies, and their people,
are the same world entities, written with each system's variations: legal suffixes, casing, typos, missing fields,
phone and address formats, a nickname, a changed email).

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" serving the three sandboxes (N
accounts each) and the measured hub (sandbox off), with one tenant connected to all three. Syncs the companies, then
the contacts, of each provider in turn (entity resolution on, the default rules), reads every c_company and c_contact
shard with its sources, and compares the records the hub put on one shard with the sandboxes' ground truth (GET
.../setup/ground-truth: record id -> world entity id). Prints, per shard type, the true pairs (records of one entity
on different providers), the pairs merged, precision, recall and F1, the shards per entity, the pairs compared (the
executions' or runs' pairsCompared) as a share of all pairs of records on different providers, the pair completeness
(true pairs on one shard or on shards sharing a blocking key, GET /api/tenant/blocking-keys), and the time.

  python3 bench/crm-resolution.py [--accounts 1000] [--heap 1g] [--providers salesforce,hubspot,dynamics365] [--resolve sync|batch]

--resolve batch syncs with matching switched off (every record its own shard), then switches the default rules on and
resolves the shards that exist with a batch resolution run per shard type (POST /api/tenant/resolution-runs), printing
each run's time, shards per second and counts before the accuracy. With --accounts 25000 --providers salesforce,hubspot
--types c_contact that is 100,000 contacts (two people per company).

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, itertools, os, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import all_pages, all_shards, bench_tenant, call, form_token, provider_and_hub, run_and_wait, salesforce_integration, stop  # noqa: E402


def score(shards, truth, integration_provider, keys):
    """Pairs of records (on different providers) that the hub put on one shard, against the true pairs; and the true pairs
    blocking made candidates of each other (on one shard, or on shards sharing a blocking key)."""
    entity_of = {}
    for provider, records in truth.items():
        for record_id, entity in records.items():
            entity_of[(provider, record_id)] = entity
    merged = set()
    shard_of = {}
    for shard in shards:
        records = [(integration_provider[l["integrationId"]], l["externalId"]) for l in shard["externalRelationships"]
                   if l["syncDirection"] != "derived"]
        for record in records:
            shard_of[record] = shard["id"]
        for a, b in itertools.combinations(sorted(records), 2):
            merged.add((a, b))
    by_entity = {}
    for record, entity in entity_of.items():
        by_entity.setdefault(entity, []).append(record)
    true_pairs = set()
    for records in by_entity.values():
        for a, b in itertools.combinations(sorted(records), 2):
            if a[0] != b[0]:
                true_pairs.add((a, b))
    tp = len(merged & true_pairs)
    precision = tp / len(merged) if merged else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    candidates = 0
    for a, b in true_pairs:
        sa, sb = shard_of.get(a), shard_of.get(b)
        if sa is not None and sb is not None and (sa == sb or keys.get(sa, set()) & keys.get(sb, set())):
            candidates += 1
    completeness = candidates / len(true_pairs) if true_pairs else 1.0
    return len(true_pairs), len(merged), tp, precision, recall, f1, len(by_entity), completeness


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--providers", default="salesforce,hubspot,dynamics365")
    ap.add_argument("--types", default="c_company,c_contact", help="the shard types to sync and resolve")
    ap.add_argument("--resolve", choices=["sync", "batch"], default="sync",
                    help="resolve inside the sync (default) or afterwards with batch resolution runs")
    a = ap.parse_args()
    providers = a.providers.split(",")
    types = a.types.split(",")
    work = tempfile.mkdtemp(prefix="hub-bench-crm-")
    seeded = {p: a.accounts if p in providers else 10 for p in ("salesforce", "hubspot", "dynamics365")}
    procs, provider_url, base = provider_and_hub(work, ["--hub.sandbox.salesforce.accounts=%d" % seeded["salesforce"],
                                                       "--hub.sandbox.hubspot.companies=%d" % seeded["hubspot"],
                                                       "--hub.sandbox.dynamics365.accounts=%d" % seeded["dynamics365"]], "3g", a.heap)
    try:
        sandbox = provider_url + "/sandbox"
        key = bench_tenant(base)
        lifted = {"requests": 60000, "windowSeconds": 60}
        call("PUT", base + "/api/tenant/rate-limits", key, {"tenant": lifted})

        sf = salesforce_integration(base, key, sandbox + "/salesforce", unpaced=True)
        hs = call("POST", base + "/api/tenant/integrations", key, {"providerId": "hubspot", "name": "hubspot"})["id"]
        call("PUT", base + "/api/tenant/integrations/%s/rate-limits" % hs, key, {"integration": lifted})
        if not call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % hs, key, {"type": "private_app_token",
                    "credentials": {"accessToken": "pat-sandbox", "baseUrl": sandbox + "/hubspot"}})["ok"]:
            sys.exit("HubSpot connect failed")
        dv = call("POST", base + "/api/tenant/integrations", key, {"providerId": "dynamics365", "name": "dynamics"})["id"]
        if not call("POST", base + "/api/tenant/integrations/%s/connect/api-key" % dv, key, {
                "type": "oauth2_entra_client_credentials", "credentials": {"orgUrl": sandbox + "/dynamics365",
                "authority": sandbox + "/entra/sandbox-tenant", "clientId": "sandbox-client", "clientSecret": "sandbox-secret"}})["ok"]:
            sys.exit("Dynamics connect failed")
        provider_of = {sf: "salesforce", hs: "hubspot", dv: "dynamics365"}
        if a.resolve == "batch":
            for shard_type in types:
                call("PUT", base + "/api/tenant/match-rules/" + shard_type, key, {"enabled": False})

        began = time.time()
        counts = {}
        compared = {t: 0 for t in types}
        for shard_type, entities in (("c_company", ((sf, "Account"), (hs, "companies"), (dv, "accounts"))),
                                     ("c_contact", ((sf, "Contact"), (hs, "contacts"), (dv, "contacts")))):
            if shard_type not in types:
                continue
            for integration, entity in entities:
                if provider_of[integration] not in providers:
                    continue
                t0 = time.time()
                e = run_and_wait(base, key, integration, entity, poll=0.1)
                if e["status"] != "completed":
                    sys.exit("%s sync ended %s: %s" % (entity, e["status"], e.get("error")))
                counts[(provider_of[integration], entity)] = e
                compared[shard_type] += e["pairsCompared"]
                print("%-12s %-10s %6d records in %6.2f s: created %d, merged %d, in review %d, unblocked %d" % (
                    provider_of[integration], entity, e["recordsProcessed"], time.time() - t0, e["recordsCreated"],
                    e["recordsMerged"], e["recordsInReview"], e["recordsUnblocked"]))
        elapsed = time.time() - began
        if a.resolve == "batch":
            for shard_type in types:
                call("DELETE", base + "/api/tenant/match-rules/" + shard_type, key)
                t0 = time.time()
                run = call("POST", base + "/api/tenant/resolution-runs", key, {"shardType": shard_type})
                indexed = None
                while run["status"] in ("queued", "running"):
                    time.sleep(0.2)
                    run = call("GET", base + "/api/tenant/resolution-runs/" + run["id"], key)
                    if indexed is None and run["phase"] == "matching":
                        indexed = time.time() - t0
                took = time.time() - t0
                if run["status"] != "completed":
                    sys.exit("resolution run of %s ended %s: %s" % (shard_type, run["status"], run.get("error")))
                c, p = run["counts"], run["progress"]
                compared[shard_type] += c["pairsCompared"]
                print("resolution run %-9s %6d shards in %6.2f s (%.0f shards/s; run's own %.2f s; keys indexed after %.2f s):"
                      " pairs compared %d, merged %d, sent to review %d, without keys %d"
                      % (shard_type, p["shardsTotal"], took, p["shardsTotal"] / took, run["durationMs"] / 1000.0, indexed or took,
                         c["pairsCompared"], c["merged"], c["inReview"], c["unblocked"]))

        sf_token = form_token(sandbox + "/salesforce/services/oauth2/token", {"grant_type": "password", "client_id": "sandbox-client",
                              "client_secret": "sandbox-secret", "username": "admin@sandbox.example", "password": "sandbox"})["access_token"]
        dv_token = form_token(sandbox + "/entra/sandbox-tenant/oauth2/v2.0/token", {"grant_type": "client_credentials",
                              "client_id": "sandbox-client", "client_secret": "sandbox-secret", "scope": sandbox + "/dynamics365/.default"})["access_token"]
        sf_truth = call("GET", sandbox + "/salesforce/setup/ground-truth", sf_token)["entities"]
        hs_truth = call("GET", sandbox + "/hubspot/setup/ground-truth", "pat-sandbox")
        dv_truth = call("GET", sandbox + "/dynamics365/setup/ground-truth", dv_token)
        truths = {"c_company": {"salesforce": sf_truth["Account"], "hubspot": hs_truth["companies"], "dynamics365": dv_truth["accounts"]},
                  "c_contact": {"salesforce": sf_truth["Contact"], "hubspot": hs_truth["contacts"], "dynamics365": dv_truth["contacts"]}}
        truths = {t: {p: records for p, records in by.items() if p in providers} for t, by in truths.items()}
        pending = call("GET", base + "/api/tenant/matches?status=pending&limit=500", key)["items"]
        print("accounts per provider  %d; synced in %.1f s; pending reviews (first page) %d" % (a.accounts, elapsed, len(pending)))
        for shard_type in types:
            shards = [s for s in all_shards(base, key, shard_type) if not s["deleted"]]
            keys = {k["shardId"]: set(k["keys"]) for k in all_pages(base + "/api/tenant/blocking-keys?shardType=%s&limit=1000" % shard_type, key)}
            true_pairs, merged, tp, p, r, f1, entities, completeness = score(shards, truths[shard_type], provider_of, keys)
            print("%-10s shards %6d for %6d entities; true pairs %6d, merged %6d, correct %6d: precision %.4f, recall %.4f, F1 %.4f"
                  % (shard_type, len(shards), entities, true_pairs, merged, tp, p, r, f1))
            sizes = [len(truths[shard_type][p]) for p in truths[shard_type]]
            cross = sum(x * y for x, y in itertools.combinations(sizes, 2))
            print("%-10s pairs compared %d = %.4f%% of the %d pairs of records on different providers; pair completeness %.4f"
                  " (true pairs on one shard or on shards sharing a blocking key)"
                  % (shard_type, compared[shard_type], 100.0 * compared[shard_type] / cross, cross, completeness))
    finally:
        stop(procs, work)


if __name__ == "__main__":
    main()
