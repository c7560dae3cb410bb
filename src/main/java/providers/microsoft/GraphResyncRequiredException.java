package providers.microsoft;

import providers.PermanentProviderException;

/**
 * Microsoft Graph answered 410 Gone to a delta link ({@code resyncRequired}): the token is stale and the enumeration
 * starts over at {@link #location()} (the answer's {@code Location}, null when it gave none: start from the collection's
 * delta without a token). Items not seen again in the new enumeration are gone.
 */
public class GraphResyncRequiredException extends PermanentProviderException {

    private final String location;

    public GraphResyncRequiredException(String message, String location) {
        super(message, 410, null);
        this.location = location;
    }

    public String location() {
        return location;
    }
}
