package sandbox.kit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One fictional world every sandbox draws its seeded data from, so that with the same seed a good share of
 * HubSpot's companies and contacts are the same real-world entities as Salesforce's and Dynamics', written
 * down the way each system's users would have written them.
 *
 * <p>A provider's k-th company ({@link #account(String, int)}) is world entity {@code company-k} when that
 * entity is shared ({@code sharedShare} of them, the same ones for every provider), else an entity only that
 * provider knows ({@code company-<provider>-k}). An entity's true values come from a Random seeded by the seed
 * and the entity id, so every provider starts from the same truth; each provider's copy then gets its own
 * variations from a Random seeded by the seed, the provider and k: legal suffixes added, dropped or spelled
 * out, casing, a typo, missing fields, phone and address formats, a nickname, a changed email. The entity
 * ids are the ground truth the sandboxes publish: two records are the same entity exactly when their ids are.
 *
 * <p>Values never depend on the order of calls: any k can be asked for alone.
 */
public final class Population {

    public static final long DEFAULT_SEED = 20250101L;
    /** Share of world companies every provider holds (each with its own variations). */
    public static final double DEFAULT_SHARED_SHARE = 0.6;

    /** A postal address as a provider holds it; any part may be null. */
    public record Address(String street, String city, String state, String postalCode, String country) {
    }

    /**
     * A company as one provider holds it. {@code website} is as typed (with or without scheme or www);
     * {@code domain} is the company's true web domain, for building email addresses.
     */
    public record Company(String entityId, String name, String website, String domain, String phone, Address address,
                          String industry, String type, Integer employees, Long annualRevenue, String description) {
    }

    /**
     * A person as one provider holds them. The mailing address and birth date are the person's own; any of them
     * may be missing, as CRMs rarely hold all of them.
     */
    public record Person(String entityId, String firstName, String lastName, String email, String phone, String mobile,
                         String title, String department, String street, String city, String state, String postalCode,
                         String country, LocalDate birthDate) {
    }

    /**
     * A provider's n-th prospect: a person who is no customer's contact yet, at a company the provider holds as its
     * {@code accountIndex}-th account (the same entity, written down again by whoever took the enquiry), or at a
     * company no provider holds ({@code accountIndex} -1). {@code company.name()} is the company as the prospect
     * gave it.
     */
    public record Prospect(int index, Company company, int accountIndex, Person person) {
    }

    public record Deal(String entityId, String name, BigDecimal amount, String stage, int probability, LocalDate closeDate,
                       String type, String leadSource) {
    }

    /** A provider's k-th company with its two people and one deal, as that provider holds them. */
    public record Account(int index, Company company, List<Person> people, Deal deal) {
    }

