package sandbox.gong;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import sandbox.kit.CallAdmission;
import sandbox.kit.Population;

/**
 * One Gong company (a workspace of the sandbox): its internal users, its calls with their parties, content and
 * transcripts, and its limits (a short window, Gong's 3 calls a second, and a daily one, Gong's 10,000 a day). Calls are
 * seeded from the shared {@link Population} as the provider "gong" holds it: call n is with the (n mod accounts)-th
 * company, its external parties are that company's people (the same people, with their emails, the CRMs hold), and one
 * or two internal users attend. Calls lie a few hours apart, the newest an hour before the company was made.
 */
final class GongCompany {

    static final String PROVIDER = "gong";
    static final String SECOND = "second";
    static final String DAY = "day";
    static final String DOMAIN = "sandbox-sales.test";
    private static final List<String[]> USERS = List.of(new String[] {"Ann", "Smith", "Account Executive"},
            new String[] {"Raj", "Patel", "Sales Development Representative"}, new String[] {"Maria", "Lopez", "Customer Success Manager"},
            new String[] {"Tom", "Becker", "Solutions Engineer"});
    private static final List<String> PURPOSES = List.of("Discovery call", "Demo", "Pricing review", "Quarterly business review",
            "Renewal check-in", "Onboarding kickoff");
    private static final List<String> TOPICS = List.of("Pricing", "Integrations", "Security review", "Timeline", "Onboarding", "Renewal");

    record User(String id, String firstName, String lastName, String email, String title) {
        String name() {
            return firstName + " " + lastName;
        }
    }

    /** A party of a call: an internal user (userId set) or an external person (personEntityId: the world's id). */
    record Party(String id, String name, String email, String title, String userId, String speakerId, String affiliation,
                 List<String> methods, String companyName, String personEntityId, String companyEntityId) {
    }

    record Sentence(long start, long end, String text) {
    }

    record Monologue(String speakerId, String topic, List<Sentence> sentences) {
    }

    static final class Call {
        final String id;
        String title;
        Instant scheduled;
        Instant started;
        int duration;
        String direction;
        String system;
        String scope;
        String media;
        String primaryUserId;
        String purpose;
        final List<Party> parties = new ArrayList<>();
        final List<Monologue> transcript = new ArrayList<>();
        String brief;
        final List<String> topics = new ArrayList<>();

        Call(String id) {
            this.id = id;
        }

        /** The time Gong filters on: the scheduled time of a web conference, else the actual start. */
        Instant filterTime() {
            return "Conference".equals(direction) && scheduled != null ? scheduled : started;
        }
    }

    final String name;
    final String workspaceId;
    final CallAdmission calls;
    /** The access key was revoked in Gong's API settings: Basic auth with it fails until the company is reset. */
    volatile boolean keyRevoked;
    private final Clock clock;
    private final List<User> users = new ArrayList<>();
    private final Map<String, Call> byId = new LinkedHashMap<>();
    private final List<Population.Account> accounts = new ArrayList<>();
    private long nextId;

    GongCompany(String name, GongSandboxProperties properties, int callCount, int accountCount, Population population, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.workspaceId = digits("workspace", 15);
        this.calls = new CallAdmission(clock, properties.latencyMs())
                .window(SECOND, properties.rateLimit(), properties.rateWindow())
                .window(DAY, properties.dailyLimit(), properties.dailyWindow());
        for (int u = 0; u < USERS.size(); u++) {
            String[] user = USERS.get(u);
            users.add(new User(digits("user/" + u, 15), user[0], user[1], (user[0] + "." + user[1]).toLowerCase() + "@" + DOMAIN, user[2]));
        }
        for (int k = 0; k < Math.max(1, accountCount); k++) {
            accounts.add(population.account(PROVIDER, k));
        }
        this.nextId = Long.parseLong("7" + digits("calls", 11)) * 10_000_000L;
        Instant newest = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
        for (int n = 0; n < callCount; n++) {
            Instant at = newest.minus(Duration.ofMinutes(173L * (callCount - 1 - n)));
            Call call = seeded(n, at);
            byId.put(call.id, call);
        }
    }

    private Call seeded(int n, Instant at) {
        Population.Account account = accounts.get(n % accounts.size());
        Call call = new Call(nextCallId());
        User host = users.get(n % users.size());
        call.purpose = PURPOSES.get(n % PURPOSES.size());
        call.title = account.company().name() + " / " + call.purpose;
        boolean conference = n % 4 != 3;
        call.direction = conference ? "Conference" : "Outbound";
        call.system = conference ? "Zoom" : "Phone";
        call.media = conference ? "Video" : "Audio";
        call.scope = "External";
        call.scheduled = conference ? at : null;
        call.started = at.plus(Duration.ofSeconds(30 + n % 90));
        call.duration = 600 + (n * 137) % 3000;
        call.primaryUserId = host.id();
        addParty(call, host, List.of("Invitee", "Attendee"));
        if (n % 3 == 0) {
            addParty(call, users.get((n + 1) % users.size()), List.of("Attendee"));
        }
        List<Population.Person> people = account.people();
        addParty(call, people.get(0), account.company(), List.of("Invitee", "Attendee"));
        if (n % 2 == 0 && people.size() > 1) {
            addParty(call, people.get(1), account.company(), List.of("Attendee"));
        }
        content(call, account);
        return call;
    }

