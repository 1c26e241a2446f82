package aim.assets;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Generated community assets for the demo borough: schools, GP surgeries, pharmacies, libraries, hubs,
 * youth clubs (two of them close together, so the overlap view has something to show), parks as polygons,
 * a few services with Open Referral details, and three people assets with made-up example.org contacts.
 * Every name ends in "(demo)", every row has {@code demo = true}, and positions come from
 * {@code ST_GeneratePoints} with fixed seeds inside the demo wards, so they are the same on every machine;
 * uids are derived from the names. Some last_checked dates are old, so stale assets show too.
 */
public final class DemoAssets {
    private static final String SQL = """
            WITH wards AS (
                SELECT b.code, b.name, b.geom, row_number() OVER (ORDER BY b.code)::int AS n
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo'),
            places (category, suffix, ward_numbers, shape) AS (VALUES
                ('primary-school',   'Primary School',       ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20], 'point'),
                ('secondary-school', 'Academy',              ARRAY[2,7,12,17], 'point'),
                ('gp-surgery',       'Medical Practice',     ARRAY[1,4,6,8,11,13,16,19], 'point'),
                ('pharmacy',         'Pharmacy',             ARRAY[2,5,7,10,12,14,17,20], 'point'),
                ('library',          'Library',              ARRAY[1,5,10,14,18], 'point'),
                ('community-hub',    'Community Hub',        ARRAY[4,8,13,19], 'point'),
                ('youth-club',       'Youth Club',           ARRAY[1,6,12,18], 'point'),
                ('place-of-worship', 'Parish Church',        ARRAY[2,9,13,20], 'point'),
                ('sports-facility',  'Leisure Centre',       ARRAY[6,15], 'point'),
                ('food-bank',        'Food Bank',            ARRAY[9], 'point'),
                ('police-base',      'Police Office',        ARRAY[10], 'point'),
                ('park-green-space', 'Park',                 ARRAY[3,9,11,16], 'polygon')),
            generated AS (
                SELECT p.category, w.name || ' ' || p.suffix || ' (demo)' AS name, w.n, p.shape,
                       ST_GeometryN(ST_GeneratePoints(w.geom, 1, 1000 * w.n + length(p.category) * 7 + ascii(p.category)), 1) AS point
                FROM places p JOIN wards w ON w.n = ANY (p.ward_numbers))
            INSERT INTO asset (uid, kind, category, name, description, geom, last_checked, demo, source)
            SELECT md5('aim-demo-asset/' || g.name)::uuid, 'place', g.category, g.name,
                   'Generated demo asset: not a real place.',
                   CASE WHEN g.shape = 'polygon' THEN ST_Buffer(g.point, 120, 'quad_segs=4') ELSE g.point END,
                   current_date - ((g.n * 37 + length(g.name) * 11) % 540), true, 'demo'
            FROM generated g
            ON CONFLICT (uid) DO NOTHING;

            -- a second youth club 300 m from the one in ward 12: overlapping provision
            INSERT INTO asset (uid, kind, category, name, description, geom, last_checked, demo, source)
            SELECT md5('aim-demo-asset/second-youth-club')::uuid, 'place', 'youth-club', 'Riverside Youth Project (demo)',
                   'Generated demo asset: not a real place.', ST_Translate(a.geom, 240, 180), current_date - 30, true, 'demo'
            FROM asset a WHERE a.uid = md5('aim-demo-asset/' || (SELECT name FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code OFFSET 11 LIMIT 1) || ' Youth Club (demo)')::uuid
            ON CONFLICT (uid) DO NOTHING;

            INSERT INTO organisation (uid, name, description, email, url) VALUES
                (md5('aim-demo-org/youth')::uuid, 'Demo Youth Trust (demo)', 'Generated demo organisation.', 'hello@youth.example.org', 'https://youth.example.org'),
                (md5('aim-demo-org/advice')::uuid, 'Demo Advice Centre (demo)', 'Generated demo organisation.', 'advice@advice.example.org', 'https://advice.example.org'),
                (md5('aim-demo-org/food')::uuid, 'Demo Food Partnership (demo)', 'Generated demo organisation.', NULL, NULL)
            ON CONFLICT (uid) DO NOTHING;

            WITH wards AS (
                SELECT b.code, b.geom, row_number() OVER (ORDER BY b.code)::int AS n
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo'),
            hub AS (SELECT a.geom FROM asset a WHERE a.demo AND a.category = 'community-hub' ORDER BY a.name LIMIT 1),
            pantry AS (SELECT a.geom FROM asset a WHERE a.demo AND a.category = 'food-bank' LIMIT 1)
            INSERT INTO asset (uid, kind, category, name, description, organisation_id, geom, venue, status, fees, referral,
                               attending_type, attending_access, contacts, schedules, eligibility, cost_options, languages,
                               service_area_wards, service_area_name, last_checked, demo, source)
            SELECT md5('aim-demo-asset/' || v.name)::uuid, 'service', v.category, v.name, v.description,
                   (SELECT id FROM organisation WHERE uid = md5('aim-demo-org/' || v.org)::uuid), v.geom, v.venue, 'active', v.fees,
                   v.referral, v.attending_type, v.attending_access, v.contacts::jsonb, v.schedules::jsonb, v.eligibility::jsonb,
                   v.costs::jsonb, v.languages, v.wards, v.area_name, current_date - v.age, true, 'demo'
            FROM (VALUES
                ('Youth drop-in (demo)', 'youth-club', 'Evening drop-in sessions for young people: games, cooking, advice.', 'youth',
                 (SELECT geom FROM hub), 'Community hub (demo)', 'Free', 'Drop in; no referral needed', 'venue', 'drop-in',
                 '[{"title": "Youth worker", "email": "dropin@youth.example.org", "phones": ["01632 960001"]}]',
                 '[{"byday": "TU,TH", "opens_at": "16:00", "closes_at": "20:00", "freq": "WEEKLY", "description": "Tuesdays and Thursdays, 4pm to 8pm"}]',
                 '[{"eligibility": "Young people", "minimum_age": 11, "maximum_age": 19}]', '[]', ARRAY['English'],
                 (SELECT array_agg(code ORDER BY code) FROM wards WHERE n IN (4, 5, 8)), NULL::text, 40),
                ('Money and benefits advice (demo)', 'money-advice', 'Help with debts, benefits and budgeting.', 'advice',
                 (SELECT geom FROM hub), 'Community hub (demo)', 'Free', 'Book by phone or drop in', 'venue', 'appointment',
                 '[{"title": "Advice line", "phones": ["01632 960002"]}]',
                 '[{"byday": "MO,WE", "opens_at": "09:30", "closes_at": "12:30", "freq": "WEEKLY", "description": "Mondays and Wednesdays, mornings"}]',
                 '[{"eligibility": "Residents of the demo borough", "minimum_age": 18}]', '[]', ARRAY['English', 'Urdu', 'Polish'],
                 (SELECT array_agg(code ORDER BY code) FROM wards), 'The demo borough', 120),
                ('Community food pantry (demo)', 'food-bank', 'A weekly shop of fresh and store-cupboard food at a low price.', 'food',
                 (SELECT geom FROM pantry), 'Food bank (demo)', 'Membership £3.50 a week', 'Referral by a support worker, or self-referral',
                 'venue', 'membership', '[]',
                 '[{"byday": "FR", "opens_at": "10:00", "closes_at": "13:00", "freq": "WEEKLY", "description": "Fridays, 10am to 1pm"}]',
                 '[{"eligibility": "Households in the demo borough on a low income"}]',
                 '[{"option": "Weekly shop", "amount": 3.50, "amount_description": "per household per week"}]', ARRAY['English'],
                 ARRAY[]::text[], NULL, 400),
                ('Detached youth work (demo)', 'youth-outreach', 'Youth workers on the streets and in parks on weekend evenings.', 'youth',
                 NULL::geometry, NULL, 'Free', 'Youth workers find young people where they meet', 'outreach', NULL, '[]',
                 '[{"byday": "FR,SA", "opens_at": "18:00", "closes_at": "22:00", "freq": "WEEKLY", "description": "Friday and Saturday evenings"}]',
                 '[{"minimum_age": 11, "maximum_age": 18}]', '[]', ARRAY['English'],
                 (SELECT array_agg(code ORDER BY code) FROM wards WHERE n IN (3, 15)), NULL, 200)
            ) AS v(name, category, description, org, geom, venue, fees, referral, attending_type, attending_access, contacts,
                   schedules, eligibility, costs, languages, wards, area_name, age)
            ON CONFLICT (uid) DO NOTHING;

            WITH wards AS (
                SELECT b.geom, row_number() OVER (ORDER BY b.code)::int AS n
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo')
            INSERT INTO asset (uid, kind, category, name, description, geom, contacts, last_checked, demo, source)
            SELECT md5('aim-demo-asset/' || v.name)::uuid, 'people', v.category, v.name, 'Generated demo person or group: not real.',
                   ST_GeometryN(ST_GeneratePoints(w.geom, 1, 7000 + w.n), 1), v.contacts::jsonb, current_date - 60, true, 'demo'
            FROM (VALUES
                ('Demo Community Champion (demo)', 'community-champion', 3,
                 '[{"name": "Alex Example", "email": "champion@example.org", "phones": ["01632 960101"]}]'),
                ('Demo Residents'' Association (demo)', 'residents-group', 9,
                 '[{"name": "Sam Example", "title": "Chair", "email": "residents@example.org"}]'),
                ('Demo Litter-pick Volunteers (demo)', 'volunteer', 15,
                 '[{"name": "Jo Example", "phones": ["01632 960103"]}]')
            ) AS v(name, category, ward, contacts)
            JOIN wards w ON w.n = v.ward
            ON CONFLICT (uid) DO NOTHING;
            """;

    private DemoAssets() {
    }

    /** Loads the demo assets over the demo wards (nothing twice); returns how many demo assets there are. */
    public static int load(DataSource dataSource) throws IOException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute(SQL);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM asset WHERE demo")) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IOException("loading demo assets failed: " + e.getMessage(), e);
        }
    }
}