    public static final List<String> INDUSTRIES = List.of("Agriculture", "Apparel", "Banking", "Biotechnology",
            "Chemicals", "Communications", "Construction", "Consulting", "Education", "Electronics", "Energy",
            "Engineering", "Entertainment", "Environmental", "Finance", "Food & Beverage", "Healthcare", "Hospitality",
            "Insurance", "Machinery", "Manufacturing", "Media", "Recreation", "Retail", "Shipping", "Technology",
            "Telecommunications", "Transportation", "Utilities");
    public static final List<String> COMPANY_TYPES = List.of("Prospect", "Customer", "Partner", "Reseller", "Vendor", "Other");
    /** Stages of a deal from first contact to its end, with the usual win probability of each. */
    public static final List<String> STAGES = List.of("Prospecting", "Qualification", "Needs Analysis", "Proposal",
            "Negotiation", "Closed Won", "Closed Lost");
    private static final int[] STAGE_PROBABILITY = {10, 20, 40, 60, 80, 100, 0};
    public static final List<String> DEAL_TYPES = List.of("New Business", "Upgrade", "Renewal", "Replacement");
    public static final List<String> LEAD_SOURCES = List.of("Web", "Phone Inquiry", "Partner Referral", "Event", "Other");

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
    private static final List<String> QUALIFIERS = List.of("North", "West", "East", "South", "Global",
            "International", "Holdings", "Works", "Digital", "Industries");
    /** A legal form and the ways people write it. */
    private static final List<List<String>> LEGAL_FORMS = List.of(List.of(""), List.of(""),
            List.of(" Inc.", " Inc", ", Inc.", " Incorporated"), List.of(" LLC", " L.L.C.", ", LLC"),
            List.of(" Corp.", " Corporation", " Corp"), List.of(" Ltd.", " Limited", " Ltd"), List.of(" GmbH"),
            List.of(" Co.", " Company"));
    private static final List<String> FIRST_NAMES = List.of("James", "Mary", "Robert", "Patricia", "John",
            "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph",
            "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony",
            "Sandra", "Mark", "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Kevin", "Amanda", "Brian",
            "Melissa", "George", "Stephanie", "Edward", "Rebecca", "Ryan", "Laura", "Jacob", "Hannah", "Nicholas",
            "Olivia", "Samuel", "Chloe", "Benjamin", "Grace", "Lucas", "Sofia", "Ethan", "Maya", "Noah", "Priya",
            "Wei", "Aisha", "Mateo", "Yuki");
    private static final Map<String, String> NICKNAMES = Map.ofEntries(Map.entry("James", "Jim"),
            Map.entry("Robert", "Bob"), Map.entry("Patricia", "Pat"), Map.entry("Jennifer", "Jen"),
            Map.entry("Michael", "Mike"), Map.entry("Elizabeth", "Liz"), Map.entry("William", "Bill"),
            Map.entry("Richard", "Rick"), Map.entry("Joseph", "Joe"), Map.entry("Thomas", "Tom"),
            Map.entry("Charles", "Chuck"), Map.entry("Daniel", "Dan"), Map.entry("Matthew", "Matt"),
            Map.entry("Anthony", "Tony"), Map.entry("Steven", "Steve"), Map.entry("Andrew", "Andy"),
            Map.entry("Edward", "Ed"), Map.entry("Rebecca", "Becky"), Map.entry("Nicholas", "Nick"),
            Map.entry("Samuel", "Sam"), Map.entry("Benjamin", "Ben"));
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
    /**
     * Where people live: many more streets than the business districts' (named after trees, people and places), as a
     * town has, so a street and a city narrow a search of people down as they do in real data.
     */
    private static final List<String> HOME_STREET_NAMES = Stream.of(STREET_NAMES, LAST_NAMES,
                    NAME_PREFIXES.stream().map(p -> p.split(" ")[0]).distinct().toList())
            .flatMap(List::stream).map(n -> n.replace("'", "")).distinct().toList();
    /** A street type and its abbreviation. */
    private static final String[][] STREET_TYPES = {{"Street", "St."}, {"Avenue", "Ave"}, {"Boulevard", "Blvd"},
            {"Road", "Rd."}, {"Way", "Way"}, {"Drive", "Dr."}, {"Lane", "Ln"}};
    private static final List<String> PRODUCTS = List.of("Enterprise License", "Annual Renewal",
            "Professional Services", "Platform Upgrade", "Support Plan", "Pilot Project", "Expansion Seats",
            "Data Migration");
    /** city, state (null outside North America), postal prefix, country, ISO country, dialling code, area code */
    private static final String[][] CITIES = {
            {"San Francisco", "CA", "941", "United States", "US", "1", "415"}, {"New York", "NY", "100", "United States", "US", "1", "212"},
            {"Chicago", "IL", "606", "United States", "US", "1", "312"}, {"Austin", "TX", "787", "United States", "US", "1", "512"},
            {"Seattle", "WA", "981", "United States", "US", "1", "206"}, {"Boston", "MA", "021", "United States", "US", "1", "617"},
            {"Denver", "CO", "802", "United States", "US", "1", "303"}, {"Atlanta", "GA", "303", "United States", "US", "1", "404"},
            {"Portland", "OR", "972", "United States", "US", "1", "503"}, {"Miami", "FL", "331", "United States", "US", "1", "305"},
            {"Toronto", "ON", "M5V", "Canada", "CA", "1", "416"}, {"Vancouver", "BC", "V6B", "Canada", "CA", "1", "604"},
            {"London", null, "EC1A", "United Kingdom", "GB", "44", "20"}, {"Manchester", null, "M1", "United Kingdom", "GB", "44", "161"},
            {"Berlin", null, "101", "Germany", "DE", "49", "30"}, {"Munich", null, "803", "Germany", "DE", "49", "89"}};
    private static final Map<String, String> COUNTRY_SPELLINGS = Map.of("United States", "USA", "United Kingdom", "UK",
            "Germany", "Deutschland", "Canada", "CA");
    private static final LocalDate CLOSE_DATE_BASE = LocalDate.of(2025, 1, 1);
    /** People of working age: born from 1955 to 2002. */
    private static final LocalDate BIRTH_DATE_BASE = LocalDate.of(1955, 1, 1);
    private static final int BIRTH_DATE_SPAN_DAYS = 48 * 365;

