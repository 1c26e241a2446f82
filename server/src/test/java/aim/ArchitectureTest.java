package aim;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules of ARCHITECTURE.md, checked on the compiled main classes: {@code web} → domains →
 * {@code core}; in a domain only its controller (its HTTP edge) knows {@code aim.web}; controllers run
 * no JDBC; domains form no cycles.
 */
class ArchitectureTest {
    /** The domain packages: each holds its controller, repositories, records and services. */
    static final String[] DOMAINS = {"aim.accounts..", "aim.areas..", "aim.assets..", "aim.boundaries..", "aim.hotspots..",
            "aim.evaluation..", "aim.incidents..", "aim.indicators..", "aim.meetings..", "aim.ogc..", "aim.places..", "aim.problems..",
            "aim.publicdata..", "aim.reports..", "aim.tiles.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("aim");
    }

    @Test
    void onlyControllersOfADomainKnowTheWebLayer() {
        noClasses().that().resideInAnyPackage(DOMAINS).and().haveSimpleNameNotEndingWith("Controller")
                .should().dependOnClassesThat().resideInAPackage("aim.web..")
                .because("a domain's controller is its only HTTP edge")
                .check(main);
    }

    @Test
    void nothingButControllersOfADomainKnowsJavalin() {
        // Role names the roles of the route table, so it may be Javalin's RouteRole marker; nothing more
        noClasses().that().resideInAnyPackage(DOMAINS).and().haveSimpleNameNotEndingWith("Controller")
                .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("io.javalin..")
                        .and(com.tngtech.archunit.base.DescribedPredicate.not(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo(io.javalin.security.RouteRole.class))))
                .because("HTTP is the controllers' business")
                .check(main);
    }

    @Test
    void coreAndDatabaseHelpersKnowNoDomainAndNoHttp() {
        noClasses().that().resideInAnyPackage("aim.core..", "aim.db..", "aim.csv..")
                .should().dependOnClassesThat().resideInAnyPackage(DOMAINS)
                .orShould().dependOnClassesThat().resideInAnyPackage("aim.web..", "io.javalin..")
                .check(main);
    }

    @Test
    void controllersRunNoJdbc() {
        noClasses().that().haveSimpleNameEndingWith("Controller")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .because("controllers parse, call the domain and write; SQL lives in repositories")
                .check(main);
    }

    @Test
    void domainsFormNoCycles() {
        slices().matching("aim.(*)..").should().beFreeOfCycles()
                .check(main.that(com.tngtech.archunit.base.DescribedPredicate.describe("in a domain",
                        c -> java.util.Arrays.stream(DOMAINS).anyMatch(d -> c.getPackageName().startsWith(d.replace("..", ""))))));
    }
}
