package hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Arrays;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The dependency rules of ARCHITECTURE.md, checked on the compiled main classes. */
class ArchitectureTest {

    /** The packages the application scans: every one of the hub's own. */
    private static final String[] PACKAGES = CastielHubApplication.class.getAnnotation(SpringBootApplication.class).scanBasePackages();
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(PACKAGES);

    @Test
    void topLevelPackagesFormNoCycle() {
        slices().matching("(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /**
     * The same rule on the sources' imports: the compiler inlines constants (an endpoint URI, a queue name), so a class
     * that only reads another package's constant leaves no trace in the bytecode ArchUnit reads.
     */
    @Test
    void topLevelPackagesImportNoCycleInTheSources() throws java.io.IOException {
        java.nio.file.Path root = java.nio.file.Path.of("src/main/java");
        java.util.Map<String, java.util.Set<String>> imports = new java.util.TreeMap<>();
        java.util.regex.Pattern imported = java.util.regex.Pattern.compile("(?m)^import (?:static )?([a-z_]+)\\.");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String top = root.relativize(file).getName(0).toString();
                java.util.regex.Matcher m = imported.matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(top) && Arrays.asList(PACKAGES).contains(m.group(1))) {
                        imports.computeIfAbsent(top, t -> new java.util.TreeSet<>()).add(m.group(1) + " (" + root.relativize(file) + ")");
                    }
                }
            }
        }
        java.util.List<String> cycles = new java.util.ArrayList<>();
        imports.forEach((from, targets) -> targets.forEach(target -> {
            String to = target.substring(0, target.indexOf(' '));
            if (reaches(imports, to, from, new java.util.HashSet<>())) {
                cycles.add(from + " -> " + target);
            }
        }));
        org.assertj.core.api.Assertions.assertThat(cycles).as("imports that close a cycle of top-level packages").isEmpty();
    }

    private static boolean reaches(java.util.Map<String, java.util.Set<String>> imports, String from, String to, java.util.Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String target : imports.getOrDefault(from, java.util.Set.of())) {
            if (reaches(imports, target.substring(0, target.indexOf(' ')), to, seen)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void noTwoPackagesImportEachOtherAtAnyDepth() {
        slices().matching("(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void routesComposeAndNothingCallsBackIntoThem() {
        noClasses().that().resideOutsideOfPackage("routes..")
                .should().dependOnClassesThat().resideInAPackage("routes..")
                .because("routes are reached through endpoints, never called").check(CLASSES);
    }

    @Test
    void processorsNeverImportRoutesOrTheApi() {
        noClasses().that().resideInAPackage("processors..")
                .should().dependOnClassesThat().resideInAnyPackage("routes..", "api..").check(CLASSES);
    }

    @Test
    void pureLibrariesNeedNeitherCamelNorTheStore() {
        noClasses().that().resideInAnyPackage("processors.mapping..", "processors.conflicts..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "store..", "org.springframework.jdbc..")
                .check(CLASSES);
    }

    @Test
    void theMatchingCoreIsPlainJava() {
        noClasses().that().resideInAPackage("processors.matching..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.springframework..", "store..", "hub..",
                        "processors.mapping..")
                .because("the sync, batch runs and benchmarks call it as a library").check(CLASSES);
    }

    @Test
    void providersKnowNeitherTheStoreNorTheApi() {
        noClasses().that().resideInAPackage("providers..")
                .should().dependOnClassesThat().resideInAnyPackage("store..", "api..", "routes..", "processors..")
                .check(CLASSES);
    }

    @Test
    void oneProviderDoesNotReachIntoAnother() {
        slices().matching("providers.(*)..").should().notDependOnEachOther()
                .ignoreDependency(DescribedPredicate.alwaysTrue(),
                        JavaClass.Predicates.resideInAnyPackage("providers", "providers.webhooks",
                                "providers.microsoft", "providers.google"))
                .check(CLASSES);
    }

    @Test
    void noHubPackageImportsASandbox() {
        noClasses().that().resideOutsideOfPackage("sandbox..")
                .should().dependOnClassesThat().resideInAPackage("sandbox..")
                .because("sandboxes are reached only over HTTP").check(CLASSES);
    }

    @Test
    void sandboxesImportNothingOfTheHub() {
        String[] hub = Arrays.stream(PACKAGES).filter(p -> !p.equals("sandbox")).map(p -> p + "..").toArray(String[]::new);
        noClasses().that().resideInAPackage("sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage(hub).check(CLASSES);
    }

    @Test
    void nothingBuildsOnTheApiLayer() {
        noClasses().that().resideOutsideOfPackage("api..")
                .should().dependOnClassesThat().resideInAPackage("api..")
                .because("the REST layer is the top: it calls the domain, the domain never calls it").check(CLASSES);
    }

    @Test
    void onlyTheHttpDoorsKnowStatusCodesAndServlets() {
        noClasses().that().resideOutsideOfPackages("api..", "sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.http..", "jakarta.servlet..",
                        "org.springframework.web.bind..")
                .because("domain code throws domain exceptions (hub.RefusalException); api maps them to status codes")
                .check(CLASSES);
    }
}
