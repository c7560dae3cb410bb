package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid mapping files fail loading with file:line:column and a message that says what to fix. */
class MappingFileValidationTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown-transform.yaml      | 11 | 23 | unknown transform 'lowercaes' (known: trim, lowercase, uppercase,
            unknown-key.yaml            | 9  | 5  | unknown key 'tranform' (allowed: target, source, expression, transform,
            unknown-shard-type.yaml     | 3  | 12 | unknown shard type 'c_compnay' (known: c_company, c_contact,
            missing-external-id.yaml    | 1  | 1  | missing required key 'externalId'
            source-and-expression.yaml  | 8  | 5  | field 'name' has both source and expression; use one
            duplicate-target.yaml       | 10 | 13 | duplicate target 'name' (already at
            overlapping-targets.yaml    | 8  | 13 | target 'address.city' overlaps 'address'
            bad-date-pattern.yaml       | 9  | 21 | dateFormat: invalid pattern 'yyyy-MM-dd'T'
            bad-truncate-argument.yaml  | 8  | 28 | truncate expects a whole number
            unclosed-placeholder.yaml   | 7  | 17 | expression: '{{' at offset 0 is never closed with '}}'
            unsafe-placeholder.yaml     | 10 | 17 | expression: invalid path 'T(java.lang.Runtime).getRuntime()'
            bad-relationship.yaml       | 12 | 22 | unknown shard type 'c_account'
            yaml-tag.yaml               | 8  | 13 | invalid YAML: Global tag is not allowed: tag:yaml.org,2002:javax.script.ScriptEngineManager
            required-not-boolean.yaml   | 8  | 15 | expected true or false, got text 'yes please'
            polymorphic-target-and-targets.yaml | 11 | 5 | relationship 'about' has both targetEntity and targets
            unquoted-id-prefix.yaml     | 12 | 19 | idPrefix must be quoted text such as "001", got 1 (unquoted, YAML reads digits as a number)
            overlapping-id-prefixes.yaml | 13 | 20 | idPrefix '00' overlaps '001' (at
            unknown-target-key.yaml     | 13 | 10 | unknown key 'idprefix' (allowed: idPrefix, targetEntity, targetShardType)
            polymorphic-unknown-shard-type.yaml | 13 | 71 | unknown shard type 'c_deal'
            empty-targets.yaml          | 11 | 14 | relationship 'about' needs at least one target
            """)
    void invalidFileFailsWithItsPosition(String fixture, int line, int column, String problem) throws IOException {
        Path file = copyFixture(fixture);

        assertThatThrownBy(() -> MappingCatalog.fromDirectory(dir))
                .isInstanceOfSatisfying(MappingFileException.class, e -> {
                    assertThat(e.getMessage()).startsWith(file + ":" + line + ":" + column + ": " + problem);
                    assertThat(e.file()).isEqualTo(file.toString());
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                });
    }

    @Test
    void aKubernetesConfigMapMountIsReadOnceNotThroughItsHiddenDirectories() throws IOException {
        // what the kubelet makes of a ConfigMap: the files in a hidden ..<timestamp> directory, ..data linked to it,
        // and each file's name linked through ..data
        Path version = Files.createDirectories(dir.resolve("..2026_12_05_22_00_00.123"));
        try (InputStream in = getClass().getResourceAsStream("/mappings/salesforce/account.yaml")) {
            Files.copy(in, version.resolve("account.yaml"));
        }
        Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(dir.resolve("account.yaml"), Path.of("..data", "account.yaml"));

        MappingCatalog catalog = MappingCatalog.fromDirectory(dir);

        assertThat(catalog.find("salesforce", "Account")).isPresent();
        assertThat(catalog.forProvider("salesforce")).hasSize(1);
    }

    @Test
    void yamlSyntaxErrorPointsAtTheProblem() throws IOException {
        Path file = copyFixture("broken-yaml.yaml");

        assertThatThrownBy(() -> MappingCatalog.fromDirectory(dir))
                .isInstanceOfSatisfying(MappingFileException.class, e -> {
                    assertThat(e.getMessage()).startsWith(file + ":").contains("invalid YAML");
                    assertThat(e.line()).isBetween(8, 9);
                });
    }

    @Test
    void startupThroughTheExternalDirectoryFailsToo() throws IOException {
        Path file = copyFixture("unknown-transform.yaml");

        assertThatThrownBy(() -> new MappingCatalog(dir.toString()))
                .isInstanceOf(MappingFileException.class)
                .hasMessageStartingWith(file + ":11:23: unknown transform 'lowercaes'");
    }

    @Test
    void localTagsAndRecursiveAliasesAreRejected() throws IOException {
        String head = "provider: p\nentity: E\nshardType: c_note\nexternalId: id\nfields:\n";
        Path tagged = Files.writeString(dir.resolve("tagged.yaml"), head + "  - {target: body, source: !shell text}\n");

        assertThatThrownBy(() -> MappingCatalog.fromDirectory(dir)).hasMessage(tagged + ":6:28: YAML tag !shell is not allowed in mapping files");

        Files.delete(tagged);
        Path recursive = Files.writeString(dir.resolve("recursive.yaml"), head + "  - {target: body, source: text, transform: [{stripPrefix: &a [*a]}]}\n");

        assertThatThrownBy(() -> MappingCatalog.fromDirectory(dir)).hasMessageStartingWith(recursive + ":6:").hasMessageContaining("levels deep");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("empty.yaml"), "# nothing here\n");

        assertThatThrownBy(() -> MappingCatalog.fromDirectory(dir))
                .hasMessage(file + ":1:1: the file is empty");
    }

    @Test
    void mistypedDirectoryIsRejected() {
        assertThatThrownBy(() -> new MappingCatalog(dir.resolve("nope").toString()))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void twoFilesForOneEntityAreRejected() throws IOException {
        String mapping = """
                provider: salesforce
                entity: Account
                shardType: c_company
                externalId: Id
                fields:
                  - {target: name, source: Name}
                """;
        Files.writeString(dir.resolve("a.yaml"), mapping);
        Files.writeString(dir.resolve("b.yml"), mapping.replace("Account", "account"));

        assertThatThrownBy(() -> MappingCatalog.fromDirectory(dir))
                .hasMessageContaining("salesforce/account is already mapped by " + dir.resolve("a.yaml"));
    }

    private Path copyFixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/mappings-invalid/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }
}
