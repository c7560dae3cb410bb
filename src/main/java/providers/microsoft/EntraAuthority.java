package providers.microsoft;

import java.net.URI;
import java.util.regex.Pattern;

import security.InvalidCredentialsException;

/**
 * A Microsoft Entra ID authority: the identity platform's host and a tenant, as {@code https://login.microsoftonline.com/contoso.onmicrosoft.com}.
 * Tenants may give the whole URL (a sovereign cloud's, or a stand-in's such as the hub's sandbox
 * {@code http://localhost:8080/sandbox/entra/sandbox-tenant}) or only the tenant (an id or a domain), which
 * means Microsoft's public cloud. The v2.0 endpoints hang below it.
 */
public record EntraAuthority(String url) {

    public static final String PUBLIC_CLOUD = "https://login.microsoftonline.com";
    /** Work and school accounts of any tenant: where an authorization-code connect starts when no authority is given. */
    public static final String ORGANIZATIONS = PUBLIC_CLOUD + "/organizations";
    public static final String TOKEN_PATH = "/oauth2/v2.0/token";
    public static final String AUTHORIZE_PATH = "/oauth2/v2.0/authorize";

    /** A tenant id (GUID) or a verified domain. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

    /**
     * The authority a tenant gave in {@code field}: an http(s) URL whose path is the tenant, or a bare tenant.
     *
     * @throws InvalidCredentialsException naming the field, without echoing the value
     */
    public static EntraAuthority of(String field, String value) {
        String text = value == null ? "" : value.strip();
        if (TENANT.matcher(text).matches()) {
            return new EntraAuthority(PUBLIC_CLOUD + "/" + text);
        }
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String tenant = path.substring(path.lastIndexOf('/') + 1);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null && TENANT.matcher(tenant).matches()) {
                return new EntraAuthority(uri.toString());
            }
        } catch (IllegalArgumentException e) {
            // refused below without echoing the value
        }
        throw new InvalidCredentialsException(field, "must be an Entra ID tenant (id or domain) or an authority URL such as "
                + PUBLIC_CLOUD + "/<tenant>");
    }

    /** The v2.0 token endpoint. */
    public String tokenUrl() {
        return url + TOKEN_PATH;
    }
}