    private final long seed;
    private final double sharedShare;

    public Population() {
        this(DEFAULT_SEED, DEFAULT_SHARED_SHARE);
    }

    public Population(long seed, double sharedShare) {
        if (sharedShare < 0 || sharedShare > 1) {
            throw new IllegalArgumentException("shared share must be between 0 and 1, not " + sharedShare);
        }
        this.seed = seed;
        this.sharedShare = sharedShare;
    }

    public long seed() {
        return seed;
    }

    /** Whether the world's k-th company is one every provider holds. */
    public boolean shared(int k) {
        return random("shared", k).nextDouble() < sharedShare;
    }

    /** The provider's k-th company, its two people and its deal, with the provider's variations. */
    public Account account(String provider, int k) {
        boolean shared = shared(k);
        String companyId = shared ? "company-" + k : "company-" + provider + "-" + k;
        Truth truth = truth(companyId, shared ? k : privateIndex(provider, k));
        Random variation = random(provider, k);
        Company company = vary(truth, variation);
        List<Person> people = new ArrayList<>(2);
        for (int j = 0; j < 2; j++) {
            // a shared company still has people only one system knows of, as CRMs kept by different teams do
            boolean samePerson = shared(k) && random("person-shared", k * 2L + j).nextInt(10) != 0;
            String personId = samePerson ? "person-" + k + "-" + j : "person-" + provider + "-" + k + "-" + j;
            people.add(person(personTruth(personId, truth), variation, random(provider + "-address", k * 2L + j)));
        }
        String dealId = shared(k) ? "deal-" + k : "deal-" + provider + "-" + k;
        return new Account(k, company, List.copyOf(people), deal(dealId, truth, variation));
    }

    /** What the world holds true of a company, before any system writes it down. */
    private record Truth(String entityId, String baseName, String legalForm, String domain, String[] city, String street,
                         String streetType, String postalCode, String phoneLocal, String industry, String type,
                         int employees, Long annualRevenue) {
    }

    private record PersonTruth(String entityId, String firstName, String lastName, String emailLocal, String domain,
                               String phoneLocal, String mobileLocal, String[] title, String[] city, String street,
                               String streetType, String postalCode, LocalDate birthDate) {
    }

    /** Where a provider's own companies sit in the space of names, apart from the shared ones and from other providers'. */
    private long privateIndex(String provider, int k) {
        return 100_000L * (1 + Math.floorMod(random(provider, -1).nextInt(), 5000)) + k;
    }

