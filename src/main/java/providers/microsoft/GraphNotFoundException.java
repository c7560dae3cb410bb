package providers.microsoft;

import providers.PermanentProviderException;

/** Microsoft Graph answered 404: the item, channel, drive or subscription is not there (or not visible to the app). */
public class GraphNotFoundException extends PermanentProviderException {

    public GraphNotFoundException(String message) {
        super(message, 404, null);
    }
}
