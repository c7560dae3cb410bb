package processors.mapping;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A spec node over a composed SnakeYAML node. Files are only composed, never constructed into objects,
 * so no YAML tag can instantiate a class, and every node keeps its line and column for error messages.
 */
final class YamlSpecNode implements SpecNode {

    private static final int MAX_DEPTH = 20;
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

    private final String file;
    private final Node node;

    private YamlSpecNode(String file, Node node) {
        this.file = file;
        this.node = node;
        if (!PLAIN_TAGS.contains(node.getTag())) {
            throw error("YAML tag " + node.getTag() + " is not allowed in mapping files");
        }
    }

    /** Composes one YAML document; syntax errors come back as {@link MappingFileException} with the problem's position. */
    static SpecNode read(String file, Reader reader) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = "invalid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage());
            if (e.getContext() != null) {
                problem += " (" + e.getContext() + ")";
            }
            throw mark == null ? new MappingFileException(file, 1, 1, problem)
                    : new MappingFileException(file, mark.getLine() + 1, mark.getColumn() + 1, problem);
        } catch (YAMLException e) {
            throw new MappingFileException(file, 1, 1, "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new MappingFileException(file, 1, 1, "the file is empty");
        }
        return new YamlSpecNode(file, root);
    }

    /** Reads a transform argument written inline in a template, such as {@code 'unknown'} or {@code {to: date}}. */
    static Object readValue(String text) {
        try {
            return read("argument", new StringReader(text)).toValue();
        } catch (MappingFileException e) {
            throw new IllegalArgumentException("invalid argument " + Transforms.quote(text) + ": " + e.problem());
        }
    }

    @Override
    public Kind kind() {
        if (node instanceof MappingNode) {
            return Kind.MAP;
        }
        return node instanceof SequenceNode ? Kind.LIST : Kind.SCALAR;
    }

    @Override
    public Object scalar() {
        if (!(node instanceof ScalarNode scalar)) {
            return null;
        }
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            // only true/false: YAML 1.1 would also read yes/no/on/off, and a default of "No" must stay text
            return text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : text;
        }
        try {
            if (Tag.INT.equals(tag)) {
                long value = Long.parseLong(text.replace("_", ""));
                if (value == (int) value) {
                    return (int) value;
                }
                return value;
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.valueOf(text.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            // octal, hex, sexagesimal or .inf: keep the text as written rather than guess
            return text;
        }
        return text;
    }

    @Override
    public List<SpecNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            return Collections.emptyList();
        }
        List<SpecNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(new YamlSpecNode(file, item));
        }
        return items;
    }

    @Override
    public Map<String, SpecNode> entries() {
        if (!(node instanceof MappingNode mapping)) {
            return Collections.emptyMap();
        }
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyText(tuple.getKeyNode());
            if (entries.put(key, new YamlSpecNode(file, tuple.getValueNode())) != null) {
                throw at(tuple.getKeyNode(), "duplicate key '" + key + "'");
            }
        }
        return entries;
    }

    @Override
    public String where() {
        Mark mark = node.getStartMark();
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    @Override
    public MappingException error(String problem) {
        return at(node, problem);
    }

    @Override
    public MappingException keyError(String key, String problem) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return at(scalar, problem);
                }
            }
        }
        return error(problem);
    }

    @Override
    public Object toValue() {
        return toValue(0);
    }

    private Object toValue(int depth) {
        if (depth > MAX_DEPTH) {
            // a recursive alias (&a [*a]) would otherwise overflow the stack at startup
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
        return switch (kind()) {
            case SCALAR -> scalar();
            case LIST -> items().stream().map(item -> ((YamlSpecNode) item).toValue(depth + 1)).toList();
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                entries().forEach((key, value) -> map.put(key, ((YamlSpecNode) value).toValue(depth + 1)));
                yield map;
            }
        };
    }

    private String keyText(Node key) {
        if (!(key instanceof ScalarNode scalar) || !PLAIN_TAGS.contains(key.getTag())) {
            throw at(key, "keys must be plain text");
        }
        return scalar.getValue();
    }

    private MappingFileException at(Node at, String problem) {
        Mark mark = at.getStartMark();
        return new MappingFileException(file, mark.getLine() + 1, mark.getColumn() + 1, problem);
    }
}
