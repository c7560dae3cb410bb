package sandbox.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Generates an org's seeded data: per account two contacts and one opportunity, from a fixed-seed Random,
 * so every start and every org gets the same values (ids differ by org code only), then the tasks and events
 * logged about them ({@link SeededActivities}: one task per account, one event per odd account).
 *
 * <p>Records are emitted in creation order (account, its contacts, its opportunity; after every account, the
 * activities) with CreatedDate = LastModifiedDate = SystemModstamp = {@link #SEED_BASE} plus one second per
 * record, so account n is stamped at second 4n.
 *
 * <p>Deliberate quirks, fixed by position so tests can rely on them (n counts from 0):
 * <ul>
 *   <li>account n % 50 == 7: Name has a trailing space; n % 50 == 23: a leading space;</li>
 *   <li>contact n % 20 == 3: Email in mixed case ({@code First.Last@Domain.com});</li>
 *   <li>contact n % 40 == 11: no FirstName (Name is then just the last name);</li>
 *   <li>about one in eight billing streets has a second line ({@code "\nSuite 400"});</li>
 *   <li>UK and German accounts have no BillingState; some last names carry an apostrophe (O'Brien).</li>
 * </ul>
 */
public final class SandboxDataGenerator {

    public static final long DEFAULT_SEED = 20250101L;
    public static final Instant SEED_BASE = Instant.parse("2025-01-01T00:00:00Z");
    private static final LocalDate CLOSE_DATE_BASE = LocalDate.of(2024, 7, 1);

    private static final List<String> NAME_PREFIXES = List.of("Northwind", "Blue Harbor", "Summit", "Evergreen",
            "Silver Lake", "Redwood", "Granite", "Crescent", "Pioneer", "Atlas", "Horizon", "Beacon", "Cedar",
            "Ironwood", "Lakeshore", "Maple", "Oakridge", "Pacific", "Quantum", "Riverbend", "Sterling", "Sunrise",
            "Trident", "Vertex", "Willow", "Apex", "Bright Path", "Clearwater", "Golden Gate", "Harbor Point",
            "Keystone", "Liberty", "Meridian", "Nova", "Orion", "Polaris", "Sapphire", "Titan", "Union Square",
            "Vanguard", "Westfield", "Zenith", "Copper Hill", "Falcon", "Greenfield", "Highland", "Juniper",
            "Kingsbridge", "Lighthouse", "Mosaic");
    private static final List<String> NAME_CORES = List.of("Analytics", "Logistics", "Systems", "Health", "Energy",
            "Foods", "Labs", "Manufacturing", "Capital", "Consulting", "Software", "Robotics", "Retail", "Media",
            "Partners", "Biotech", "Networks", "Solutions", "Pharma", "Motors", "Apparel", "Insurance", "Freight",
            "Hospitality", "Telecom", "Construction", "Learning", "Outdoors", "Financial", "Engineering");
    private static final List<String> LEGAL_SUFFIXES = List.of("", "", "", " Inc.", " LLC", " Corp.", " Ltd.",
            " Group", " Co.");
    private static final List<String> FIRST_NAMES = List.of("James", "Mary", "Robert", "Patricia", "John",
            "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph",
            "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony",
            "Sandra", "Mark", "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Kevin", "Amanda", "Brian",
            "Melissa", "George", "Stephanie", "Edward", "Rebecca", "Ryan", "Laura", "Jacob", "Hannah", "Nicholas",
            "Olivia", "Samuel", "Chloe", "Benjamin", "Grace", "Lucas", "Sofia", "Ethan", "Maya", "Noah", "Priya",
            "Wei", "Aisha", "Mateo", "Yuki");
    private static final List<String> LAST_NAMES = List.of("Smith", "Johnson", "Williams", "Brown", "Jones",
            "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson",
            "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
            "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
            "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
            "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "D'Angelo", "Patel", "Chen", "Kim",
            "Schmidt", "Muller", "Kowalski", "Okafor", "Tanaka");
    private static final String[][] TITLES = {
            {"Chief Executive Officer", "Executive"}, {"VP of Sales", "Sales"}, {"Sales Manager", "Sales"},
            {"Account Executive", "Sales"}, {"Marketing Director", "Marketing"}, {"Marketing Manager", "Marketing"},
            {"Chief Financial Officer", "Finance"}, {"Controller", "Finance"}, {"IT Director", "IT"},
            {"Systems Administrator", "IT"}, {"Head of Operations", "Operations"},
            {"Procurement Manager", "Procurement"}, {"HR Manager", "Human Resources"},
            {"Customer Success Manager", "Customer Success"}, {"Software Engineer", "Engineering"},
            {"Chief Technology Officer", "Engineering"}};
    private static final List<String> STREET_NAMES = List.of("Market", "Main", "Oak", "Pine", "Maple", "Cedar",
            "Elm", "Washington", "Lake", "Hill", "Park", "Mission", "Harbor", "Broadway", "Sunset", "Spring",
            "Franklin", "Madison", "Jefferson", "Howard");
    private static final List<String> STREET_SUFFIXES = List.of("Street", "Avenue", "Boulevard", "Road", "Way",
            "Drive", "Lane");
    private static final List<String> PRODUCTS = List.of("Enterprise License", "Annual Renewal",
            "Professional Services", "Platform Upgrade", "Support Plan", "Pilot Project", "Expansion Seats",
            "Data Migration");
    private static final double[] STAGE_PROBABILITY = {10, 10, 20, 50, 60, 70, 75, 90, 100, 0};

    /** city, state (null outside North America), postal prefix, country, phone prefix */
    private static final String[][] CITIES = {
            {"San Francisco", "CA", "941", "United States", "415"}, {"New York", "NY", "100", "United States", "212"},
            {"Chicago", "IL", "606", "United States", "312"}, {"Austin", "TX", "787", "United States", "512"},
            {"Seattle", "WA", "981", "United States", "206"}, {"Boston", "MA", "021", "United States", "617"},
            {"Denver", "CO", "802", "United States", "303"}, {"Atlanta", "GA", "303", "United States", "404"},
            {"Portland", "OR", "972", "United States", "503"}, {"Miami", "FL", "331", "United States", "305"},
            {"San Diego", "CA", "921", "United States", "619"}, {"Minneapolis", "MN", "554", "United States", "612"},
            {"Raleigh", "NC", "276", "United States", "919"}, {"Nashville", "TN", "372", "United States", "615"},
            {"Phoenix", "AZ", "850", "United States", "602"}, {"Salt Lake City", "UT", "841", "United States", "801"},
            {"Toronto", "ON", "M5V", "Canada", "416"}, {"Vancouver", "BC", "V6B", "Canada", "604"},
            {"London", null, "EC1A", "United Kingdom", "+44 20 7946"},
            {"Manchester", null, "M1", "United Kingdom", "+44 161 496"},
            {"Berlin", null, "101", "Germany", "+49 30 901"}, {"Munich", null, "803", "Germany", "+49 89 901"}};

    private static final SObjectSchema A = SObjectSchema.ACCOUNT;
    private static final SObjectSchema C = SObjectSchema.CONTACT;
    private static final SObjectSchema O = SObjectSchema.OPPORTUNITY;

    private final long seed;

    public SandboxDataGenerator() {
        this(DEFAULT_SEED);
    }

    public SandboxDataGenerator(long seed) {
        this.seed = seed;
    }

    /**
     * Emits accounts, contacts and opportunities in creation order, with ids carrying the org code, then the
     * tasks and events logged about them ({@link SeededActivities}).
     */
    public void generate(int accounts, String orgCode, Consumer<SandboxRecord> sink) {
        Random random = new Random(seed);
        long second = 0;
        List<SeededActivities.Account> logged = new ArrayList<>(accounts);
        for (int n = 0; n < accounts; n++) {
            String accountId = SalesforceIds.of(A.keyPrefix(), orgCode, n + 1L);
            Company company = company(random, n, accountId);
            SandboxRecord account = account(random, company, second++);
            sink.accept(account);
            List<SandboxRecord> contacts = new ArrayList<>(2);
            for (int k = 0; k < 2; k++) {
                int contactNumber = 2 * n + k;
                contacts.add(contact(random, company, contactNumber,
                        SalesforceIds.of(C.keyPrefix(), orgCode, contactNumber + 1L), second++));
                sink.accept(contacts.get(k));
            }
            SandboxRecord opportunity = opportunity(random, company, SalesforceIds.of(O.keyPrefix(), orgCode, n + 1L), second++);
            sink.accept(opportunity);
            logged.add(new SeededActivities.Account(n, accountId, company.name().trim(), (String) account.get("BillingCity"),
                    contacts.stream().map(SandboxRecord::id).toList(),
                    contacts.stream().map(c -> (String) c.get("Name")).toList(), opportunity.id(),
                    (String) opportunity.get("Name")));
        }
        SeededActivities activities = new SeededActivities(seed, orgCode);
        for (SeededActivities.Account a : logged) {
            sink.accept(activities.task(a, SEED_BASE.plusSeconds(second++)));
            if (a.k() % 2 == 1) {
                sink.accept(activities.event(a, SEED_BASE.plusSeconds(second++)));
            }
        }
    }

    /** What an account's contacts and opportunity share with it. */
    private record Company(String accountId, String name, String domain, String[] city) {
    }

    private Company company(Random random, int n, String accountId) {
        String prefix = pick(random, NAME_PREFIXES);
        String core = pick(random, NAME_CORES);
        String legal = pick(random, LEGAL_SUFFIXES);
        String name = prefix + " " + core + legal;
        if (n % 50 == 7) {
            name = name + " ";
        } else if (n % 50 == 23) {
            name = " " + name;
        }
        String domain = slug(prefix + core) + ".com";
        return new Company(accountId, name, domain, CITIES[random.nextInt(CITIES.length)]);
    }

    private SandboxRecord account(Random random, Company company, long second) {
        Object[] v = new Object[A.fields().size()];
        String[] city = company.city();
        String industry = pick(random, SObjectSchema.INDUSTRIES);
        int employees = employees(random);
        put(v, A, "Id", company.accountId());
        put(v, A, "IsDeleted", Boolean.FALSE);
        put(v, A, "Name", company.name());
        put(v, A, "Type", pick(random, SObjectSchema.ACCOUNT_TYPES));
        put(v, A, "Industry", industry);
        put(v, A, "Website", "https://www." + company.domain());
        put(v, A, "Phone", phone(random, city));
        put(v, A, "BillingStreet", street(random, city));
        put(v, A, "BillingCity", city[0]);
        put(v, A, "BillingState", city[1]);
        put(v, A, "BillingPostalCode", postalCode(random, city));
        put(v, A, "BillingCountry", city[3]);
        put(v, A, "NumberOfEmployees", employees);
        boolean revenueKnown = random.nextInt(10) != 0;
        double perEmployee = 80_000 + random.nextInt(320_000);
        put(v, A, "AnnualRevenue", revenueKnown ? Math.round(employees * perEmployee / 1000.0) * 1000.0 : null);
        put(v, A, "Description", company.name().trim() + " is a " + industry.toLowerCase(Locale.ROOT)
                + " company headquartered in " + city[0] + ".");
        stamp(v, A, second);
        return new SandboxRecord(A, v);
    }

    private SandboxRecord contact(Random random, Company company, int n, String id, long second) {
        Object[] v = new Object[C.fields().size()];
        String first = pick(random, FIRST_NAMES);
        String last = pick(random, LAST_NAMES);
        String[] title = TITLES[random.nextInt(TITLES.length)];
        String[] city = random.nextInt(10) == 0 ? CITIES[random.nextInt(CITIES.length)] : company.city();
        String localPart = (first + "." + last).replace("'", "");
        String email = n % 20 == 3
                ? localPart + "@" + Character.toUpperCase(company.domain().charAt(0)) + company.domain().substring(1)
                : localPart.toLowerCase(Locale.ROOT) + "@" + company.domain();
        boolean hasMobile = random.nextInt(3) != 0;
        put(v, C, "Id", id);
        put(v, C, "IsDeleted", Boolean.FALSE);
        put(v, C, "AccountId", company.accountId());
        put(v, C, "LastName", last);
        put(v, C, "FirstName", n % 40 == 11 ? null : first);
        put(v, C, "Name", n % 40 == 11 ? last : first + " " + last);
        put(v, C, "Title", title[0]);
        put(v, C, "Department", title[1]);
        put(v, C, "Email", email);
        put(v, C, "Phone", phone(random, company.city()));
        put(v, C, "MobilePhone", hasMobile ? phone(random, city) : null);
        put(v, C, "MailingCity", city[0]);
        put(v, C, "MailingCountry", city[3]);
        stamp(v, C, second);
        return new SandboxRecord(C, v);
    }

    private SandboxRecord opportunity(Random random, Company company, String id, long second) {
        Object[] v = new Object[O.fields().size()];
        int stage = random.nextInt(SObjectSchema.STAGES.size());
        double amount = (500_000 + random.nextInt(49_500_001)) / 100.0;
        put(v, O, "Id", id);
        put(v, O, "IsDeleted", Boolean.FALSE);
        put(v, O, "AccountId", company.accountId());
        put(v, O, "Name", company.name().trim() + " - " + pick(random, PRODUCTS));
        put(v, O, "StageName", SObjectSchema.STAGES.get(stage));
        put(v, O, "Amount", amount);
        put(v, O, "CloseDate", CLOSE_DATE_BASE.plusDays(random.nextInt(548)));
        put(v, O, "Probability", STAGE_PROBABILITY[stage]);
        put(v, O, "Type", pick(random, SObjectSchema.OPPORTUNITY_TYPES));
        put(v, O, "LeadSource", pick(random, SObjectSchema.LEAD_SOURCES));
        stamp(v, O, second);
        return new SandboxRecord(O, v);
    }

    private static int employees(Random random) {
        int[] bounds = {10, 50, 250, 1000, 10_000, 100_000};
        int tier = random.nextInt(bounds.length - 1);
        return bounds[tier] + random.nextInt(bounds[tier + 1] - bounds[tier]);
    }

    private static String phone(Random random, String[] city) {
        String prefix = city[4];
        if (prefix.startsWith("+")) {
            return prefix + " " + (1000 + random.nextInt(9000));
        }
        return "(" + prefix + ") 555-" + pad4(random.nextInt(10_000));
    }

    private static String street(Random random, String[] city) {
        int number = 1 + random.nextInt(9999);
        String streetName = pick(random, STREET_NAMES);
        String street = switch (city[3]) {
            case "Germany" -> streetName + "strasse " + (1 + number % 200);
            case "United Kingdom" -> (1 + number % 300) + " " + streetName + " Street";
            default -> number + " " + streetName + " " + pick(random, STREET_SUFFIXES);
        };
        return random.nextInt(8) == 0 ? street + "\nSuite " + (100 * (1 + random.nextInt(9))) : street;
    }

    private static String postalCode(Random random, String[] city) {
        String prefix = city[2];
        return switch (city[3]) {
            case "Canada" -> prefix + " " + random.nextInt(10) + (char) ('A' + random.nextInt(26)) + random.nextInt(10);
            case "United Kingdom" -> prefix + " " + (1 + random.nextInt(9)) + (char) ('A' + random.nextInt(26))
                    + (char) ('A' + random.nextInt(26));
            default -> prefix + pad2(random.nextInt(100));
        };
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

    /** Lowercase letters and digits only, for web and mail domains. */
    private static String slug(String name) {
        StringBuilder slug = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(name.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                slug.append(c);
            }
        }
        return slug.toString();
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String pad4(int n) {
        String s = Integer.toString(n);
        return "0000".substring(s.length()) + s;
    }

    private static String pad2(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
