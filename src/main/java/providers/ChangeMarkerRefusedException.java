package providers;

/**
 * The provider no longer serves changes since the marker an incremental pass started from (an expired or unknown
 * Dataverse delta token, a marker of another org): the hub starts the pass again as a full pass and says so on the run.
 */
public class ChangeMarkerRefusedException extends PermanentProviderException {

    public ChangeMarkerRefusedException(String message, int status) {
        super(message, status, null);
    }
}
