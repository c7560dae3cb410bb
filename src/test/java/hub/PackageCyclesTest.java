package hub;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** No two top-level packages of the hub depend on each other, directly or around a longer loop. */
class PackageCyclesTest {

    @Test
    void topLevelPackagesFormNoCycle() {
        // the packages the application scans: every one of the hub's own
        String[] packages = CastielHubApplication.class.getAnnotation(SpringBootApplication.class).scanBasePackages();
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packages);
        slices().matching("(*)..").should().beFreeOfCycles().check(classes);
    }
}
