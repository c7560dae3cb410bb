#!/usr/bin/env python3
"""Entity-resolution accuracy on FEBRL 4 through the sync: the figures of bench/matching-febrl.sh (the matching engine
alone), measured end to end, as a tenant would get them.

Starts two hub processes from target/castiel-integration-hub.jar: a "provider" serving the Salesforce sandbox with no
seeded records (hub.sandbox.salesforce.accounts=0), and the measured hub (sandbox off). Loads the 5,000 originals
(dataset4a.csv) as Contacts into the named sandbox org admin+febrl-a@sandbox.example and the 5,000 duplicates
(dataset4b.csv) into admin+febrl-b@sandbox.example, one sObject POST each (the sandbox has no batch create). The
columns become Contact fields as the engine bench makes c_contact fields, so the figures compare:

  given_name -> FirstName, surname -> LastName, street_number + " " + address_1 (+ newline + address_2) ->
  MailingStreet, suburb -> MailingCity, postcode -> MailingPostalCode, state -> MailingState,
  date_of_birth (YYYYMMDD) -> Birthdate (ISO date; left out when it is no date, e.g. 19560231).

FEBRL 4 has no phone and no email; soc_sec_id is not loaded (neither the Contact mapping nor the default c_contact
rules have a field for it, and the engine bench does not use it). Salesforce refuses a Contact without LastName (and
the hub's Contact mapping requires lastName), so the records without a surname are not loaded: they are counted, and
recall is given both against the true pairs whose two records were loaded and against all 5,000.

One tenant connects two Salesforce integrations (one per org), with the default match rules, and runs a full Contact
sync of org A, then of org B. It then reads every c_contact shard with its sources, the executions' counts, and the
blocking keys each shard holds (GET /api/tenant/blocking-keys), and prints:

- records loaded, true pairs, pairs merged (two records on one shard), precision, recall and F1;
- pairs compared: the executions' pairsCompared (record-candidate pairs scored), as a share of the cross pairs of the
  two sets (5,000 x 5,000) and of all pairs of the records (10,000 choose 2);
- pair completeness: true pairs that blocking made candidates of each other, i.e. whose records ended on one shard
  or on two shards sharing a blocking key. Sharing a key is what makes a shard a candidate in the sync; the sync also
  takes only the hub.matching.max-candidates (50) shards sharing the most keys with a record, and leaves out keys more
  than 1,000 shards hold, so this is an upper bound of what was scored (the engine bench counts the capped candidates).
  The keys are the shards' at the end: a shard that a record joined holds both records' keys;
- pairs missed by blocking (true pairs without a shared key), records in review (and how many of those name the
  true partner as the possible match), and the time: loading the sandbox, each sync, and the read-back.

  python3 bench/febrl-sync.py [--data DIR] [--heap 1g]

Standard library only. Build the jar first: mvn -B -DskipTests package
"""
import argparse, concurrent.futures, csv, datetime, itertools, os, sys, tempfile, time, urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hubproc import (ROOT, all_pages, all_shards, bench_tenant, call, form_token, provider_and_hub, run_and_wait,  # noqa: E402
                     salesforce_integration, stop)

ORGS = (("a", "dataset4a.csv"), ("b", "dataset4b.csv"))
API = "/services/data/v60.0"


def read(path):
    """FEBRL rows as (rec_id, Contact fields); fields left out when empty."""
    rows = []
    with open(path, newline="") as f:
        lines = csv.reader(f, skipinitialspace=True)
        next(lines)
        for v in lines:
            if not v:
                continue
            v = [c.strip() for c in v]
            contact = {}
            street = (v[3] + " " + v[4]).strip()
            street = street if not v[5] else v[5] if not street else street + "\n" + v[5]
            for field, value in (("FirstName", v[1]), ("LastName", v[2]), ("MailingStreet", street), ("MailingCity", v[6]),
                                 ("MailingPostalCode", v[7]), ("MailingState", v[8]), ("Birthdate", iso_date(v[9]))):
                if value:
                    contact[field] = value
            rows.append((v[0], contact))
    return rows


def iso_date(yyyymmdd):
    try:
        return datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])).isoformat() if len(yyyymmdd) == 8 else None
    except ValueError:
        return None


def load(salesforce, org, rows, threads=4):
    """Creates the rows as Contacts in the named org; returns ({Salesforce Id: rec_id}, refused rec_ids)."""
    login = form_token(salesforce + "/services/oauth2/token", {"grant_type": "password", "client_id": "sandbox-client",
                       "client_secret": "sandbox-secret", "username": "admin+%s@sandbox.example" % org, "password": "sandbox"})
    url = login["instance_url"] + API + "/sobjects/Contact"

    def create(row):
        rec_id, contact = row
        if "LastName" not in contact:
            return rec_id, None
        return rec_id, call("POST", url, login["access_token"], contact)["id"]

    ids, refused = {}, []
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for rec_id, sf_id in pool.map(create, rows):
            if sf_id is None:
                refused.append(rec_id)
            else:
                ids[sf_id] = rec_id
    return ids, refused


