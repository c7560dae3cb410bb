package store;

import java.util.Collections;

/**
 * A list of values as a table to join with, {@code listed(v)}: one parameter a row. Both databases look each value up
 * in an index (a nested loop over the list), where H2 reads the whole tenant or integration for a row-value
 * {@code IN} list or an {@code IN} list on an index's later column, and PostgreSQL spends far longer planning a
 * row-value {@code IN} list of hundreds (about 130 ms for 500 links) than running it.
 */
final class ListedValues {

    private ListedValues() {
    }

    /** {@code (VALUES (?), (?), ...) AS listed(v)} with {@code values} rows. */
    static String table(int values) {
        return "(VALUES " + String.join(", ", Collections.nCopies(values, "(?)")) + ") AS listed(v)";
    }
}
