package sandbox.salesforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import sandbox.kit.Population;

/**
 * Generates an org's seeded data from the shared fictional world ({@link Population}, provider
 * {@value #PROVIDER}): account k is the world's {@code population.account("salesforce", k)}, its two contacts that
 * account's people and its opportunity its deal, written onto Salesforce's fields and picklists. Every start and
 * every org gets the same values (ids differ by org code only), and many companies and people are the same
 * entities as in the other sandboxes, spelled their own way; {@link #groundTruth} says which. After the accounts
 * come the tasks and events logged about them ({@link SeededActivities}: one task per account, one event per odd
 * account), which only Salesforce has, and then the leads, one per two accounts ({@link Population#prospect}): every
 * third at the company of an account (its name written again, with or without its legal form, cased otherwise; the
 * email at the account's website domain), the others at companies no provider holds, two leads at the same one now
 * and then, and now and then a lead with no company.
 *
 * <p>Records are emitted in creation order (account, its contacts, its opportunity; after every account, the
 * activities) with CreatedDate = LastModifiedDate = SystemModstamp = {@link #SEED_BASE} plus one second per
 * record, so account n is stamped at second 4n.
 *
 * <p>Deliberate quirks, fixed by position so tests can rely on them (n counts from 0), on top of the world's own
 * (missing fields, casing, typos, phone and address formats, nicknames, old email addresses):
 * <ul>
 *   <li>account n % 50 == 7: Name has a trailing space; n % 50 == 23: a leading space;</li>
 *   <li>account n % 8 == 5: the billing street has a second line ({@code "\nSuite 400"});</li>
 *   <li>contact n % 20 == 3: Email in mixed case ({@code First.Last@Domain.com});</li>
 *   <li>contact n % 40 == 11: no FirstName (Name is then just the last name);</li>
 *   <li>UK and German accounts have no BillingState; some last names carry an apostrophe (O'Brien).</li>
 * </ul>
 */
public final class SandboxDataGenerator {

    /** The provider name the sandbox draws its share of the world under. */
    public static final String PROVIDER = "salesforce";
    public static final Instant SEED_BASE = Instant.parse("2025-01-01T00:00:00Z");

    /** The world's company types as Salesforce's Account.Type picklist has them. */
    private static final Map<String, String> ACCOUNT_TYPES = Map.of("Prospect", "Prospect", "Customer", "Customer - Direct",
            "Partner", "Technology Partner", "Reseller", "Channel Partner / Reseller", "Vendor", "Other", "Other", "Other");
    /** The world's deal stages as Salesforce's default sales process names them. */
    private static final Map<String, String> STAGES = Map.of("Prospecting", "Prospecting", "Qualification", "Qualification",
            "Needs Analysis", "Needs Analysis", "Proposal", "Proposal/Price Quote", "Negotiation", "Negotiation/Review",
            "Closed Won", "Closed Won", "Closed Lost", "Closed Lost");
    /** Salesforce's Opportunity.Type has no renewal: a renewed contract replaces the one ending. */
    private static final Map<String, String> OPPORTUNITY_TYPES = Map.of("New Business", "New Customer",
            "Upgrade", "Existing Customer - Upgrade", "Renewal", "Existing Customer - Replacement",
            "Replacement", "Existing Customer - Replacement");
    /** Salesforce's Lead Source picklist has no events; they fall under Other. */
    private static final Map<String, String> LEAD_SOURCES = Map.of("Web", "Web", "Phone Inquiry", "Phone Inquiry",
            "Partner Referral", "Partner Referral", "Event", "Other", "Other", "Other");

    /** The statuses of leads not converted yet. */
    private static final List<String> LEAD_STATUSES = List.of("Open - Not Contacted", "Working - Contacted",
            "Closed - Not Converted");

    /** Salesforce's industries by their lower-case names. */
    private static final Map<String, String> INDUSTRIES = SObjectSchema.INDUSTRIES.stream()
            .collect(Collectors.toUnmodifiableMap(i -> i.toLowerCase(Locale.ROOT), i -> i));

    private static final SObjectSchema A = SObjectSchema.ACCOUNT;
    private static final SObjectSchema C = SObjectSchema.CONTACT;
    private static final SObjectSchema O = SObjectSchema.OPPORTUNITY;
    private static final SObjectSchema L = SObjectSchema.LEAD;

    /** Where a seeded record stands in the world: its object, its id in this org, and the entity it is. */
    @FunctionalInterface
    public interface TruthSink {
        void accept(SObjectSchema type, String recordId, String entityId);
    }

    private final Population population;

    public SandboxDataGenerator() {
        this(new Population());
    }

    public SandboxDataGenerator(Population population) {
        this.population = population;
    }

    public Population population() {
        return population;
    }

