package processors.mapping;

import java.util.Optional;
import java.util.Set;

import processors.matching.Normalizers;

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

    /** The domain of an email address, URL or host name; null when the text holds none or is an address at a free mail provider. */
    public static String domainOf(String text) {
        String domain = Normalizers.domain(text);
        boolean email = text != null && text.indexOf('@') >= 0 && text.indexOf("://") < 0;
        return domain != null && email && FREE_MAIL.contains(domain) ? null : domain;
    }
}
