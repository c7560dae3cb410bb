package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * A tenant syncs its Salesforce Accounts, then its Leads: each lead becomes a contact and names its company, a derived
 * c_company resolved against the companies the hub holds. A lead at an account's company links works_at to that
 * account's shard (which then holds the Account and the Lead.company link); leads at a company the hub has not seen
 * create one shard for it, shared by every lead there; a lead without a company is a contact alone.
 */
class SalesforceLeadTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void leadsJoinTheirCompanysShardOrCreateOneAndTheirContactWorksAtIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "leads-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String token = hub.sandboxToken(org);

        JsonNode accounts = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);
        assertThat(accounts.get("status").asText()).as(accounts.toString()).isEqualTo("completed");

        // an account with a website, a phone and an address, as the lead's web form will give them again
        JsonNode account = hub.sandboxRecords(token, "Account",
                        "Id, Name, Website, Phone, BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry", 40)
                .stream().filter(a -> !a.get("Website").isNull() && !a.get("Phone").isNull() && !a.get("BillingStreet").isNull()
                        && !a.get("BillingPostalCode").isNull())
                .findFirst().orElseThrow();
        String domain = account.get("Website").asText().toLowerCase(Locale.ROOT)
                .replaceFirst("^https?://", "").replaceFirst("^www\\.", "").replaceFirst("/$", "");
        Map<String, Object> atAccount = lead("Dana", "Whitfield", account.get("Name").asText().trim().toUpperCase(Locale.ROOT) + " Inc.",
                "dana.whitfield@" + domain, account.get("Phone").asText());
        address(atAccount, account.get("BillingStreet").asText(), account.get("BillingCity").asText(),
                account.get("BillingState").isNull() ? null : account.get("BillingState").asText(),
                account.get("BillingPostalCode").asText(), account.get("BillingCountry").asText());
        String known = create(hub, token, atAccount);

        Map<String, Object> first = lead("Ines", "Okonkwo", "Quillfeather Robotics GmbH", "ines.okonkwo@quillfeather.example",
                "+49 30 5550 1234");
        address(first, "Torstrasse 12", "Berlin", null, "10119", "Germany");
        String unknownFirst = create(hub, token, first);
        Map<String, Object> second = lead("Pavel", "Lindqvist", "Quillfeather Robotics", "pavel.lindqvist@quillfeather.example",
                "+49 30 5550 1234");
        address(second, "Torstrasse 12", "Berlin", null, "10119", "Germany");
        String unknownSecond = create(hub, token, second);
        Map<String, Object> alone = lead("Mirela", "Stanescu", "Zephyrine Textiles", "mirela@zephyrine-textiles.example",
                "+1 503 555 0177");
        address(alone, "77 Alder Street", "Portland", "OR", "97205", "United States");
        String unknownAlone = create(hub, token, alone);
        String noCompany = create(hub, token, lead("Tomasz", "Wierzbicki", null, "tomasz.w@gmail.com", "+1 212 555 0166"));

        JsonNode leads = hub.runAndWait(key, integration, hub.task(key, integration, "Lead", "full"), TIMEOUT);
        assertThat(leads.get("status").asText()).as(leads.toString()).isEqualTo("completed");
        assertThat(leads.get("recordsFailed").asLong()).as(leads.toString()).isZero();
        assertThat(leads.get("recordsMerged").asLong()).as("derived companies joining account shards").isPositive();

        List<JsonNode> companies = hub.allShards(key, "c_company");
        List<JsonNode> contacts = hub.allShards(key, "c_contact");
        Map<String, JsonNode> companyById = new HashMap<>();
        companies.forEach(c -> companyById.put(c.get("id").asText(), c));

        // the lead at the account's company works at the account's shard
        JsonNode accountShard = holding(companies, "Account", account.get("Id").asText());
        JsonNode knownContact = shard(hub, key, holding(contacts, "Lead", known).get("id").asText());
        assertThat(knownContact.at("/structuredData/email").asText()).isEqualTo("dana.whitfield@" + domain);
        assertThat(knownContact.at("/structuredData/street").asText()).isEqualTo(account.get("BillingStreet").asText());
        assertThat(knownContact.at("/structuredData/postalCode").asText()).isEqualTo(account.get("BillingPostalCode").asText());
        assertThat(worksAt(knownContact)).isEqualTo(accountShard.get("id").asText());
        JsonNode joined = shard(hub, key, accountShard.get("id").asText());
        assertThat(joined.get("externalRelationships")).hasSize(2);
        assertThat(link(joined, "Account").get("externalId").asText()).isEqualTo(account.get("Id").asText());
        JsonNode derived = link(joined, "Lead.company");
        assertThat(derived.get("externalId").asText()).isEqualTo(known);
        assertThat(derived.get("syncDirection").asText()).isEqualTo("derived");
        assertThat(joined.at("/structuredData/name").asText()).as("the account's name survives").isEqualTo(account.get("Name").asText().trim());
        assertThat(joined.get("incomingRelationships")).anySatisfy(r -> {
            assertThat(r.get("type").asText()).isEqualTo("works_at");
            assertThat(r.get("sourceShardId").asText()).isEqualTo(knownContact.get("id").asText());
        });

        // two leads at a company the hub has not seen share one new shard; a third company gets its own
        String quillfeather = worksAt(shard(hub, key, holding(contacts, "Lead", unknownFirst).get("id").asText()));
        assertThat(worksAt(shard(hub, key, holding(contacts, "Lead", unknownSecond).get("id").asText()))).isEqualTo(quillfeather);
        JsonNode created = shard(hub, key, quillfeather);
        assertThat(created.at("/structuredData/name").asText()).startsWith("Quillfeather Robotics");
        assertThat(created.at("/structuredData/domain").asText()).isEqualTo("quillfeather.example");
        assertThat(created.at("/structuredData/address/city").asText()).isEqualTo("Berlin");
        assertThat(created.get("externalRelationships")).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("entity").asText()).isEqualTo("Lead.company");
            assertThat(l.get("syncDirection").asText()).isEqualTo("derived");
        });
        String zephyrine = worksAt(shard(hub, key, holding(contacts, "Lead", unknownAlone).get("id").asText()));
        assertThat(zephyrine).isNotEqualTo(quillfeather).isNotEqualTo(accountShard.get("id").asText());
        assertThat(companyById.get(zephyrine).get("externalRelationships")).hasSize(1);
        assertThat(companyById.get(zephyrine).at("/externalRelationships/0/entity").asText()).isEqualTo("Lead.company");

        // no company: the lead is a contact with no works_at, and its free-mail domain made no company either
        JsonNode loner = shard(hub, key, holding(contacts, "Lead", noCompany).get("id").asText());
        assertThat(loner.at("/structuredData/lastName").asText()).isEqualTo("Wierzbicki");
        assertThat(loner.get("relationships")).isEmpty();
        assertThat(companies).noneSatisfy(c -> assertThat(c.get("externalRelationships").toString()).contains(noCompany));

        // the seeded leads at accounts' companies mostly found those accounts' shards
        JsonNode truth = hub.call("GET", hub.sandboxUrl() + "/setup/ground-truth", token, null).body();
        Map<String, String> accountOfEntity = new HashMap<>();
        truth.at("/entities/Account").fields().forEachRemaining(e -> accountOfEntity.put(e.getValue().asText(), e.getKey()));
        int atAccounts = 0;
        int found = 0;
        for (var it = truth.get("leadCompanies").fields(); it.hasNext(); ) {
            var e = it.next();
            String accountId = accountOfEntity.get(e.getValue().asText());
            if (accountId == null) {
                continue;
            }
            atAccounts++;
            JsonNode contact = holding(contacts, "Lead", e.getKey());
            String target = worksAt(shard(hub, key, contact.get("id").asText()));
            if (target != null && target.equals(holding(companies, "Account", accountId).get("id").asText())) {
                found++;
            }
        }
        assertThat(atAccounts).isGreaterThan(100);
        assertThat(found).as("%d of %d seeded leads at accounts' companies", found, atAccounts).isGreaterThan(atAccounts * 8 / 10);
    }

    private static Map<String, Object> lead(String first, String last, String company, String email, String phone) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("FirstName", first);
        lead.put("LastName", last);
        if (company != null) {
            lead.put("Company", company);
        }
        lead.put("Email", email);
        lead.put("Phone", phone);
        lead.put("LeadSource", "Web");
        return lead;
    }

    private static void address(Map<String, Object> lead, String street, String city, String state, String postalCode, String country) {
        lead.put("Street", street);
        lead.put("City", city);
        if (state != null) {
            lead.put("State", state);
        }
        lead.put("PostalCode", postalCode);
        lead.put("Country", country);
    }

    private static String create(HubClient hub, String token, Map<String, Object> lead) {
        HubClient.Response created = hub.sandbox("POST", token, "/sobjects/Lead", lead);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private static JsonNode shard(HubClient hub, String key, String id) {
        return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
    }

    private static JsonNode holding(List<JsonNode> shards, String entity, String externalId) {
        return shards.stream().filter(s -> {
            for (JsonNode link : s.get("externalRelationships")) {
                if (link.get("entity").asText().equals(entity) && link.get("externalId").asText().equals(externalId)) {
                    return true;
                }
            }
            return false;
        }).findFirst().orElseThrow(() -> new AssertionError("no shard holds " + entity + " " + externalId));
    }

    private static JsonNode link(JsonNode shard, String entity) {
        List<JsonNode> links = new ArrayList<>();
        shard.get("externalRelationships").forEach(l -> {
            if (l.get("entity").asText().equals(entity)) {
                links.add(l);
            }
        });
        assertThat(links).as(shard.toString()).hasSize(1);
        return links.get(0);
    }

    /** The shard a contact works at, or null. */
    private static String worksAt(JsonNode contact) {
        for (JsonNode r : contact.get("relationships")) {
            if (r.get("type").asText().equals("works_at")) {
                assertThat(r.get("status").asText()).isEqualTo("resolved");
                return r.get("targetShardId").asText();
            }
        }
        return null;
    }
}
