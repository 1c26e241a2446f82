package aim;

import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./aim demo}'s meeting loop: on first run the problems, actions and meetings have content; a second run adds nothing. */
@Tag("postgis")
class DemoMeetingLoopTest {
    @Fresh static HikariDataSource db;
    static Path dir;

    @BeforeAll
    static void load(@TempDir Path tmp) throws Exception {
        dir = tmp;
        assertTrue(new DemoLoader(db, dir).loadEverythingIfMissing());
    }

    private static long count(String sql) throws Exception {
        try (var c = db.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theDemoLoopHasProblemsActionsEscalationsAndMeetings() throws Exception {
        assertEquals(6, count("SELECT count(*) FROM partner_organisation"));
        assertEquals(6, count("SELECT count(*) FROM app_user WHERE role = 'partner' AND organisation_id IS NOT NULL"), "a partner per organisation");
        assertEquals(4, count("SELECT count(*) FROM problem"));
        assertEquals(1, count("SELECT count(*) FROM problem WHERE owner LIKE 'nap:%'"), "one problem is still a NAP's");
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE decision IS NULL"), "one escalation waits");
        assertEquals(1, count("SELECT count(*) FROM escalation WHERE decision = 'accepted'"), "one was accepted");
        assertEquals(7, count("SELECT count(*) FROM problem_action"));
        assertTrue(count("SELECT count(*) FROM problem_action WHERE due < current_date AND status IN ('open', 'in-progress', 'on-hold')") >= 2,
                "some actions are overdue");
        assertEquals(2, count("SELECT count(*) FROM problem_action WHERE status = 'done'"));
        assertEquals(2, count("SELECT count(*) FROM meeting WHERE held_on < current_date"), "two past meetings");
        assertEquals(1, count("SELECT count(*) FROM meeting WHERE held_on > current_date"), "and the next one");
        assertTrue(count("SELECT count(*) FROM meeting_decision") >= 4);
        assertEquals(0, count("SELECT count(*) FROM problem WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)"));
        // every place lies in the demo borough
        assertEquals(0, count("""
                SELECT count(*) FROM problem p WHERE NOT ST_CoveredBy(p.geom, (SELECT ST_Buffer(ST_Union(b.geom), 1)
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo'))"""));
        // the hot-cell problems cover the demo hot spots: many incidents of their categories lie in them
        assertTrue(count("""
                SELECT count(*) FROM incident i JOIN problem p ON ST_Intersects(p.geom, i.geom) AND i.category = ANY (p.categories)
                WHERE p.title LIKE 'Youths%'""") > 100);
    }

    @Test
    void aSecondRunAddsNothing() throws Exception {
        assertFalse(new DemoLoader(db, dir).loadEverythingIfMissing());
        assertEquals(4, count("SELECT count(*) FROM problem"));
        assertEquals(3, count("SELECT count(*) FROM meeting"));
    }
}