    /**
     * Emits accounts, contacts and opportunities in creation order, with ids carrying the org code, then the
     * tasks and events logged about them ({@link SeededActivities}).
     */
    public void generate(int accounts, String orgCode, Consumer<SandboxRecord> sink) {
        long second = 0;
        List<SeededActivities.Account> logged = new ArrayList<>(accounts);
        for (int k = 0; k < accounts; k++) {
            Population.Account world = population.account(PROVIDER, k);
            String accountId = accountId(orgCode, k);
            SandboxRecord account = account(world.company(), k, accountId, second++);
            sink.accept(account);
            List<SandboxRecord> contacts = new ArrayList<>(2);
            for (int j = 0; j < 2; j++) {
                int n = 2 * k + j;
                contacts.add(contact(world.people().get(j), world.company(), n, contactId(orgCode, k, j), accountId, second++));
                sink.accept(contacts.get(j));
            }
            SandboxRecord opportunity = opportunity(world.deal(), opportunityId(orgCode, k), accountId, second++);
            sink.accept(opportunity);
            logged.add(new SeededActivities.Account(k, accountId, ((String) account.get("Name")).trim(),
                    (String) account.get("BillingCity"), contacts.stream().map(SandboxRecord::id).toList(),
                    contacts.stream().map(c -> (String) c.get("Name")).toList(), opportunity.id(),
                    (String) opportunity.get("Name")));
        }
        SeededActivities activities = new SeededActivities(population.seed(), orgCode);
        for (SeededActivities.Account a : logged) {
            sink.accept(activities.task(a, SEED_BASE.plusSeconds(second++)));
            if (a.k() % 2 == 1) {
                sink.accept(activities.event(a, SEED_BASE.plusSeconds(second++)));
            }
        }
        for (int n = 0; n < leads(accounts); n++) {
            sink.accept(lead(population.prospect(PROVIDER, n), leadId(orgCode, n), second++));
        }
    }

    /** One lead for every two accounts. */
    public static int leads(int accounts) {
        return accounts / 2;
    }

    /**
     * Which world entity each seeded account (a company), contact (a person) and opportunity (a deal) of an org is,
     * in creation order. Two records of any sandboxes are the same real-world thing exactly when their entity ids
     * are equal. Activities are Salesforce's own and have none.
     */
    public void groundTruth(int accounts, String orgCode, TruthSink sink) {
        for (int k = 0; k < accounts; k++) {
            Population.Account world = population.account(PROVIDER, k);
            sink.accept(A, accountId(orgCode, k), world.company().entityId());
            for (int j = 0; j < 2; j++) {
                sink.accept(C, contactId(orgCode, k, j), world.people().get(j).entityId());
            }
            sink.accept(O, opportunityId(orgCode, k), world.deal().entityId());
        }
        for (int n = 0; n < leads(accounts); n++) {
            sink.accept(L, leadId(orgCode, n), population.prospect(PROVIDER, n).person().entityId());
        }
    }

    /**
     * Which world company each seeded lead's Company names, for leads that name one: an account's company
     * (the same entity id as that account's) or one no provider holds.
     */
    public void leadCompanies(int accounts, String orgCode, TruthSink sink) {
        for (int n = 0; n < leads(accounts); n++) {
            if (!blankCompany(n)) {
                sink.accept(L, leadId(orgCode, n), population.prospect(PROVIDER, n).company().entityId());
            }
        }
    }

    private static String accountId(String orgCode, int k) {
        return SalesforceIds.of(A.keyPrefix(), orgCode, k + 1L);
    }

    private static String contactId(String orgCode, int k, int j) {
        return SalesforceIds.of(C.keyPrefix(), orgCode, 2L * k + j + 1);
    }

    private static String opportunityId(String orgCode, int k) {
        return SalesforceIds.of(O.keyPrefix(), orgCode, k + 1L);
    }

    private static String leadId(String orgCode, int n) {
        return SalesforceIds.of(L.keyPrefix(), orgCode, n + 1L);
    }

    /** Lead n % 25 == 24 gave no company: a private person (the org has person accounts). */
    private static boolean blankCompany(int n) {
        return n % 25 == 24;
    }

    /**
     * A prospect as a lead: the company as they gave it, their business phone (the company's number, as a web form
     * asks for it) and mobile, the company's address (where the lead works), the email they gave.
     */
    private static SandboxRecord lead(Population.Prospect prospect, String id, long second) {
        Object[] v = new Object[L.fields().size()];
        Population.Person person = prospect.person();
        Population.Company company = prospect.company();
        Population.Address address = company.address();
        int n = prospect.index();
        put(v, L, "Id", id);
        put(v, L, "IsDeleted", Boolean.FALSE);
        put(v, L, "LastName", person.lastName());
        put(v, L, "FirstName", person.firstName());
        put(v, L, "Name", person.firstName() == null ? person.lastName() : person.firstName() + " " + person.lastName());
        put(v, L, "Title", person.title());
        put(v, L, "Company", blankCompany(n) ? null : company.name());
        put(v, L, "Street", blankCompany(n) ? person.street() : address.street());
        put(v, L, "City", blankCompany(n) ? person.city() : address.city());
        put(v, L, "State", blankCompany(n) ? person.state() : address.state());
        put(v, L, "PostalCode", blankCompany(n) ? person.postalCode() : address.postalCode());
        put(v, L, "Country", blankCompany(n) ? person.country() : address.country());
        put(v, L, "Phone", blankCompany(n) ? person.phone() : company.phone());
        put(v, L, "MobilePhone", person.mobile());
        put(v, L, "Email", person.email());
        put(v, L, "LeadSource", SObjectSchema.LEAD_SOURCES.get(n % SObjectSchema.LEAD_SOURCES.size()));
        put(v, L, "Status", LEAD_STATUSES.get(n % LEAD_STATUSES.size()));
        put(v, L, "IsConverted", Boolean.FALSE);
        stamp(v, L, second);
        return new SandboxRecord(L, v);
    }

