package processors.mapping;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code domain}: the web domain of an email address ({@code jane@Acme.com} → {@code acme.com}) or of a URL or bare
 * host ({@code https://www.acme.com/about} → {@code acme.com}), lower-cased, without {@code www.}, a port or a trailing
 * dot, international names in their ASCII form. Anything that has no such domain becomes null, and so does an email
 * address at a free mail provider ({@code jane@gmail.com}): its domain names no company. Lossy, so it cannot be written
 * back.
 */
enum DomainTransform implements Transform {

    INSTANCE;

    /** Mailbox providers anyone can sign up with: an address there says nothing of where its owner works. */
    private static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
            "live.com", "msn.com", "yahoo.com", "ymail.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.com",
            "gmx.de", "gmx.net", "web.de", "mail.com", "proton.me", "protonmail.com", "yandex.com", "zoho.com");

    @Override
    public String id() {
        return "domain";
    }

    @Override
    public Object apply(Object value) {
        return value instanceof String s ? domainOf(s) : value == null ? null : domainOf(Transforms.text(value));
    }

    @Override
    public Optional<Transform> reverse() {
        return Optional.empty();
    }

    /** The domain of an email address, URL or host name; null when the text holds none. */
    public static String domainOf(String text) {
        if (text == null) {
            return null;
        }
        String host = text.strip();
        int at = host.lastIndexOf('@');
        boolean email = at >= 0 && host.indexOf("://") < 0;
        if (at >= 0) {
            host = host.substring(at + 1);
        } else {
            int scheme = host.indexOf("://");
            if (scheme >= 0) {
                host = host.substring(scheme + 3);
            }
            int userInfo = host.indexOf('@');
            if (userInfo >= 0) {
                host = host.substring(userInfo + 1);
            }
        }
        int end = host.length();
        for (char stop : new char[] {'/', '?', '#', ':', ' ', '>'}) {
            int i = host.indexOf(stop);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        host = host.substring(0, end).toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("www.")) {
            host = host.substring(4);
        }
        if (host.isEmpty() || !host.contains(".") || host.startsWith(".") || host.contains("..")) {
            return null;
        }
        try {
            host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (email && FREE_MAIL.contains(host)) {
            return null;
        }
        return host.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+") ? host : null;
    }
}
