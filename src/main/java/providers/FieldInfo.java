package providers;

public record FieldInfo(String name, String label, String type, boolean createable, boolean updateable, boolean nillable) {
}