    private static SandboxRecord account(Population.Company company, int n, String id, long second) {
        Object[] v = new Object[A.fields().size()];
        String name = company.name();
        if (n % 50 == 7) {
            name = name + " ";
        } else if (n % 50 == 23) {
            name = " " + name;
        }
        Population.Address address = company.address();
        String street = address.street();
        if (street != null && n % 8 == 5) {
            street = street + "\nSuite " + (100 * (1 + n % 9));
        }
        put(v, A, "Id", id);
        put(v, A, "IsDeleted", Boolean.FALSE);
        put(v, A, "Name", name);
        put(v, A, "Type", company.type() == null ? null : ACCOUNT_TYPES.getOrDefault(company.type(), "Other"));
        put(v, A, "Industry", industry(company.industry()));
        put(v, A, "Website", company.website());
        put(v, A, "Phone", company.phone());
        put(v, A, "BillingStreet", street);
        put(v, A, "BillingCity", address.city());
        put(v, A, "BillingState", address.state());
        put(v, A, "BillingPostalCode", address.postalCode());
        put(v, A, "BillingCountry", address.country());
        put(v, A, "NumberOfEmployees", company.employees());
        put(v, A, "AnnualRevenue", company.annualRevenue() == null ? null : company.annualRevenue().doubleValue());
        put(v, A, "Description", company.description());
        stamp(v, A, second);
        return new SandboxRecord(A, v);
    }

    private static SandboxRecord contact(Population.Person person, Population.Company company, int n, String id,
            String accountId, long second) {
        Object[] v = new Object[C.fields().size()];
        String first = n % 40 == 11 ? null : person.firstName();
        String last = person.lastName();
        String email = person.email();
        if (n % 20 == 3) {
            String localPart = (person.firstName() == null ? last : person.firstName() + "." + last).replace("'", "");
            email = localPart + "@" + Character.toUpperCase(company.domain().charAt(0)) + company.domain().substring(1);
        }
        put(v, C, "Id", id);
        put(v, C, "IsDeleted", Boolean.FALSE);
        put(v, C, "AccountId", accountId);
        put(v, C, "LastName", last);
        put(v, C, "FirstName", first);
        put(v, C, "Name", first == null ? last : first + " " + last);
        put(v, C, "Title", person.title());
        put(v, C, "Department", person.department());
        put(v, C, "Email", email);
        put(v, C, "Phone", person.phone());
        put(v, C, "MobilePhone", person.mobile());
        put(v, C, "MailingStreet", person.street());
        put(v, C, "MailingCity", person.city());
        put(v, C, "MailingState", person.state());
        put(v, C, "MailingPostalCode", person.postalCode());
        put(v, C, "MailingCountry", person.country());
        put(v, C, "Birthdate", person.birthDate());
        stamp(v, C, second);
        return new SandboxRecord(C, v);
    }

    private static SandboxRecord opportunity(Population.Deal deal, String id, String accountId, long second) {
        Object[] v = new Object[O.fields().size()];
        put(v, O, "Id", id);
        put(v, O, "IsDeleted", Boolean.FALSE);
        put(v, O, "AccountId", accountId);
        put(v, O, "Name", deal.name());
        put(v, O, "StageName", STAGES.getOrDefault(deal.stage(), "Prospecting"));
        put(v, O, "Amount", deal.amount() == null ? null : deal.amount().doubleValue());
        put(v, O, "CloseDate", deal.closeDate());
        put(v, O, "Probability", (double) deal.probability());
        put(v, O, "Type", deal.type() == null ? null : OPPORTUNITY_TYPES.getOrDefault(deal.type(), null));
        put(v, O, "LeadSource", deal.leadSource() == null ? null : LEAD_SOURCES.getOrDefault(deal.leadSource(), "Other"));
        stamp(v, O, second);
        return new SandboxRecord(O, v);
    }

    /** Salesforce's industry picklist holds every industry of the world; anything else would be Other. */
    private static String industry(String industry) {
        return industry == null ? null : INDUSTRIES.getOrDefault(industry.toLowerCase(Locale.ROOT), "Other");
    }

    private static void stamp(Object[] v, SObjectSchema type, long second) {
        Instant at = SEED_BASE.plusSeconds(second);
        put(v, type, "CreatedDate", at);
        put(v, type, "LastModifiedDate", at);
        put(v, type, "SystemModstamp", at);
    }

    private static void put(Object[] values, SObjectSchema type, String field, Object value) {
        values[type.require(field).index()] = value;
    }
}