    private Truth truth(String entityId, long index) {
        Random r = random(entityId, 0);
        String baseName = name(index);
        String legalForm = pick(r, LEGAL_FORMS).get(0);
        String domain = slug(baseName) + ".com";
        String[] city = CITIES[r.nextInt(CITIES.length)];
        String street = (1 + r.nextInt(9999)) + " " + pick(r, STREET_NAMES);
        String streetType = String.valueOf(r.nextInt(STREET_TYPES.length));
        String postalCode = postalCode(r, city);
        String phone = localNumber(r, city);
        int employees = employees(r);
        Long revenue = r.nextInt(10) == 0 ? null : Math.round((long) employees * (80_000 + r.nextInt(320_000)) / 1000.0) * 1000;
        return new Truth(entityId, baseName, legalForm, domain, city, street, streetType, postalCode, phone,
                pick(r, INDUSTRIES), pick(r, COMPANY_TYPES), employees, revenue);
    }

    /**
     * The index-th name of the world: 1,500 prefix-core pairs, then a qualifier and a number, so no two
     * companies share a name or a domain.
     */
    private static String name(long index) {
        String name = NAME_PREFIXES.get((int) (index % NAME_PREFIXES.size())) + " "
                + NAME_CORES.get((int) (index / NAME_PREFIXES.size() % NAME_CORES.size()));
        long round = index / (NAME_PREFIXES.size() * NAME_CORES.size());
        if (round > 0) {
            name += " " + QUALIFIERS.get((int) ((round - 1) % QUALIFIERS.size()));
            long lap = (round - 1) / QUALIFIERS.size();
            name += lap == 0 ? "" : " " + (lap + 1);
        }
        return name;
    }

    private PersonTruth personTruth(String entityId, Truth company) {
        Random r = random(entityId, 0);
        String first = pick(r, FIRST_NAMES);
        String last = pick(r, LAST_NAMES);
        String local = (first + "." + last).replace("'", "").toLowerCase(Locale.ROOT);
        String[] city = r.nextInt(10) == 0 ? CITIES[r.nextInt(CITIES.length)] : company.city();
        String phone = localNumber(r, company.city());
        String mobile = r.nextInt(3) == 0 ? null : localNumber(r, city);
        String[] title = TITLES[r.nextInt(TITLES.length)];
        // drawn after the older parts, so adding them changed none of those
        String street = (1 + r.nextInt(999)) + " " + pick(r, HOME_STREET_NAMES);
        String streetType = String.valueOf(r.nextInt(STREET_TYPES.length));
        LocalDate birthDate = BIRTH_DATE_BASE.plusDays(r.nextInt(BIRTH_DATE_SPAN_DAYS));
        return new PersonTruth(entityId, first, last, local, company.domain(), phone, mobile, title, city, street,
                streetType, postalCode(r, city), birthDate);
    }

    private Company vary(Truth t, Random v) {
        String name = t.baseName();
        if (!t.legalForm().isEmpty()) {
            List<String> spellings = LEGAL_FORMS.stream().filter(f -> f.get(0).equals(t.legalForm())).findFirst().orElseThrow();
            int roll = v.nextInt(10);
            name = roll < 2 ? name : name + (roll < 6 ? t.legalForm() : pick(v, spellings));
        }
        name = typo(casing(name, v), v, 20);
        String website = switch (v.nextInt(8)) {
            case 0 -> null;
            case 1 -> t.domain();
            case 2 -> "http://" + t.domain() + "/";
            case 3 -> "www." + t.domain();
            default -> "https://www." + t.domain();
        };
        String[] types = STREET_TYPES[Integer.parseInt(t.streetType())];
        String street = t.street() + " " + (v.nextBoolean() ? types[0] : types[1]);
        String country = v.nextInt(4) == 0 ? COUNTRY_SPELLINGS.get(t.city()[3]) : t.city()[3];
        Address address = v.nextInt(12) == 0 ? new Address(null, t.city()[0], null, null, country)
                : new Address(street, t.city()[0], v.nextInt(8) == 0 ? null : t.city()[1], t.postalCode(), country);
        String phone = v.nextInt(10) == 0 ? null : phone(t.city(), t.phoneLocal(), v);
        Integer employees = v.nextInt(6) == 0 ? null : t.employees();
        String description = t.baseName() + " is a " + t.industry().toLowerCase(Locale.ROOT) + " company headquartered in "
                + t.city()[0] + ".";
        return new Company(t.entityId(), name, website, t.domain(), phone, address, t.industry(), t.type(), employees,
                v.nextInt(5) == 0 ? null : t.annualRevenue(), description);
    }

