package aim;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.SQLException;

/**
 * The demo AIM group's working loop, so the problems panel, the partners' action lists and the meeting
 * briefing have content on first run: six partner organisations, four problems on the demo hot spots
 * (one still owned by a Neighbourhood Action Partnership and escalated, one escalated and accepted),
 * actions (some done, some overdue, one a week of action), two past meetings with decisions and a next
 * meeting. All dates are relative to today. Demo data only: every title says so.
 */
final class DemoMeetingLoop {
    private DemoMeetingLoop() {
    }

    /** The demo partner organisations: code, name, kind. */
    static final String[][] ORGANISATIONS = {
            {"police", "Neighbourhood Police Team (demo)", "police"},
            {"wardens", "Street Wardens (demo)", "wardens"},
            {"housing", "Housing Provider (demo)", "housing"},
            {"youth", "Youth Service (demo)", "youth"},
            {"environment", "Environmental Services (demo)", "environment"},
            {"public-health", "Public Health (demo)", "health"},
    };

    /** Loads the organisations only (demo users need them); true when it did. */
    static void loadOrganisations(DataSource dataSource) throws IOException {
        try (var c = dataSource.getConnection();
             var ps = c.prepareStatement("INSERT INTO partner_organisation (code, name, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String[] o : ORGANISATIONS) {
                ps.setString(1, o[0]);
                ps.setString(2, o[1]);
                ps.setString(3, o[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IOException("loading demo organisations failed: " + e.getMessage(), e);
        }
    }

    /** Problems, actions, escalations and meetings, authored by the user {@code analyst}; returns the number of problems. */
    static int load(DataSource dataSource, String analyst) throws IOException {
        String sql = """
                CREATE TEMP TABLE demo_ward ON COMMIT DROP AS
                SELECT b.code, b.name, b.geom, ST_PointOnSurface(b.geom) AS centre, n.code AS nap
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = 'demo'
                JOIN neighbourhood_ward nw ON nw.ward_id = b.id JOIN boundary n ON n.id = nw.neighbourhood_id;
                CREATE TEMP TABLE demo_org ON COMMIT DROP AS SELECT id, code FROM partner_organisation;
                -- the 250 m squares over a demo hot spot, as the hotspot map numbers them
                CREATE TEMP TABLE demo_cells ON COMMIT DROP AS
                SELECT w.code, g.i, g.j, g.geom
                FROM demo_ward w, ST_SquareGrid(250, ST_Buffer(w.centre, 200)) g
                WHERE w.code IN ('DEMO-W03', 'DEMO-W09') AND ST_Intersects(g.geom, ST_Buffer(w.centre, 200));

                INSERT INTO problem (title, categories, place_spec, place_label, geom, owner, lead_organisation_id, stage,
                                     objective, target_percent, target_months, target_baseline, target_start,
                                     start_date, review_date, created_by, created_at)
                SELECT p.title, p.categories, p.spec, p.label, ST_Multi(p.geom), p.owner,
                       (SELECT id FROM demo_org WHERE code = p.lead), p.stage, p.objective,
                       p.pct, p.months, p.baseline, p.tstart, p.start, p.start + 120, (SELECT id FROM demo_user), p.start
                FROM (
                    SELECT 'Youths gathering and ASB around Saltgate shops (demo)' AS title,
                           ARRAY['anti-social-behaviour', 'asb-youths-congregating', 'criminal-damage-arson'] AS categories,
                           jsonb_build_object('cell', 250, 'cells', (SELECT jsonb_agg(jsonb_build_array(i, j) ORDER BY i, j) FROM demo_cells WHERE code = 'DEMO-W03')) AS spec,
                           'Saltgate shops: ' || (SELECT count(*) FROM demo_cells WHERE code = 'DEMO-W03') || ' cells of 250 m' AS label,
                           (SELECT ST_Union(geom) FROM demo_cells WHERE code = 'DEMO-W03') AS geom,
                           'aim' AS owner, 'police' AS lead, 'response' AS stage,
                           'Fewer residents and shopkeepers harmed by ASB at the Saltgate parade.' AS objective,
                           -20.0 AS pct, 3 AS months, 'same-period-last-year' AS baseline,
                           (date_trunc('month', current_date) - interval '2 months')::date AS tstart,
                           (date_trunc('month', current_date) - interval '3 months')::date AS start
                    UNION ALL
                    SELECT 'Fly-tipping in the Larchwood back alleys (demo)',
                           ARRAY['fly-tipping', 'env-littering'],
                           jsonb_build_object('cell', 250, 'cells', (SELECT jsonb_agg(jsonb_build_array(i, j) ORDER BY i, j) FROM demo_cells WHERE code = 'DEMO-W09')),
                           'Larchwood back alleys: ' || (SELECT count(*) FROM demo_cells WHERE code = 'DEMO-W09') || ' cells of 250 m',
                           (SELECT ST_Union(geom) FROM demo_cells WHERE code = 'DEMO-W09'),
                           'aim', 'environment', 'analysis',
                           'Clean, safe alleys: fewer fly-tips reported and each cleared within two working days.',
                           -30.0, 3, 'previous-period', (date_trunc('month', current_date) - interval '1 month')::date,
                           (date_trunc('month', current_date) - interval '2 months')::date
                    UNION ALL
                    SELECT 'Burglary and vehicle crime in Oakridge (demo)',
                           ARRAY['burglary', 'vehicle-crime'],
                           jsonb_build_object('ward', 'DEMO-W15'), 'Oakridge (ward DEMO-W15)',
                           (SELECT geom FROM demo_ward WHERE code = 'DEMO-W15'),
                           'nap:' || (SELECT nap FROM demo_ward WHERE code = 'DEMO-W15'), 'police', 'scanning',
                           'Householders in Oakridge feel their homes and cars are safe.',
                           NULL, NULL, NULL, NULL, (current_date - 40)
                    UNION ALL
                    SELECT 'New criminal damage cluster in Hallgarth (demo)',
                           ARRAY['criminal-damage-arson', 'anti-social-behaviour'],
                           jsonb_build_object('ward', 'DEMO-W18'), 'Hallgarth (ward DEMO-W18)',
                           (SELECT geom FROM demo_ward WHERE code = 'DEMO-W18'),
                           'aim', 'wardens', 'scanning',
                           'Understand and stop the new run of damage in Hallgarth before it settles in.',
                           -25.0, 3, 'previous-period', date_trunc('month', current_date)::date, (current_date - 30)
                ) p
                WHERE NOT EXISTS (SELECT 1 FROM problem WHERE title = p.title);

                CREATE TEMP TABLE demo_problem ON COMMIT DROP AS
                SELECT id, title, start_date FROM problem WHERE title LIKE '%(demo)';

                INSERT INTO problem_event (problem_id, at, by_user, kind, note)
                SELECT id, start_date, (SELECT id FROM demo_user), 'created', 'Demo problem' FROM demo_problem;

                -- meetings: two held (8 and 4 weeks ago) and the next one (in a week)
                INSERT INTO meeting (held_on, title, created_by)
                VALUES (current_date - 56, 'AIM group (demo)', (SELECT id FROM demo_user)),
                       (current_date - 28, 'AIM group (demo)', (SELECT id FROM demo_user)),
                       (current_date + 7, 'AIM group (demo)', (SELECT id FROM demo_user));
                CREATE TEMP TABLE demo_meeting ON COMMIT DROP AS
                SELECT id, held_on, row_number() OVER (ORDER BY held_on) AS n FROM meeting WHERE title = 'AIM group (demo)';
                INSERT INTO meeting_attendee (meeting_id, organisation_id)
                SELECT m.id, o.id FROM demo_meeting m, demo_org o WHERE o.code <> 'public-health' OR m.n = 2;
                INSERT INTO meeting_agenda_item (meeting_id, problem_id, position)
                SELECT m.id, p.id, row_number() OVER (PARTITION BY m.id ORDER BY p.id)
                FROM demo_meeting m JOIN demo_problem p ON p.start_date <= m.held_on;

                -- actions: title, organisation, due (days from today), status, operation days, meeting agreed at
                INSERT INTO problem_action (problem_id, title, organisation_id, due, starts_on, ends_on, status, completed_on,
                                            meeting_id, created_by, created_at)
                SELECT p.id, a.title, o.id, current_date + a.due,
                       CASE WHEN a.op THEN current_date + a.due - 6 END, CASE WHEN a.op THEN current_date + a.due END,
                       a.status, CASE WHEN a.status = 'done' THEN current_date + a.due END,
                       (SELECT id FROM demo_meeting WHERE n = a.meeting), (SELECT id FROM demo_user),
                       (SELECT held_on FROM demo_meeting WHERE n = a.meeting)
                FROM (VALUES
                    ('Saltgate', 'Week of action: high-visibility patrols at the parade (demo)', 'police', -35, true, 'done', 1),
                    ('Saltgate', 'Warden walkabouts Thursday to Saturday evenings (demo)', 'wardens', -10, false, 'in-progress', 1),
                    ('Saltgate', 'Detached youth work sessions near the shops (demo)', 'youth', 14, false, 'open', 2),
                    ('Saltgate', 'Letters to tenants about the ASB reporting line (demo)', 'housing', -5, false, 'done', 2),
                    ('Larchwood', 'Deploy a mobile CCTV camera in the worst alley (demo)', 'environment', -3, false, 'open', 2),
                    ('Larchwood', 'Alley clean-up and gating survey (demo)', 'housing', 21, false, 'open', 2),
                    ('Hallgarth', 'Map the damage reports street by street (demo)', 'wardens', 10, false, 'open', 2)
                ) AS a(place, title, org, due, op, status, meeting)
                JOIN demo_problem p ON p.title LIKE '%' || a.place || '%'
                JOIN demo_org o ON o.code = a.org;
                INSERT INTO action_event (action_id, at, by_user, kind, to_status, note)
                SELECT id, created_at, created_by, 'created', 'open', NULL FROM problem_action WHERE title LIKE '%(demo)';
                INSERT INTO action_event (action_id, at, by_user, kind, from_status, to_status, note)
                SELECT id, created_at + interval '2 days', created_by, 'status', 'open', 'in-progress', 'Started (demo)'
                FROM problem_action WHERE title LIKE '%(demo)' AND status IN ('in-progress', 'done');
                INSERT INTO action_event (action_id, at, by_user, kind, from_status, to_status, note)
                SELECT id, completed_on, created_by, 'status', 'in-progress', 'done', 'Completed (demo)'
                FROM problem_action WHERE title LIKE '%(demo)' AND status = 'done';

                -- escalations: Hallgarth was escalated by the South NAP and accepted at the last meeting;
                -- Oakridge is escalated by the East NAP and waits for the next meeting
                INSERT INTO escalation (problem_id, from_owner, reason, raised_by, raised_at, decision, decision_note,
                                        decided_by, decided_at, meeting_id)
                SELECT p.id, 'nap:DEMO-N-SOUTH', 'Damage is spreading beyond what the NAP partners can cover (demo).',
                       (SELECT id FROM demo_user), current_date - 30, 'accepted', 'Taken on by the AIM group (demo).',
                       (SELECT id FROM demo_user), current_date - 28, (SELECT id FROM demo_meeting WHERE n = 2)
                FROM demo_problem p WHERE p.title LIKE '%Hallgarth%';
                INSERT INTO escalation (problem_id, from_owner, reason, raised_by, raised_at)
                SELECT p.id, pr.owner, 'Repeat burglaries across three streets; the NAP asks for police and housing resources (demo).',
                       (SELECT id FROM demo_user), current_date - 6
                FROM demo_problem p JOIN problem pr ON pr.id = p.id WHERE p.title LIKE '%Oakridge%';
                INSERT INTO problem_event (problem_id, at, by_user, kind, note)
                SELECT problem_id, raised_at, raised_by, 'escalated', reason FROM escalation e JOIN demo_problem p ON p.id = e.problem_id;
                INSERT INTO problem_event (problem_id, at, by_user, kind, changes, note)
                SELECT problem_id, decided_at, decided_by, 'accepted',
                       jsonb_build_object('owner', jsonb_build_object('from', from_owner, 'to', 'aim')), decision_note
                FROM escalation e JOIN demo_problem p ON p.id = e.problem_id WHERE decision = 'accepted';

                INSERT INTO meeting_decision (meeting_id, problem_id, text, recorded_by, recorded_at)
                SELECT m.id, p.id, d.text, (SELECT id FROM demo_user), m.held_on
                FROM (VALUES
                    (1, 'Saltgate', 'Police to run a week of action at the Saltgate parade; wardens to follow up in the evenings (demo).'),
                    (2, 'Saltgate', 'Youth service to start detached sessions; review the ASB target at the next meeting (demo).'),
                    (2, 'Larchwood', 'Environmental services to deploy mobile CCTV in the worst alley (demo).'),
                    (2, 'Hallgarth', 'Escalation from the South NAP accepted: the AIM group owns the Hallgarth problem (demo).')
                ) AS d(n, place, text)
                JOIN demo_meeting m ON m.n = d.n JOIN demo_problem p ON p.title LIKE '%' || d.place || '%';
                """;
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("CREATE TEMP TABLE demo_user ON COMMIT DROP AS SELECT id FROM app_user WHERE username = ?")) {
                ps.setString(1, analyst);
                ps.execute();
            }
            try (var st = c.createStatement()) {
                st.execute(sql);
            }
            int problems;
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM problem WHERE title LIKE '%(demo)'")) {
                rs.next();
                problems = rs.getInt(1);
            }
            c.commit();
            return problems;
        } catch (SQLException e) {
            throw new IOException("loading the demo meeting loop failed: " + e.getMessage(), e);
        }
    }
}
