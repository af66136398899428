package io.eventfeeds.testsupport;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The one rule every service's architecture test applies: its feature packages depend on each other one way. A
 * cycle would make them one package in all but name. The gateway's architecture test shows the rule failing on a
 * package cycle.
 */
public final class PackageCycles {

    private PackageCycles() {
    }

    /** No cycle between the packages directly below {@code root}, counting their subpackages with them. */
    public static ArchRule forbiddenBelow(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** The main classes (no tests) of {@code root} and below. */
    public static JavaClasses mainClassesOf(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
    }
}
