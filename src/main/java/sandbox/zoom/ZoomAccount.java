package sandbox.zoom;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import sandbox.kit.CallAdmission;
import sandbox.kit.Population;
import sandbox.kit.TokenText;

/**
 * One Zoom account of the sandbox: its users (the hosts, the tenant's own staff), its meetings' cloud recordings (video,
 * audio and, for most, a VTT transcript), the trash, the list's page tokens and its rate limits (Light and Medium, per
 * second). Meetings are seeded from the shared {@link Population} as the provider "zoom" holds it: the n-th meeting is
 * with the people of the provider's k-th company, and its topic and transcript name the company, the people and the deal.
 * Every change is told to the listener (webhooks).
 */
final class ZoomAccount {

    static final String PROVIDER = "zoom";
    static final String LIGHT = "light";
    static final String MEDIUM = "medium";
    static final Duration PAGE_TOKEN_TTL = Duration.ofMinutes(15);
    private static final String[][] HOSTS = {{"Jordan", "Lee"}, {"Sam", "Rivera"}, {"Avery", "Chen"}};
    private static final String[] TOPICS = {"%s quarterly business review", "%s discovery call", "%s renewal review",
        "%s onboarding kickoff", "%s pricing discussion"};

    /** Hears of every recording change: recording.completed, recording.trashed, recording.deleted, recording.recovered. */
    interface Listener {
        void changed(ZoomAccount account, String event, Meeting meeting, User operator);
    }

    record User(String id, String email, String firstName, String lastName) {
        String name() {
            return firstName + " " + lastName;
        }
    }

    static final class RecordingFile {
        final String id = UUID.randomUUID().toString();
        final String fileType;
        final String extension;
        final String recordingType;
        final Instant start;
        final Instant end;
        final String content;
        final long size;
        volatile boolean trashed;
        volatile Instant deletedTime;

        RecordingFile(String fileType, String extension, String recordingType, Instant start, Instant end, String content, long size) {
            this.fileType = fileType;
            this.extension = extension;
            this.recordingType = recordingType;
            this.start = start;
            this.end = end;
            this.content = content;
            this.size = content == null ? size : content.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    static final class Meeting {
        final String uuid;
        final long id;
        final User host;
        final String topic;
        final Instant start;
        final int durationMinutes;
        final String shareId = TokenText.urlSafe(24);
        final String passcode = TokenText.urlSafe(6);
        final List<RecordingFile> files = new ArrayList<>();
        final Map<String, Object> truth = new LinkedHashMap<>();
        volatile boolean trashed;
        volatile Instant deletedTime;

        Meeting(String uuid, long id, User host, String topic, Instant start, int durationMinutes) {
            this.uuid = uuid;
            this.id = id;
            this.host = host;
            this.topic = topic;
            this.start = start;
            this.durationMinutes = durationMinutes;
        }

        List<RecordingFile> liveFiles() {
            return files.stream().filter(f -> !f.trashed).toList();
        }

        LocalDate day() {
            return LocalDate.ofInstant(start, ZoneOffset.UTC);
        }
    }

    /** A listing's snapshot behind a {@code next_page_token}: the meetings in order, where the next page starts, when it stops working. */
    record Listing(List<Meeting> meetings, int offset, Instant expiresAt) {
    }

    final String name;
    final String accountId;
    final List<User> users = new ArrayList<>();
    final CallAdmission calls;
    /** Every API call made (let in or refused) and every file downloaded, for a caller's own count of requests. */
    final java.util.concurrent.atomic.AtomicLong apiCalls = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong downloads = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Meeting> meetings = new LinkedHashMap<>();
    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    private final Population population;
    private final Clock clock;
    private final Listener listener;
    private final Random random;
    private int made;

    ZoomAccount(String name, ZoomSandboxProperties properties, int meetingCount, Population population, Clock clock, Listener listener) {
        this.name = name;
        this.accountId = id22("account/" + name);
        this.population = population;
        this.clock = clock;
        this.listener = listener;
        this.random = new Random(population.seed() * 31 + name.hashCode());
        this.calls = new CallAdmission(clock, properties.latencyMs())
                .window(LIGHT, properties.lightRateLimit(), properties.rateWindow())
                .window(MEDIUM, properties.mediumRateLimit(), properties.rateWindow());
        for (String[] host : HOSTS) {
            users.add(new User(id22("user/" + name + "/" + host[0]), host[0].toLowerCase(Locale.ROOT) + "." + host[1].toLowerCase(Locale.ROOT)
                    + "@castiel-sandbox.example", host[0], host[1]));
        }
        Instant newest = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));
        long spanMinutes = properties.days() * 24L * 60;
        for (int n = 0; n < meetingCount; n++) {
            add(meeting(n, newest.minus(Duration.ofMinutes(spanMinutes * n / Math.max(1, meetingCount))), n % 5 != 4));
        }
    }

