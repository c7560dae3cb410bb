package sandbox.dynamics365;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sandbox.kit.Population;

/**
 * Fills an org from the shared fictional population ({@code dynamics365}'s copy of it): per account two contacts
 * (customer lookup to it) and one opportunity (account, customer and contact lookups), written the way Dataverse
 * holds them (industry codes, money, pipeline phases, state and status). Ids are the same on every start for the
 * same org and index, and each row's population entity id is recorded as ground truth.
 */
final class DataverseSeed {

    static final String PROVIDER = "dynamics365";

    /** Population industries as Dataverse's account industry codes. */
    private static final Map<String, Integer> INDUSTRY_CODES = Map.ofEntries(Map.entry("Agriculture", 2),
            Map.entry("Apparel", 22), Map.entry("Banking", 16), Map.entry("Biotechnology", 18),
            Map.entry("Chemicals", 24), Map.entry("Communications", 3), Map.entry("Construction", 28),
            Map.entry("Consulting", 7), Map.entry("Education", 8), Map.entry("Electronics", 12),
            Map.entry("Energy", 31), Map.entry("Engineering", 9), Map.entry("Entertainment", 14),
            Map.entry("Environmental", 6), Map.entry("Finance", 16), Map.entry("Food & Beverage", 17),
            Map.entry("Healthcare", 11), Map.entry("Hospitality", 13), Map.entry("Insurance", 20),
            Map.entry("Machinery", 12), Map.entry("Manufacturing", 12), Map.entry("Media", 3),
            Map.entry("Recreation", 14), Map.entry("Retail", 25), Map.entry("Shipping", 30),
            Map.entry("Technology", 6), Map.entry("Telecommunications", 3), Map.entry("Transportation", 30),
            Map.entry("Utilities", 31));
    /** Population deal stages as an opportunity's pipeline phase. */
    private static final Map<String, String> PHASES = Map.of("Prospecting", "1-Qualify", "Qualification", "1-Qualify",
            "Needs Analysis", "2-Develop", "Proposal", "3-Propose", "Negotiation", "4-Close", "Closed Won", "4-Close",
            "Closed Lost", "4-Close");

    private final Population population;

    DataverseSeed(Population population) {
        this.population = population;
    }

    /** Seeds {@code accounts} accounts with their contacts and opportunities, last modified before {@code anchor}. */
    void fill(DataverseOrg org, int accounts, Instant anchor) {
        EntityReference admin = new EntityReference("systemuser", org.systemUserId("sandbox-admin"));
        Instant base = anchor.truncatedTo(ChronoUnit.SECONDS);
        for (int k = 0; k < accounts; k++) {
            Population.Account source = population.account(PROVIDER, k);
            // older accounts first: the k-th was created (accounts - k) * 4 minutes before the anchor
            Instant created = base.minus(Duration.ofMinutes(4L * (accounts - k)));
            String accountId = rowId(org, "account", k);
            List<String> contactIds = List.of(rowId(org, "contact", 2 * k), rowId(org, "contact", 2 * k + 1));

            Population.Company company = source.company();
            Map<String, Object> account = system(admin, created, k);
            account.put("accountid", accountId);
            account.put("name", company.name());
            account.put("accountnumber", "A-" + (10_000 + k));
            account.put("telephone1", company.phone());
            account.put("emailaddress1", k % 5 == 0 ? null : "info@" + company.domain());
            account.put("websiteurl", company.website());
            Population.Address address = company.address();
            account.put("address1_line1", address.street());
            account.put("address1_city", address.city());
            account.put("address1_stateorprovince", address.state());
            account.put("address1_postalcode", address.postalCode());
            account.put("address1_country", address.country());
            account.put("industrycode", INDUSTRY_CODES.get(company.industry()));
            account.put("numberofemployees", company.employees());
            account.put("revenue", company.annualRevenue() == null ? null : money(BigDecimal.valueOf(company.annualRevenue())));
            account.put("description", company.description());
            org.seed(EntitySchema.ACCOUNT, account, company.entityId());

            for (int j = 0; j < 2; j++) {
                Population.Person person = source.people().get(j);
                Map<String, Object> contact = system(admin, created.plus(Duration.ofMinutes(1 + j)), k + j);
                contact.put("contactid", contactIds.get(j));
                contact.put("firstname", person.firstName());
                contact.put("lastname", person.lastName());
                contact.put("emailaddress1", person.email());
                contact.put("telephone1", person.phone());
                contact.put("mobilephone", person.mobile());
                contact.put("jobtitle", person.title());
                contact.put("address1_line1", person.street());
                contact.put("address1_city", person.city());
                contact.put("address1_stateorprovince", person.state());
                contact.put("address1_postalcode", person.postalCode());
                contact.put("address1_country", person.country());
                contact.put("birthdate", person.birthDate());
                contact.put("parentcustomerid", new EntityReference("account", accountId));
                org.seed(EntitySchema.CONTACT, contact, person.entityId());
            }

            Population.Deal deal = source.deal();
            Map<String, Object> opportunity = system(admin, created.plus(Duration.ofMinutes(3)), k);
            opportunity.put("opportunityid", rowId(org, "opportunity", k));
            opportunity.put("name", deal.name());
            opportunity.put("estimatedvalue", money(deal.amount()));
            opportunity.put("estimatedclosedate", deal.closeDate());
            opportunity.put("closeprobability", deal.probability());
            opportunity.put("stepname", PHASES.getOrDefault(deal.stage(), "1-Qualify"));
            opportunity.put("description", deal.type() + (deal.leadSource() == null ? "" : ", from " + deal.leadSource()));
            opportunity.put("parentaccountid", new EntityReference("account", accountId));
            opportunity.put("customerid", new EntityReference("account", accountId));
            opportunity.put("parentcontactid", new EntityReference("contact", contactIds.get(0)));
            if (deal.stage().equals("Closed Won")) {
                opportunity.put("statecode", 1);
                opportunity.put("statuscode", 3);
                opportunity.put("actualvalue", money(deal.amount()));
                opportunity.put("actualclosedate", deal.closeDate());
            } else if (deal.stage().equals("Closed Lost")) {
                opportunity.put("statecode", 2);
                opportunity.put("statuscode", 4);
                opportunity.put("actualclosedate", deal.closeDate());
            }
            org.seed(EntitySchema.OPPORTUNITY, opportunity, deal.entityId());

            // the account's primary contact is set once the contact exists, as a user would
            Map<String, Object> withPrimary = new HashMap<>(org.get(EntitySchema.ACCOUNT, accountId).values());
            withPrimary.put("primarycontactid", new EntityReference("contact", contactIds.get(0)));
            withPrimary.remove("versionnumber");
            org.seed(EntitySchema.ACCOUNT, withPrimary, company.entityId());
        }
    }

    /** The row id of a table's n-th seeded row in an org: the same on every start. */
    static String rowId(DataverseOrg org, String table, int n) {
        return EntitySchema.stableId("row:" + org.name() + ":" + table + ":" + n);
    }

    /** Owner, creator and timestamps; modified on a few minutes after creation, never after the seed's anchor. */
    private static Map<String, Object> system(EntityReference admin, Instant created, int k) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("statecode", 0);
        values.put("statuscode", 1);
        values.put("ownerid", admin);
        values.put("createdby", admin);
        values.put("modifiedby", admin);
        values.put("createdon", created);
        values.put("modifiedon", created.plus(Duration.ofSeconds(k % 60)));
        return values;
    }

    /** Dataverse's money: four decimals. */
    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(4, java.math.RoundingMode.HALF_UP);
    }
}
