package sandbox.google;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import sandbox.kit.Population;

/**
 * Seeds a domain from the shared fictional world: folders "Customers" and "Meeting notes" in My Drive and the shared
 * drive "Sales", holding for the k-th company an account plan (a Google Doc naming the company, its people and its
 * deal), every third one a signed contract (a PDF, no text) and every fourth one a pipeline sheet. Ids look like
 * Drive's (33 characters, folders and files start with {@code 1}, the shared drive with {@code 0A}) and are the same
 * for a domain name and index, so tests can name them.
 */
final class DriveSeed {

    static final String PROVIDER = "google";
    static final String CUSTOMERS = "Customers";
    static final String MEETING_NOTES = "Meeting notes";
    static final String SALES_DRIVE = "Sales";

    private final Population population;

    DriveSeed(Population population) {
        this.population = population;
    }

    /** The id of a seeded folder or drive of a domain: stable per domain and name. */
    static String containerId(String domain, String name) {
        String prefix = SALES_DRIVE.equals(name) ? "0A" : "1F";
        return prefix + stableId(domain + "/" + name, 31);
    }

    void fill(DriveDomain domain, int files, Instant now) {
        List<DriveFile.Owner> reps = List.of(
                new DriveFile.Owner("Maya Ortiz", "maya.ortiz@" + domain.emailDomain, "04231568791234567801"),
                new DriveFile.Owner("Jonas Berg", "jonas.berg@" + domain.emailDomain, "04231568791234567802"),
                new DriveFile.Owner("Priya Nair", "priya.nair@" + domain.emailDomain, "04231568791234567803"));
        Instant start = now.minus(Duration.ofDays(30));
        String customers = containerId(domain.name, CUSTOMERS);
        String notes = containerId(domain.name, MEETING_NOTES);
        String drive = containerId(domain.name, SALES_DRIVE);
        domain.addDrive(drive, SALES_DRIVE);
        domain.seed(folder(customers, CUSTOMERS, "root", start, reps.get(0)));
        domain.seed(folder(notes, MEETING_NOTES, "root", start, reps.get(1)));
        Random random = new Random(domain.name.hashCode() * 31L + files);
        int made = 0;
        for (int k = 0; made < files; k++) {
            Population.Account account = population.account(PROVIDER, k);
            String company = account.company().name();
            Population.Person first = account.people().get(0);
            Population.Person second = account.people().get(1);
            DriveFile.Owner owner = reps.get(k % reps.size());
            Instant created = start.plus(Duration.ofMinutes(37L * k + random.nextInt(30)));
            String place = k % 3 == 2 ? drive : k % 3 == 1 ? notes : customers;
            String driveId = place.equals(drive) ? drive : null;
            String title = place.equals(notes) ? "Meeting notes – " + company : "Account plan – " + company;
            DriveFile doc = new DriveFile(fileId(domain.name, k, "doc"), title, DriveFile.DOCUMENT, place, driveId, created, List.of(owner));
            doc.text = accountPlan(account, first, second, owner);
            doc.modifiedTime = created.plus(Duration.ofMinutes(5 + random.nextInt(600)));
            doc.version = 3 + random.nextInt(20);
            domain.seed(doc);
            made++;
            if (made < files && k % 3 == 0) {
                DriveFile pdf = new DriveFile(fileId(domain.name, k, "pdf"), "Contract " + company + ".pdf", "application/pdf", place,
                        driveId, created.plusSeconds(60), List.of(owner));
                pdf.binarySize = 40_000 + random.nextInt(400_000);
                domain.seed(pdf);
                made++;
            }
            if (made < files && k % 4 == 3) {
                DriveFile sheet = new DriveFile(fileId(domain.name, k, "sheet"), "Pipeline " + company, DriveFile.SPREADSHEET, place,
                        driveId, created.plusSeconds(120), List.of(owner));
                sheet.text = "Opportunity,Amount,Stage,Close date\n" + account.deal().name() + "," + account.deal().amount() + ","
                        + account.deal().stage() + "," + account.deal().closeDate() + "\n";
                domain.seed(sheet);
                made++;
            }
        }
    }

    private static DriveFile folder(String id, String name, String parent, Instant created, DriveFile.Owner owner) {
        return new DriveFile(id, name, DriveFile.FOLDER, parent, null, created, List.of(owner));
    }

    static String accountPlan(Population.Account account, Population.Person first, Population.Person second, DriveFile.Owner owner) {
        Population.Company c = account.company();
        return "Account plan: " + c.name() + "\n\n"
                + c.name() + " (" + (c.website() == null ? c.domain() : c.website()) + ") is a " + nullToBlank(c.industry()).toLowerCase(Locale.ROOT)
                + " company" + (c.address() == null ? "" : " in " + c.address().city()) + ".\n"
                + "Contacts: " + first.firstName() + " " + first.lastName() + " (" + nullToBlank(first.title()) + ", " + first.email() + ") and "
                + second.firstName() + " " + second.lastName() + " (" + nullToBlank(second.title()) + ", " + second.email() + ").\n"
                + "Opportunity: " + account.deal().name() + ", " + account.deal().amount() + " USD, stage " + account.deal().stage()
                + ", closing " + account.deal().closeDate() + ".\n"
                + "Next step: " + owner.displayName() + " meets " + first.firstName() + " to review the proposal.\n";
    }

    private static String nullToBlank(String text) {
        return text == null ? "" : text;
    }

    static String fileId(String domain, int k, String kind) {
        return "1" + stableId(domain + "/" + k + "/" + kind, 32);
    }

    /** URL-safe characters derived from the text, {@code length} of them. */
    static String stableId(String text, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Random random = new Random(text.hashCode() * 1_000_003L + text.length());
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