    /** A 22-character base64url id, as Zoom's user and account ids, derived from the text. */
    static String id22(String text) {
        byte[] hash = sandbox.kit.Hmac.digest(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16));
    }

    /** The n-th meeting: with the people of the provider's company n / 2 (two meetings each), recorded, with a transcript or not. */
    private Meeting meeting(int n, Instant start, boolean transcript) {
        Population.Account account = population.account(PROVIDER, n / 2);
        User host = users.get(n % users.size());
        String company = account.company().name();
        String topic = String.format(Locale.ROOT, TOPICS[n % TOPICS.length], company);
        int duration = 20 + (n * 7) % 40;
        Meeting meeting = new Meeting(meetingUuid(), 8_000_000_000L + (long) (random.nextDouble() * 1_999_999_999L), host, topic, start,
                duration);
        meeting.truth.put("company", account.company().entityId());
        meeting.truth.put("people", account.people().stream().map(Population.Person::entityId).toList());
        meeting.truth.put("deal", account.deal().entityId());
        Instant end = start.plus(Duration.ofMinutes(duration));
        Instant recStart = start.plusSeconds(2);
        meeting.files.add(new RecordingFile("MP4", "MP4", "shared_screen_with_speaker_view", recStart, end, null, 1_048_576L * (10 + duration)));
        meeting.files.add(new RecordingFile("M4A", "M4A", "audio_only", recStart, end, null, 65_536L * (10 + duration)));
        if (transcript) {
            meeting.files.add(new RecordingFile("TRANSCRIPT", "VTT", "audio_transcript", recStart, end, transcript(host, account), 0));
        }
        return meeting;
    }

    /** A WebVTT transcript of the call: the host and the company's two people on the deal. */
    static String transcript(User host, Population.Account account) {
        Population.Person first = account.people().get(0);
        Population.Person second = account.people().get(1);
        String company = account.company().name();
        String[][] cues = {
            {host.name(), "Thanks for joining, " + first.firstName() + ". Let's go over where " + company + " stands."},
            {first.firstName() + " " + first.lastName(), "Happy to. " + second.firstName() + " " + second.lastName()
                    + " is with us from " + (second.department() == null ? "the team" : second.department()) + "."},
            {second.firstName() + " " + second.lastName(), "We reviewed the proposal for " + account.deal().name() + " last week."},
            {host.name(), "Great. The next step is " + account.deal().stage().toLowerCase(Locale.ROOT) + "; I'll send the summary to "
                    + first.email() + "."},
        };
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        for (int i = 0; i < cues.length; i++) {
            vtt.append('\n').append(i + 1).append('\n')
                    .append(String.format(Locale.ROOT, "00:%02d:%02d.000 --> 00:%02d:%02d.500%n", i / 6, (i * 9) % 60, i / 6, (i * 9 + 8) % 60))
                    .append(cues[i][0]).append(": ").append(cues[i][1]).append('\n');
        }
        return vtt.toString();
    }

    /** Base64 of 16 bytes, as Zoom's meeting UUIDs; the sandbox's never hold a '/', so one URL encoding is always enough. */
    private String meetingUuid() {
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String uuid = Base64.getEncoder().encodeToString(bytes);
            if (uuid.indexOf('/') < 0) {
                return uuid;
            }
        }
    }

    private synchronized void add(Meeting meeting) {
        meetings.put(meeting.uuid, meeting);
        made++;
    }

    // ------------------------------------------------------------------ reading

    User user(String idOrEmail) {
        if (idOrEmail == null) {
            return null;
        }
        if (idOrEmail.equals("me")) {
            return users.get(0);
        }
        return users.stream().filter(u -> u.id().equals(idOrEmail) || u.email().equalsIgnoreCase(idOrEmail)).findFirst().orElse(null);
    }

    /** A meeting's latest instance by numeric id, or an instance by UUID. */
    synchronized Meeting meeting(String idOrUuid) {
        Meeting byUuid = meetings.get(idOrUuid);
        if (byUuid != null) {
            return byUuid;
        }
        return meetings.values().stream().filter(m -> Long.toString(m.id).equals(idOrUuid)).max(Comparator.comparing(m -> m.start))
                .orElse(null);
    }

    synchronized List<Meeting> all() {
        return List.copyOf(meetings.values());
    }

    /**
     * A user's recordings whose meeting started on a day from {@code from} to {@code to} (UTC, inclusive), newest first;
     * with {@code trash}, the trashed ones of any day (meetings trashed whole, or with a trashed file for
     * {@code recording_file}).
     */
    synchronized List<Meeting> list(User user, LocalDate from, LocalDate to, boolean trash, String trashType) {
        return meetings.values().stream().filter(m -> m.host.equals(user))
                .filter(m -> trash ? ("recording_file".equals(trashType) ? !m.trashed && m.files.stream().anyMatch(f -> f.trashed) : m.trashed)
                        : !m.trashed && !m.day().isBefore(from) && !m.day().isAfter(to))
                .sorted(Comparator.comparing((Meeting m) -> m.start).reversed()).toList();
    }

    String keepListing(List<Meeting> snapshot, int offset) {
        Instant now = clock.instant();
        listings.values().removeIf(l -> !l.expiresAt().isAfter(now));
        String token = TokenText.urlSafe(32);
        listings.put(token, new Listing(snapshot, offset, now.plus(PAGE_TOKEN_TTL)));
        return token;
    }

    /** The listing behind a page token (used once); null when unknown or expired. */
    Listing takeListing(String token) {
        Listing listing = listings.remove(token);
        return listing == null || !listing.expiresAt().isAfter(clock.instant()) ? null : listing;
    }

    // ------------------------------------------------------------------ changes

    /** A meeting just recorded by a host: its files (with a transcript when asked), and {@code recording.completed}. */
    Meeting record(User host, String topic, boolean transcript) {
        int n;
        synchronized (this) {
            n = made;
        }
        Meeting seeded = meeting(n, clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(50)), transcript);
        Meeting meeting = new Meeting(seeded.uuid, seeded.id, host == null ? seeded.host : host, topic == null ? seeded.topic : topic,
                seeded.start, seeded.durationMinutes);
        meeting.files.addAll(seeded.files);
        meeting.truth.putAll(seeded.truth);
        add(meeting);
        listener.changed(this, "recording.completed", meeting, null);
        return meeting;
    }

    /** Moves the meeting's recordings to the trash, or deletes them for good: {@code recording.trashed} or {@code .deleted}. */
    void delete(Meeting meeting, boolean permanently, User operator) {
        synchronized (this) {
            if (permanently) {
                meetings.remove(meeting.uuid);
            } else {
                meeting.trashed = true;
                meeting.deletedTime = clock.instant();
            }
        }
        listener.changed(this, permanently ? "recording.deleted" : "recording.trashed", meeting, operator);
    }

    /** One file to the trash or gone for good. */
    void deleteFile(Meeting meeting, RecordingFile file, boolean permanently, User operator) {
        synchronized (this) {
            if (permanently) {
                meeting.files.remove(file);
            } else {
                file.trashed = true;
                file.deletedTime = clock.instant();
            }
        }
        listener.changed(this, permanently ? "recording.deleted" : "recording.trashed", meeting, operator);
    }

    /** Back from the trash: {@code recording.recovered}. */
    void recover(Meeting meeting, User operator) {
        synchronized (this) {
            meeting.trashed = false;
            meeting.deletedTime = null;
            meeting.files.forEach(f -> {
                f.trashed = false;
                f.deletedTime = null;
            });
        }
        listener.changed(this, "recording.recovered", meeting, operator);
    }

    RecordingFile file(String fileId) {
        for (Meeting m : all()) {
            for (RecordingFile f : m.files) {
                if (f.id.equals(fileId) && !m.trashed && !f.trashed) {
                    return f;
                }
            }
        }
        return null;
    }

    Map<String, Object> groundTruth() {
        Map<String, Object> truth = new LinkedHashMap<>();
        all().forEach(m -> truth.put(m.uuid, m.truth));
        return truth;
    }
}
