package org.medsync.ptp.uds;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The rules of docs/architecture.md for ptp-uds: the JDK and medsync-ptp's transport interface only. */
@AnalyzeClasses(packages = "org.medsync.ptp.uds", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void usesOnlyTheJdkAndTheTransportInterface(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.medsync.ptp.uds..", "org.medsync.ptp.clock..")
                .check(classes);
    }
}
