package sandbox.dynamics365;

/**
 * One authenticated Web API request: the org, the caller (its system user in the org), the service root it used
 * ({@code http://host:port/sandbox/dynamics365[/<org>]/api/data/v9.2/}, which every link and context echoes, as
 * clients cut links at exactly that prefix), its preferences and query options.
 */
record ApiCall(DataverseOrg org, String userId, String base, Preferences preferences, QueryOptions query) {

    /** {@code <base>$metadata#<fragment>}. */
    String context(String fragment) {
        return base + "$metadata#" + fragment;
    }

    /** The formatted value of a lookup: the primary name of its row, or the name of a system user. */
    String nameOf(EntityReference reference) {
        if (reference.table().equals("systemuser")) {
            return reference.id().equals(org.systemUserId("sandbox-admin")) ? RowRepresentation.ADMIN_USER_NAME
                    : RowRepresentation.APPLICATION_USER_NAME;
        }
        DataverseRow row = org.get(reference);
        return row == null ? null : row.primaryName();
    }
}