    /**
     * The provider's n-th prospect: every third one (n % 3 == 0) at the company of the provider's n-th account, the
     * others at companies no provider holds, the prospects 6m+1 and 6m+2 at the same one. The company name varies
     * from the account's (legal form added, dropped or spelled otherwise, casing); the email is at the company's
     * true domain, the one its website names, unless the person gave a private one.
     */
    public Prospect prospect(String provider, int n) {
        Random v = random(provider + "-prospect", n);
        Truth truth;
        int accountIndex = -1;
        if (n % 3 == 0) {
            accountIndex = n;
            boolean shared = shared(n);
            String companyId = shared ? "company-" + n : "company-" + provider + "-" + n;
            truth = truth(companyId, shared ? n : privateIndex(provider, n));
        } else {
            int unknown = n % 6 == 2 ? n - 1 : n;
            String companyId = "company-" + provider + "-prospect-" + unknown;
            truth = truth(companyId, privateIndex(provider + "-prospect", unknown));
        }
        Company company = vary(truth, random(provider + "-prospect-company", n));
        String name = truth.baseName() + switch (v.nextInt(4)) {
            case 0 -> "";
            case 1 -> truth.legalForm().isEmpty() ? " Inc." : truth.legalForm();
            default -> truth.legalForm().isEmpty() ? "" : pick(v, LEGAL_FORMS.stream()
                    .filter(f -> f.get(0).equals(truth.legalForm())).findFirst().orElseThrow());
        };
        name = switch (v.nextInt(6)) {
            case 0 -> name.toUpperCase(Locale.ROOT);
            case 1 -> name.toLowerCase(Locale.ROOT);
            default -> name;
        };
        company = new Company(company.entityId(), name, company.website(), company.domain(), company.phone(),
                company.address(), company.industry(), company.type(), company.employees(), company.annualRevenue(),
                company.description());
        Person person = person(personTruth("person-" + provider + "-prospect-" + n, truth), v,
                random(provider + "-prospect-address", n));
        return new Prospect(n, company, accountIndex, person);
    }

    /** {@code w} varies the address and birth date: a Random of their own, so adding them changed no older value. */
    private Person person(PersonTruth t, Random v, Random w) {
        String first = v.nextInt(12) == 0 && NICKNAMES.containsKey(t.firstName()) ? NICKNAMES.get(t.firstName()) : t.firstName();
        if (v.nextInt(25) == 0) {
            first = null;
        }
        String last = typo(t.lastName(), v, 30);
        String email = switch (v.nextInt(12)) {
            case 0 -> null;
            // people change jobs and addresses: one system still has the old one
            case 1 -> t.emailLocal() + "@" + pick(v, List.of("gmail.com", "outlook.com", "yahoo.com"));
            case 2 -> t.emailLocal().charAt(0) + t.emailLocal().substring(t.emailLocal().indexOf('.') + 1) + "@" + t.domain();
            case 3 -> capitalize(t.emailLocal()) + "@" + capitalize(t.domain());
            default -> t.emailLocal() + "@" + t.domain();
        };
        String phone = v.nextInt(5) == 0 ? null : phone(t.city(), t.phoneLocal(), v);
        String mobile = t.mobileLocal() == null || v.nextInt(4) == 0 ? null : phone(t.city(), t.mobileLocal(), v);
        String[] types = STREET_TYPES[Integer.parseInt(t.streetType())];
        String street = w.nextInt(10) == 0 ? null : t.street() + " " + (w.nextBoolean() ? types[0] : types[1]);
        String state = w.nextInt(8) == 0 ? null : t.city()[1];
        String postalCode = w.nextInt(12) == 0 ? null : t.postalCode();
        LocalDate birthDate = w.nextInt(5) == 0 ? null : t.birthDate();
        return new Person(t.entityId(), first, last, email, phone, mobile, t.title()[0], t.title()[1], street,
                t.city()[0], state, postalCode, t.city()[3], birthDate);
    }

