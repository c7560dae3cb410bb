package processors.matching;

import java.net.IDN;
import java.text.Normalizer.Form;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The normalizers match rules name: each turns a shard field's value into the form comparators and blocking keys
 * compare, or into null when the value is missing or unusable (a missing value is never a mismatch: see
 * {@link RecordMatcher}). Values that are not text (numbers) are read as their text; objects and lists are unusable.
 *
 * <ul>
 *   <li>{@code text}: accents removed, lower case, every run of punctuation and white space one space.</li>
 *   <li>{@code person_name}: {@code text}, with apostrophes dropped ({@code O'Brien} is {@code obrien}).</li>
 *   <li>{@code company_name}: {@code person_name}, {@code &} as {@code and}, a leading {@code the} and trailing legal
 *       forms ({@code Inc}, {@code LLC}, {@code Ltd}, {@code GmbH}, {@code S.A.}, {@code Corp}, {@code Co}, {@code plc}...,
 *       as many as follow one another) removed; a name made only of legal forms keeps them.</li>
 *   <li>{@code email}: trimmed, lower case, {@code mailto:} dropped; at Gmail ({@code gmail.com}, {@code googlemail.com})
 *       also dots and a {@code +tag} in the local part, which Gmail ignores (other providers may not, so they keep
 *       them). Text that is no address is unusable.</li>
 *   <li>{@code domain}: the web domain of a URL, a bare host or an email address: scheme, user, port, path,
 *       query and a leading {@code www.} removed, lower case.</li>
 *   <li>{@code phone}: E.164 ({@code +14155550100}) through libphonenumber, numbers without a country code read in the
 *       default region; extensions dropped; text that is no possible number is unusable.</li>
 *   <li>{@code postal_code}: upper case without spaces or dashes; a US ZIP+4 is its five-digit ZIP.</li>
 *   <li>{@code date}: {@code yyyy-MM-dd}, from ISO dates and date-times or {@code yyyyMMdd}; eight digits that are no
 *       calendar date stay as written (a typo still compares close to the right date).</li>
 * </ul>
 */
public final class Normalizers {

    /** The normalizer names rules may use, in the order documentation lists them. */
    public static final List<String> NAMES = List.of("text", "person_name", "company_name", "email", "domain", "phone",
            "postal_code", "date");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019`\u00b4]");
    /** Dots inside abbreviations (S.A., L.L.C.): removed before the text is folded, so they are one word. */
    private static final Pattern ABBREVIATION_DOTS = Pattern.compile("(?<=\\b\\p{L})\\.(?=\\p{L}\\b|\\s|,|$)");
    private static final Set<String> LEGAL_FORMS = Set.of("inc", "incorporated", "llc", "lc", "llp", "lp", "ltd", "limited", "corp",
            "corporation", "co", "company", "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "ug", "ohg", "se", "sa", "sas", "sarl", "sl",
            "sau", "srl", "spa", "bv", "nv", "vof", "ab", "as", "asa", "oy", "oyj", "aps", "pty", "pte", "pvt", "pc", "kk", "sro",
            "zoo", "sp", "nl", "lda", "ltda", "cv", "bhd", "sdn", "holdings");
    private static final Set<String> GMAIL = Set.of("gmail.com", "googlemail.com");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*://");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern ZIP_PLUS_4 = Pattern.compile("(\\d{5})-?\\d{4}");
    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})([T ].*)?");
    private static final Pattern EIGHT_DIGITS = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");

    private final String defaultRegion;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final Map<String, Normalizer> byName;

    /** @param defaultRegion ISO 3166 region phone numbers without a country code are read in ({@code US}) */
    public Normalizers(String defaultRegion) {
        String region = defaultRegion == null ? "" : defaultRegion.strip().toUpperCase(Locale.ROOT);
        if (!phones.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unknown phone region '" + defaultRegion + "' (an ISO 3166 code such as US, GB, DE)");
        }
        this.defaultRegion = region;
        Map<String, Normalizer> map = new LinkedHashMap<>();
        map.put("text", Normalizers::text);
        map.put("person_name", Normalizers::personName);
        map.put("company_name", Normalizers::companyName);
        map.put("email", Normalizers::email);
        map.put("domain", Normalizers::domain);
        map.put("phone", this::phone);
        map.put("postal_code", Normalizers::postalCode);
        map.put("date", Normalizers::date);
        this.byName = Map.copyOf(map);
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** The normalizer of this name. @throws IllegalArgumentException for a name not in {@link #NAMES} */
    public Normalizer get(String name) {
        Normalizer normalizer = byName.get(name);
        if (normalizer == null) {
            throw new IllegalArgumentException("unknown normalizer '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return normalizer;
    }

    /** A field value as text, or null when it is missing, blank or no scalar. */
    static String raw(Object value) {
        if (value == null || value instanceof Map || value instanceof Iterable || value.getClass().isArray()) {
            return null;
        }
        String text = value instanceof Double d && d == Math.rint(d) && !d.isInfinite() ? String.valueOf(d.longValue()) : value.toString();
        text = text.strip();
        return text.isEmpty() ? null : text;
    }

    public static String text(String value) {
        if (value == null) {
            return null;
        }
        String folded = MARKS.matcher(java.text.Normalizer.normalize(value, Form.NFKD)).replaceAll("").toLowerCase(Locale.ROOT);
        folded = NOT_ALNUM.matcher(folded).replaceAll(" ").strip();
        return folded.isEmpty() ? null : folded;
    }

    public static String personName(String value) {
        return value == null ? null : text(APOSTROPHES.matcher(value).replaceAll(""));
    }

    public static String companyName(String value) {
        if (value == null) {
            return null;
        }
        String joined = ABBREVIATION_DOTS.matcher(value).replaceAll("");
        String folded = personName(joined.replace("&", " and "));
        if (folded == null) {
            return null;
        }
        String[] words = folded.split(" ");
        int start = words.length > 1 && words[0].equals("the") ? 1 : 0;
        int end = words.length;
        while (end > start + 1 && LEGAL_FORMS.contains(words[end - 1])) {
            end--;
        }
        // "Smith & Co": the "and" left before a removed legal form goes too
        while (end > start + 1 && words[end - 1].equals("and") && end < words.length) {
            end--;
        }
        return String.join(" ", java.util.Arrays.copyOfRange(words, start, end));
    }

    public static String email(String value) {
        if (value == null) {
            return null;
        }
        String address = value.strip().toLowerCase(Locale.ROOT);
        if (address.startsWith("mailto:")) {
            address = address.substring("mailto:".length());
        }
        if (address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!EMAIL.matcher(address).matches()) {
            return null;
        }
        int at = address.indexOf('@');
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (GMAIL.contains(domain)) {
            int plus = local.indexOf('+');
            local = (plus >= 0 ? local.substring(0, plus) : local).replace(".", "");
            domain = "gmail.com";
            if (local.isEmpty()) {
                return null;
            }
        }
        return local + "@" + domain;
    }

    /**
     * The web domain of a URL, a bare host or an email address ({@code mailto:} too): lower-cased, without scheme, user,
     * port, path, {@code www.} or a trailing dot, international names in their ASCII form; null when the text holds none.
     * The {@code domain} mapping transform reads domains with it too.
     */
    public static String domain(String text) {
        if (text == null) {
            return null;
        }
        String host = text.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("mailto:")) {
            host = host.substring("mailto:".length());
        }
        Matcher scheme = SCHEME.matcher(host);
        if (scheme.find()) {
            host = host.substring(scheme.end());
        }
        host = host.substring(0, firstOf(host, "/?# >"));
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            // an email address, or user information in a URL
            host = host.substring(at + 1);
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("www.") && host.indexOf('.', 4) > 0) {
            host = host.substring(4);
        }
        if (host.isEmpty() || host.contains("..")) {
            return null;
        }
        try {
            host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return HOST.matcher(host).matches() ? host : null;
    }

    private static int firstOf(String text, String characters) {
        int first = text.length();
        for (char c : characters.toCharArray()) {
            int at = text.indexOf(c);
            if (at >= 0 && at < first) {
                first = at;
            }
        }
        return first;
    }

    public String phone(String value) {
        if (value == null) {
            return null;
        }
        try {
            PhoneNumber number = phones.parse(value, defaultRegion);
            number.clearExtension();
            if (!phones.isPossibleNumber(number)) {
                return null;
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
        }
    }

    public static String postalCode(String value) {
        if (value == null) {
            return null;
        }
        String code = value.strip().toUpperCase(Locale.ROOT);
        Matcher zip = ZIP_PLUS_4.matcher(code);
        if (zip.matches()) {
            return zip.group(1);
        }
        code = NOT_ALNUM.matcher(code).replaceAll("");
        return code.isEmpty() ? null : code;
    }

    public static String date(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        Matcher iso = ISO_DATE.matcher(text);
        if (iso.matches()) {
            return iso.group(1) + "-" + iso.group(2) + "-" + iso.group(3);
        }
        Matcher digits = EIGHT_DIGITS.matcher(text);
        if (digits.matches()) {
            return digits.group(1) + "-" + digits.group(2) + "-" + digits.group(3);
        }
        return null;
    }
}
