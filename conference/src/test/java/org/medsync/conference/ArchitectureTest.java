package org.medsync.conference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The rules of docs/architecture.md ("Modules and packages") for the conference module. */
@AnalyzeClasses(packages = "org.medsync.conference", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    void packagesFormOneWayStack(JavaClasses classes) {
        slices().matching("org.medsync.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * The JDK and msgpack alone: the relay, Janus, Redis and the database are the server's, seen here only through
     * the interfaces conference owns (DataRelay, AudioSfu, the node bridge's publisher).
     */
    @ArchTest
    void usesOnlyTheJdkAndMsgpack(JavaClasses classes) {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "org.msgpack..", "org.medsync.conference..")
                .check(classes);
    }
}
