package sandbox.graph;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import sandbox.kit.Population;

/**
 * Seeds the tenant from the shared fictional world: teams ("Sales", "Customer Success", then "Team N") whose channels
 * ("General", then one per account) hold messages about the k-th companies, their people and deals (every second one
 * with a reply), and drives ("Documents") holding an account plan per company and a contract PDF for every third.
 * Ids look like Graph's (team: a GUID; channel: {@code 19:<32 hex>@thread.tacv2}; message: epoch milliseconds; drive:
 * {@code b!} and 64 URL-safe characters; item: {@code 01} and 32 base32 characters) and are stable per name.
 */
final class GraphSeed {

    static final String PROVIDER = "microsoft";
    static final List<GraphTenant.User> PEOPLE = List.of(
            new GraphTenant.User("8ea0e38b-efb3-4757-924a-5f94061cf8c2", "Robin Kline"),
            new GraphTenant.User("2f1c6a9e-3b7d-4e5f-8a1b-9c0d2e4f6a8b", "Maya Ortiz"),
            new GraphTenant.User("5d3e7f9a-1b2c-4d6e-8f0a-3b5c7d9e1f2a", "Jonas Berg"));
    private static final String[] TEAM_NAMES = {"Sales", "Customer Success"};

    private final Population population;
    private int nextAccount;

    GraphSeed(Population population) {
        this.population = population;
    }

    static String teamId(String name) {
        return UUID.nameUUIDFromBytes(("team/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String channelId(String team, String name) {
        return "19:" + UUID.nameUUIDFromBytes(("channel/" + team + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "") + "@thread.tacv2";
    }

    static String driveId(String name) {
        return "b!" + stable("drive/" + name, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    }

    static String itemId(String seed) {
        return "01" + stable("item/" + seed, 32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    }

    private static String stable(String text, int length, String alphabet) {
        Random random = new Random(text.hashCode() * 1_000_003L + text.length());
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    /** The seeded world: {@code teams} teams and {@code drives} drives as the settings say. */
    void fill(GraphTenant tenant, GraphSandboxProperties properties) {
        for (int t = 0; t < properties.teams(); t++) {
            String name = t < TEAM_NAMES.length ? TEAM_NAMES[t] : "Team " + (t + 1);
            team(tenant, name, properties.channelsPerTeam(), properties.messagesPerChannel());
        }
        for (int d = 0; d < properties.drives(); d++) {
            drive(tenant, d == 0 ? "Documents" : "Documents " + (d + 1), properties.filesPerDrive());
        }
    }

    /** A team with its channels and messages about the next accounts of the world, dated over the last month. */
    synchronized GraphTenant.Team team(GraphTenant tenant, String name, int channels, int messagesPerChannel) {
        String id = teamId(name);
        if (tenant.teams.containsKey(id)) {
            throw GraphApiException.invalid("a team named '" + name + "' exists already");
        }
        GraphTenant.Team team = tenant.addTeam(id, name, name + " team of the sandbox tenant");
        Instant start = tenant.now().minus(Duration.ofDays(30));
        for (int c = 0; c < channels; c++) {
            Population.Account account = population.account(PROVIDER, nextAccount++);
            String channelName = c == 0 ? "General" : account.company().name();
            GraphTenant.Channel channel = tenant.addChannel(team, channelId(name, channelName), channelName,
                    c == 0 ? "General discussion of " + name : "Everything about the " + account.company().name() + " account");
            for (int m = 0; m < messagesPerChannel; m++) {
                Population.Account about = m % 2 == 0 ? account : population.account(PROVIDER, nextAccount++);
                Instant at = start.plus(Duration.ofMinutes(97L * m + 13L * c));
                GraphTenant.User from = PEOPLE.get((m + c) % PEOPLE.size());
                GraphTenant.Message root = tenant.post(team.id, channel.id, null, from, "text", message(about, m), null, at);
                if (m % 2 == 0) {
                    Population.Person person = about.people().get(0);
                    tenant.post(team.id, channel.id, root.id, PEOPLE.get((m + c + 1) % PEOPLE.size()), "text",
                            "I spoke with " + person.firstName() + " " + person.lastName() + " (" + person.email()
                                    + ") about it; next step is the proposal review.", null, at.plusSeconds(600));
                }
            }
        }
        return team;
    }

    private static String message(Population.Account account, int m) {
        Population.Company company = account.company();
        Population.Person person = account.people().get(m % 2);
        Population.Deal deal = account.deal();
        return switch (m % 3) {
            case 0 -> "Call with " + person.firstName() + " " + person.lastName() + " of " + company.name() + " today: they want "
                    + deal.name() + " (" + deal.amount() + " USD) to close by " + deal.closeDate() + ".";
            case 1 -> company.name() + " moved to stage " + deal.stage() + "; " + person.firstName() + " asked for the security review.";
            default -> "Notes from the " + company.name() + " meeting are in the Documents drive; " + person.firstName()
                    + " (" + (person.title() == null ? "contact" : person.title()) + ") joins next week.";
        };
    }

    /** A drive with a "Customers" folder of account plans (text) and contracts (PDF) about the next accounts. */
    synchronized GraphTenant.Drive drive(GraphTenant tenant, String name, int files) {
        String id = driveId(name);
        if (tenant.drives.containsKey(id)) {
            throw GraphApiException.invalid("a drive named '" + name + "' exists already");
        }
        GraphTenant.User owner = PEOPLE.get(0);
        GraphTenant.Drive drive = tenant.addDrive(id, name, owner, itemId(name + "/root"));
        Instant start = tenant.now().minus(Duration.ofDays(30));
        GraphTenant.DriveItem folder = tenant.addItem(id, itemId(name + "/Customers"), null, "Customers", true, null, null,
                owner, start);
        int made = 0;
        for (int k = 0; made < files; k++) {
            Population.Account account = population.account(PROVIDER, nextAccount++);
            String company = account.company().name();
            GraphTenant.User by = PEOPLE.get(k % PEOPLE.size());
            Instant at = start.plus(Duration.ofMinutes(41L * k));
            tenant.addItem(id, itemId(name + "/" + k + "/plan"), folder.id, "Account plan - " + company + ".txt", false,
                    "text/plain", GraphTenant.utf8(plan(account)), by, at);
            made++;
            if (made < files && k % 3 == 0) {
                tenant.addItem(id, itemId(name + "/" + k + "/contract"), folder.id, "Contract " + company + ".pdf", false,
                        "application/pdf", pdfLike(company), by, at.plusSeconds(60));
                made++;
            }
        }
        return drive;
    }

    static String plan(Population.Account account) {
        Population.Company c = account.company();
        Population.Person first = account.people().get(0);
        Population.Person second = account.people().get(1);
        return "Account plan: " + c.name() + "\n\n"
                + c.name() + " (" + c.domain() + ") is a " + (c.industry() == null ? "" : c.industry().toLowerCase(Locale.ROOT) + " ")
                + "company" + (c.address() == null ? "" : " in " + c.address().city()) + ".\n"
                + "Contacts: " + first.firstName() + " " + first.lastName() + " (" + first.email() + ") and "
                + second.firstName() + " " + second.lastName() + " (" + second.email() + ").\n"
                + "Opportunity: " + account.deal().name() + ", " + account.deal().amount() + " USD, stage " + account.deal().stage()
                + ", closing " + account.deal().closeDate() + ".\n";
    }

    private static byte[] pdfLike(String company) {
        return ("%PDF-1.4\n% contract of " + company + " (sandbox: no real PDF body)\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }
}