    private Deal deal(String entityId, Truth company, Random v) {
        Random r = random(entityId, 0);
        int stage = r.nextInt(STAGES.size());
        BigDecimal amount = BigDecimal.valueOf(500_000 + r.nextInt(49_500_001), 2);
        if (v.nextInt(10) == 0) {
            // one system rounded it
            amount = amount.setScale(-3, RoundingMode.HALF_UP).setScale(2);
        }
        return new Deal(entityId, company.baseName() + " - " + pick(r, PRODUCTS), amount, STAGES.get(stage),
                STAGE_PROBABILITY[stage], CLOSE_DATE_BASE.plusDays(r.nextInt(548)), pick(r, DEAL_TYPES),
                v.nextInt(4) == 0 ? null : pick(r, LEAD_SOURCES));
    }

    /** A local number (area code and subscriber) written the way one of several systems would. */
    private static String phone(String[] city, String local, Random v) {
        String code = city[5];
        String area = city[6];
        String subscriber = local.substring(area.length());
        boolean nanp = code.equals("1");
        String a = subscriber.substring(0, 3);
        String b = subscriber.substring(3);
        return switch (v.nextInt(4)) {
            case 0 -> "+" + code + local;
            case 1 -> nanp ? "(" + area + ") " + a + "-" + b : "0" + area + " " + a + " " + b;
            case 2 -> nanp ? area + "." + a + "." + b : "+" + code + " (0)" + area + " " + subscriber;
            default -> "+" + code + " " + area + " " + a + " " + b;
        };
    }

    private static String localNumber(Random r, String[] city) {
        String area = city[6];
        // 555-01xx numbers are reserved for fiction in North America
        String subscriber = city[5].equals("1") ? "55501" + pad(r.nextInt(100), 2) : pad(1_000_000 + r.nextInt(9_000_000), 7);
        return area + subscriber;
    }

    private static String postalCode(Random r, String[] city) {
        String prefix = city[2];
        return switch (city[4]) {
            case "CA" -> prefix + " " + r.nextInt(10) + (char) ('A' + r.nextInt(26)) + r.nextInt(10);
            case "GB" -> prefix + " " + (1 + r.nextInt(9)) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
            default -> prefix + pad(r.nextInt(100), 2);
        };
    }

    private static int employees(Random r) {
        int[] bounds = {10, 50, 250, 1000, 10_000, 100_000};
        int tier = r.nextInt(bounds.length - 1);
        return bounds[tier] + r.nextInt(bounds[tier + 1] - bounds[tier]);
    }

    /** Upper-cased now and then, as some systems store names. */
    private static String casing(String name, Random v) {
        return v.nextInt(20) == 0 ? name.toUpperCase(Locale.ROOT) : name;
    }

    /** One slip of the keyboard in one of {@code oneIn} copies: two neighbouring letters swapped. */
    private static String typo(String text, Random v, int oneIn) {
        if (v.nextInt(oneIn) != 0 || text.length() < 4) {
            return text;
        }
        int at = 1 + v.nextInt(text.length() - 2);
        char[] chars = text.toCharArray();
        if (!Character.isLetter(chars[at]) || !Character.isLetter(chars[at + 1])) {
            return text;
        }
        char c = chars[at];
        chars[at] = chars[at + 1];
        chars[at + 1] = c;
        return new String(chars);
    }

    private Random random(String key, long n) {
        // FNV-1a over the seed, the key and n: stable across runs and JVMs
        long hash = 0xcbf29ce484222325L ^ seed;
        for (byte b : (key + "#" + n).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return new Random(hash);
    }

    private static String slug(String name) {
        StringBuilder slug = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                slug.append(c);
            }
        }
        return slug.toString();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String pad(int n, int width) {
        String s = Integer.toString(n);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
