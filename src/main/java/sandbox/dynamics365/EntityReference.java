package sandbox.dynamics365;

/** A lookup's value: the row it points at and that row's table (a customer lookup can point at two). */
record EntityReference(String table, String id) {
}
