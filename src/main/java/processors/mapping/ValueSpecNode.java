package processors.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A spec node over JSON-like data (integration settings); its location is a path such as {@code fieldMappings[2].transform}. */
final class ValueSpecNode implements SpecNode {

    private final String path;
    private final Object value;

    ValueSpecNode(String path, Object value) {
        this.path = path;
        this.value = value;
    }

    @Override
    public Kind kind() {
        if (value instanceof Map) {
            return Kind.MAP;
        }
        return value instanceof Collection ? Kind.LIST : Kind.SCALAR;
    }

    @Override
    public Object scalar() {
        return value instanceof Map || value instanceof Collection ? null : value;
    }

    @Override
    public List<SpecNode> items() {
        if (!(value instanceof Collection<?> collection)) {
            return Collections.emptyList();
        }
        List<SpecNode> items = new ArrayList<>(collection.size());
        int index = 0;
        for (Object item : collection) {
            items.add(new ValueSpecNode(path + "[" + index++ + "]", item));
        }
        return items;
    }

    @Override
    public Map<String, SpecNode> entries() {
        if (!(value instanceof Map<?, ?> map)) {
            return Collections.emptyMap();
        }
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        map.forEach((key, item) -> entries.put(String.valueOf(key), new ValueSpecNode(path + "." + key, item)));
        return entries;
    }

    @Override
    public String where() {
        return path;
    }

    @Override
    public MappingException error(String problem) {
        return new MappingException(path + ": " + problem);
    }

    @Override
    public MappingException keyError(String key, String problem) {
        return new MappingException(path + "." + key + ": " + problem);
    }

    @Override
    public Object toValue() {
        return value;
    }
}
