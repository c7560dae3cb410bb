package providers;

public record EntityInfo(String name, String label, boolean queryable, boolean createable, boolean updateable, boolean deletable) {
}