    private void addParty(Call call, User user, List<String> methods) {
        int i = call.parties.size();
        call.parties.add(new Party(digits(call.id + "/party/" + i, 14), user.name(), user.email(), user.title(), user.id(),
                digits(call.id + "/speaker/" + i, 19), "Internal", methods, null, null, null));
    }

    private void addParty(Call call, Population.Person person, Population.Company company, List<String> methods) {
        int i = call.parties.size();
        call.parties.add(new Party(digits(call.id + "/party/" + i, 14), person.firstName() + " " + person.lastName(), person.email(),
                person.title(), null, digits(call.id + "/speaker/" + i, 19), "External", methods, company.name(), person.entityId(),
                company.entityId()));
    }

    /** The brief, topics and a transcript: the parties taking turns, every line naming what the call is about. */
    private static void content(Call call, Population.Account account) {
        String company = account.company().name();
        String topic = TOPICS.get(Math.floorMod(call.id.hashCode(), TOPICS.size()));
        call.topics.clear();
        call.topics.add(topic);
        call.brief = call.purpose + " with " + company + " about " + topic.toLowerCase() + (account.deal() == null ? "."
                : " for the deal " + account.deal().name() + ".");
        call.transcript.clear();
        long at = 0;
        for (int turn = 0; turn < Math.min(6, call.parties.size() * 2); turn++) {
            Party speaker = call.parties.get(turn % call.parties.size());
            String text = switch (turn) {
                case 0 -> "Thanks for joining, this is " + speaker.name() + ". Today is our " + call.purpose.toLowerCase() + ".";
                case 1 -> "Hi, " + speaker.name() + " from " + (speaker.companyName() == null ? company : speaker.companyName())
                        + " here; " + topic.toLowerCase() + " is what we need to settle.";
                case 2 -> "Let us go through " + topic.toLowerCase() + " step by step.";
                case 3 -> "Could you send the details to " + speaker.email() + "?";
                default -> "Agreed, we will follow up next week.";
            };
            long length = 2000 + text.length() * 60L;
            call.transcript.add(new Monologue(speaker.speakerId(), topic, List.of(new Sentence(at, at + length, text))));
            at += length + 500;
        }
    }

    private String nextCallId() {
        return Long.toString(nextId++);
    }

    /** A numeric id of {@code length} digits (at most 30), the same for the same company and seed text. */
    private String digits(String what, int length) {
        UUID uuid = UUID.nameUUIDFromBytes((PROVIDER + "/" + name + "/" + what).getBytes(StandardCharsets.UTF_8));
        String text = Long.toUnsignedString(uuid.getMostSignificantBits() | Long.MIN_VALUE)
                + Long.toUnsignedString(uuid.getLeastSignificantBits() | Long.MIN_VALUE);
        return text.substring(0, length);
    }

    synchronized List<User> users() {
        return List.copyOf(users);
    }

    synchronized Call call(String id) {
        return byId.get(id);
    }

    /** The calls whose filter time is in [from, to) (either end open when null), oldest first. */
    synchronized List<Call> window(Instant from, Instant to, List<String> callIds) {
        List<Call> found = new ArrayList<>();
        for (Call call : byId.values()) {
            Instant t = call.filterTime();
            if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to)) && (callIds == null || callIds.contains(call.id))) {
                found.add(call);
            }
        }
        found.sort(Comparator.comparing(Call::filterTime).thenComparing(c -> c.id));
        return found;
    }

    synchronized int size() {
        return byId.size();
    }

    // ------------------------------------------------------------------ setup

    /** A new call with the {@code accountIndex}-th company at {@code started} (null: now), seeded like the others. */
    synchronized Call add(Integer accountIndex, Instant started, String title, Integer duration) {
        int n = accountIndex == null ? byId.size() : accountIndex;
        if (n < 0 || n >= accounts.size()) {
            throw GongApiException.badRequest("accountIndex: must be between 0 and " + (accounts.size() - 1));
        }
        Instant at = started == null ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : started;
        Call call = seeded(n, at);
        call.started = at;
        if (call.scheduled != null) {
            call.scheduled = at;
        }
        if (title != null) {
            call.title = title;
        }
        if (duration != null) {
            call.duration = duration;
        }
        byId.put(call.id, call);
        return call;
    }

    /** Changes a call's title or duration (Gong shows the change; it has no feed of changes). */
    synchronized Call change(String id, String title, Integer duration) {
        Call call = byId.get(id);
        if (call == null) {
            return null;
        }
        if (title != null) {
            call.title = title;
        }
        if (duration != null) {
            call.duration = duration;
        }
        return call;
    }

    synchronized boolean delete(String id) {
        return byId.remove(id) != null;
    }

    /** Each call's external parties' world ids: call id to email to person entity id. */
    synchronized Map<String, Map<String, String>> groundTruth() {
        Map<String, Map<String, String>> truth = new LinkedHashMap<>();
        for (Call call : byId.values()) {
            Map<String, String> people = new LinkedHashMap<>();
            for (Party p : call.parties) {
                if (p.personEntityId() != null) {
                    people.put(p.email(), p.personEntityId());
                }
            }
            truth.put(call.id, people);
        }
        return truth;
    }
}
