package sandbox.hubspot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sandbox.kit.Population;

/**
 * A portal's seeded data, drawn from the shared {@link Population} as provider {@code hubspot}: per company two contacts
 * and one deal, each associated with the company (Primary), created in that order one second apart from
 * {@link #SEED_BASE}. The same for every portal seeded with the same number of companies, so portals share it. Ground
 * truth maps each seeded record id to the world entity it is.
 */
final class HubSpotSeed {

    static final String PROVIDER = "hubspot";
    static final Instant SEED_BASE = Instant.parse("2025-01-01T00:00:00Z");

    /** The world's industries as HubSpot's industry values. */
    private static final Map<String, String> INDUSTRY = Map.ofEntries(Map.entry("Agriculture", "FARMING"),
            Map.entry("Apparel", "APPAREL_FASHION"), Map.entry("Banking", "BANKING"),
            Map.entry("Biotechnology", "BIOTECHNOLOGY"), Map.entry("Chemicals", "CHEMICALS"),
            Map.entry("Communications", "TELECOMMUNICATIONS"), Map.entry("Construction", "CONSTRUCTION"),
            Map.entry("Consulting", "MANAGEMENT_CONSULTING"), Map.entry("Education", "EDUCATION_MANAGEMENT"),
            Map.entry("Electronics", "CONSUMER_ELECTRONICS"), Map.entry("Energy", "OIL_ENERGY"),
            Map.entry("Engineering", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING"), Map.entry("Entertainment", "ENTERTAINMENT"),
            Map.entry("Environmental", "ENVIRONMENTAL_SERVICES"), Map.entry("Finance", "FINANCIAL_SERVICES"),
            Map.entry("Food & Beverage", "FOOD_BEVERAGES"), Map.entry("Healthcare", "HOSPITAL_HEALTH_CARE"),
            Map.entry("Hospitality", "HOSPITALITY"), Map.entry("Insurance", "INSURANCE"),
            Map.entry("Machinery", "MACHINERY"), Map.entry("Manufacturing", "INDUSTRIAL_AUTOMATION"),
            Map.entry("Media", "MEDIA_PRODUCTION"), Map.entry("Recreation", "RECREATIONAL_FACILITIES_AND_SERVICES"),
            Map.entry("Retail", "RETAIL"), Map.entry("Shipping", "PACKAGE_FREIGHT_DELIVERY"),
            Map.entry("Technology", "INFORMATION_TECHNOLOGY_AND_SERVICES"),
            Map.entry("Telecommunications", "TELECOMMUNICATIONS"),
            Map.entry("Transportation", "TRANSPORTATION_TRUCKING_RAILROAD"), Map.entry("Utilities", "UTILITIES"));
    /** The world's deal stages as the stages of HubSpot's default pipeline. */
    private static final Map<String, String> STAGE = Map.of("Prospecting", "appointmentscheduled",
            "Qualification", "qualifiedtobuy", "Needs Analysis", "presentationscheduled",
            "Proposal", "decisionmakerboughtin", "Negotiation", "contractsent", "Closed Won", "closedwon",
            "Closed Lost", "closedlost");

    /** One seeded association, from a contact or deal to its company. */
    record Link(HubSpotObjectType fromType, long fromId, HubSpotObjectType toType, long toId, boolean primary) {
    }

    private final int companies;
    private final long populationSeed;
    private final Map<HubSpotObjectType, HubSpotRecord[]> records = new EnumMap<>(HubSpotObjectType.class);
    private final Map<HubSpotObjectType, Map<Long, String>> entities = new EnumMap<>(HubSpotObjectType.class);
    private final List<Link> links = new ArrayList<>();
    private Instant lastStamp = SEED_BASE;

    private HubSpotSeed(int companies, long populationSeed) {
        this.companies = companies;
        this.populationSeed = populationSeed;
    }

    /** The first {@code companies} of the population's HubSpot accounts. */
    static HubSpotSeed generate(Population population, int companies) {
        HubSpotSeed seed = new HubSpotSeed(companies, population.seed());
        seed.fill(population);
        return seed;
    }

    int companies() {
        return companies;
    }

    long populationSeed() {
        return populationSeed;
    }

    HubSpotRecord[] records(HubSpotObjectType type) {
        return records.get(type);
    }

    /** Seeded record id to entity id, in id order. */
    Map<Long, String> entities(HubSpotObjectType type) {
        return entities.get(type);
    }

    List<Link> links() {
        return links;
    }

    /** The latest time stamped on a seeded record. */
    Instant lastStamp() {
        return lastStamp;
    }

    private void fill(Population population) {
        Map<HubSpotObjectType, List<HubSpotRecord>> lists = new EnumMap<>(HubSpotObjectType.class);
        for (HubSpotObjectType type : HubSpotObjectType.values()) {
            lists.put(type, new ArrayList<>());
            entities.put(type, new LinkedHashMap<>());
        }
        long tick = 0;
        for (int k = 0; k < companies; k++) {
            Population.Account account = population.account(PROVIDER, k);
            long companyId = HubSpotObjectType.COMPANIES.firstId() + k;
            add(lists, HubSpotObjectType.COMPANIES, companyId, company(account.company()), account.company().entityId(),
                    tick++);
            for (int j = 0; j < account.people().size(); j++) {
                Population.Person person = account.people().get(j);
                long contactId = HubSpotObjectType.CONTACTS.firstId() + 2L * k + j;
                add(lists, HubSpotObjectType.CONTACTS, contactId, contact(person, account.company()), person.entityId(),
                        tick++);
                links.add(new Link(HubSpotObjectType.CONTACTS, contactId, HubSpotObjectType.COMPANIES, companyId, true));
            }
            long dealId = HubSpotObjectType.DEALS.firstId() + k;
            add(lists, HubSpotObjectType.DEALS, dealId, deal(account.deal()), account.deal().entityId(), tick++);
            links.add(new Link(HubSpotObjectType.DEALS, dealId, HubSpotObjectType.COMPANIES, companyId, true));
        }
        lists.forEach((type, list) -> records.put(type, list.toArray(HubSpotRecord[]::new)));
        entities.replaceAll((type, map) -> Collections.unmodifiableMap(map));
    }

    private static Map<String, String> company(Population.Company c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", c.name());
        // HubSpot keys companies on their domain: it holds the bare domain whatever the website field says
        v.put("domain", c.domain());
        v.put("website", c.website());
        v.put("phone", c.phone());
        if (c.address() != null) {
            v.put("address", c.address().street());
            v.put("city", c.address().city());
            v.put("state", c.address().state());
            v.put("zip", c.address().postalCode());
            v.put("country", c.address().country());
        }
        v.put("industry", c.industry() == null ? null : INDUSTRY.get(c.industry()));
        String type = c.type() == null ? null : c.type().toUpperCase(Locale.ROOT);
        v.put("type", HubSpotObjectType.COMPANY_TYPES.contains(type) ? type : null);
        v.put("lifecyclestage", "Customer".equals(c.type()) ? "customer" : "Prospect".equals(c.type()) ? "lead" : null);
        v.put("numberofemployees", c.employees() == null ? null : c.employees().toString());
        v.put("annualrevenue", c.annualRevenue() == null ? null : c.annualRevenue().toString());
        v.put("description", c.description());
        return v;
    }

    private static Map<String, String> contact(Population.Person p, Population.Company company) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("firstname", p.firstName());
        v.put("lastname", p.lastName());
        v.put("email", p.email());
        v.put("phone", p.phone());
        v.put("mobilephone", p.mobile());
        v.put("jobtitle", p.title());
        v.put("company", company.name());
        v.put("address", p.street());
        v.put("city", p.city());
        v.put("state", p.state());
        v.put("zip", p.postalCode());
        v.put("country", p.country());
        v.put("date_of_birth", p.birthDate() == null ? null : p.birthDate().toString());
        return v;
    }

    private static Map<String, String> deal(Population.Deal d) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("dealname", d.name());
        v.put("amount", d.amount() == null ? null : d.amount().toPlainString());
        v.put("closedate", d.closeDate() == null ? null
                : HubSpotJson.dateTime(d.closeDate().atStartOfDay(ZoneOffset.UTC).toInstant()));
        v.put("pipeline", HubSpotObjectType.PIPELINE);
        v.put("dealstage", STAGE.get(d.stage()));
        v.put("dealtype", "New Business".equals(d.type()) ? "newbusiness" : d.type() == null ? null : "existingbusiness");
        return v;
    }

    private void add(Map<HubSpotObjectType, List<HubSpotRecord>> lists, HubSpotObjectType type, long id,
            Map<String, String> values, String entityId, long tick) {
        // one second apart, with a millisecond part, as real stamps have
        Instant at = SEED_BASE.plusSeconds(tick).plusMillis((tick * 137) % 1000);
        lists.get(type).add(HubSpotRecord.created(type, id, values, at));
        entities.get(type).put(id, entityId);
        lastStamp = at;
    }
}