def entity(rec_id):
    """rec-N-org and rec-N-dup-0 are one person, N."""
    return rec_id.split("-")[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "src", "test", "resources", "febrl"))
    ap.add_argument("--heap", default="1g")
    a = ap.parse_args()
    datasets = {org: read(os.path.join(a.data, name)) for org, name in ORGS}
    work = tempfile.mkdtemp(prefix="hub-bench-febrl-")
    procs, provider_url, base = provider_and_hub(work, ["--hub.sandbox.salesforce.accounts=0", "--hub.sandbox.hubspot.companies=0",
                                                       "--hub.sandbox.dynamics365.accounts=0",
                                                       "--hub.sandbox.salesforce.api-daily-limit=1000000"], "1g", a.heap)
    try:
        salesforce = provider_url + "/sandbox/salesforce"

        t0 = time.time()
        record_of, refused = {}, {}
        for org, _ in ORGS:
            ids, refused[org] = load(salesforce, "febrl-" + org, datasets[org])
            record_of[org] = ids
        load_seconds = time.time() - t0

        key = bench_tenant(base)
        integrations = {org: salesforce_integration(base, key, salesforce, {"name": "febrl-" + org}, unpaced=True,
                                                    username="admin+febrl-%s@sandbox.example" % org) for org, _ in ORGS}
        org_of = {integration: org for org, integration in integrations.items()}
        executions, sync_seconds = {}, {}
        for org, _ in ORGS:
            t = time.time()
            e = run_and_wait(base, key, integrations[org], "Contact", poll=0.5)
            sync_seconds[org] = time.time() - t
            if e["status"] != "completed":
                sys.exit("org %s sync ended %s: %s" % (org, e["status"], e.get("error")))
            executions[org] = e

        t = time.time()
        shards = [s for s in all_shards(base, key, "c_contact") if not s["deleted"]]
        keys = {k["shardId"]: set(k["keys"]) for k in all_pages(base + "/api/tenant/blocking-keys?shardType=c_contact&limit=1000", key)}
        pending = all_pages(base + "/api/tenant/matches?status=pending&limit=500", key)
        read_seconds = time.time() - t

        shard_of = {}
        merged = set()
        for shard in shards:
            records = []
            for link in shard["externalRelationships"]:
                org = org_of.get(link["integrationId"])
                rec_id = record_of.get(org, {}).get(link["externalId"])
                if rec_id is not None:
                    records.append(rec_id)
                    shard_of[rec_id] = shard["id"]
            merged.update(itertools.combinations(sorted(records), 2))
        originals = {entity(r): r for r in record_of["a"].values()}
        duplicates = {entity(r): r for r in record_of["b"].values()}
        true_pairs = {tuple(sorted((originals[n], duplicates[n]))) for n in originals.keys() & duplicates.keys()}
        all_true = len({entity(r) for r, _ in datasets["a"]} & {entity(r) for r, _ in datasets["b"]})
        correct = len(merged & true_pairs)
        precision = correct / len(merged) if merged else 1.0
        recall = correct / len(true_pairs) if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        recall_all = correct / all_true

        candidates = 0
        for x, y in true_pairs:
            sx, sy = shard_of.get(x), shard_of.get(y)
            if sx is not None and sy is not None and (sx == sy or keys.get(sx, set()) & keys.get(sy, set())):
                candidates += 1
        in_review = sum(e["recordsInReview"] for e in executions.values())
        partner = {}
        for x, y in true_pairs:
            partner[shard_of.get(x)], partner[shard_of.get(y)] = shard_of.get(y), shard_of.get(x)
        reviews_right = sum(1 for d in pending if d["kind"] == "review" and partner.get(d["otherShardId"]) == d["shardId"])
        compared = sum(e["pairsCompared"] for e in executions.values())
        loaded = {org: len(record_of[org]) for org, _ in ORGS}
        cross = loaded["a"] * loaded["b"]
        n = loaded["a"] + loaded["b"]
        everything = n * (n - 1) // 2

        print("FEBRL 4 through the sync: default c_contact rules, two Salesforce integrations (sandbox orgs febrl-a, febrl-b)")
        print("records loaded     %d (4a %d, 4b %d); not loaded for want of a surname (Salesforce requires LastName): 4a %d, 4b %d"
              % (n, loaded["a"], loaded["b"], len(refused["a"]), len(refused["b"])))
        print("c_contact shards   %d" % len(shards))
        for org, _ in ORGS:
            e = executions[org]
            print("sync org %s         %5d records in %6.1f s: created %d, merged %d, in review %d, unblocked %d, pairs compared %d"
                  % (org, e["recordsProcessed"], sync_seconds[org], e["recordsCreated"], e["recordsMerged"], e["recordsInReview"],
                     e["recordsUnblocked"], e["pairsCompared"]))
        print("true pairs         %d with both records loaded (of %d in FEBRL 4)" % (len(true_pairs), all_true))
        print("pairs merged       %d, of which true %d" % (len(merged), correct))
        print("precision %.4f  recall %.4f  F1 %.4f  (recall against all %d true pairs %.4f)"
              % (precision, recall, f1, all_true, recall_all))
        print("pairs compared     %d (sum of the executions' pairsCompared) = %.4f%% of the %d cross pairs (4a x 4b), %.4f%% of all %d pairs"
              % (compared, 100.0 * compared / cross, cross, 100.0 * compared / everything, everything))
        print("pair completeness  %.4f: %d of %d true pairs ended on one shard or on shards sharing a blocking key (what makes a"
              % (candidates / len(true_pairs), candidates, len(true_pairs)))
        print("                   shard a candidate; the sync scores at most hub.matching.max-candidates, 50, sharing the most keys)")
        print("missed by blocking %d true pairs (no shared key: never compared)" % (len(true_pairs) - candidates))
        print("records in review  %d (pending possible matches naming the true partner: %d)" % (in_review, reviews_right))
        print("time               load %.1f s (%d sObject POSTs), sync a %.1f s, sync b %.1f s, read back %.1f s"
              % (load_seconds, n, sync_seconds["a"], sync_seconds["b"], read_seconds))
    except urllib.error.HTTPError as e:
        sys.exit("%s %s: %s" % (e.code, e.url, e.read().decode(errors="replace")[:500]))
    finally:
        stop(procs, work)


if __name__ == "__main__":
    main()
