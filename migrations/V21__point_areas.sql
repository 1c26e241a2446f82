-- Areas per distinct point, not per incident (issue 11, "area assignment once"). An incident's area in a set is a
-- pure function of its point and the set (the tie rule of V9: the smallest code among the areas that intersect
-- the point; a neighbourhood is its ward's), and police.uk snaps every incident to one of a fixed set of map
-- points, so V9's incident_area (one row per incident x set x located_as, about 2.6 rows per imported incident)
-- repeated the same answer: writing it was most of an import's time. Here:
-- * rollup_point (x, y): every point that has been placed: the exact point of every located incident and the
--   generalised point (rollup_generalised) of every sensitive one, x and y the EPSG:27700 coordinates exactly
--   as stored (ST_X, ST_Y). Invariant: a point in rollup_point is placed in EVERY set of rollup_set.
-- * point_area (x, y, set_id, boundary_id): the point's area in the set. A point outside every area of a set has
--   no row for it (it is still in rollup_point, so it is not placed again).
-- * Writers place only the points not in rollup_point (rollup_place_new; concurrent writers placing the same new
--   point: the first insert into rollup_point wins and places it, the other waits for it and looks it up). A new
--   boundary set places every point of rollup_point once (rollup_assign_set).
-- * Counts go through the point: an incident's areas are point_area's rows at its exact point and, for a sensitive
--   category, at its generalised point. The counts themselves (area_month_count, cell_month_count) are unchanged.
-- * Points stay when their incidents go (deletes, retention): a placement is never wrong while its set is
--   assigned, and a set that changes is forgotten and placed afresh.

CREATE TABLE rollup_point (
    x double precision NOT NULL,
    y double precision NOT NULL,
    PRIMARY KEY (x, y)
);

CREATE TABLE point_area (
    x           double precision NOT NULL,
    y           double precision NOT NULL,
    set_id      bigint           NOT NULL,
    boundary_id bigint           NOT NULL,
    PRIMARY KEY (x, y, set_id)
);
CREATE INDEX point_area_set_idx ON point_area (set_id);

-- The areas of the points (xs[k], ys[k]) in every assigned set (p_set NULL) or in the one ward, LSOA or zone set
-- p_set: wards, LSOAs and zones by the pieces near the point (V10: a piece decides alone unless the point lies
-- within a millimetre of its outline, then the area itself decides), the tie rule keeping the smallest code per
-- set; then (p_set NULL) the neighbourhoods of the point's ward. Only sets in rollup_set have pieces.
CREATE FUNCTION rollup_place(xs double precision[], ys double precision[], p_set bigint)
    RETURNS TABLE (x double precision, y double precision, set_id bigint, boundary_id bigint)
    LANGUAGE sql STABLE AS $$
    WITH point AS (SELECT u.x, u.y, ST_SetSRID(ST_MakePoint(u.x, u.y), 27700) AS g FROM unnest(xs, ys) AS u(x, y)),
    place AS (
        SELECT DISTINCT ON (pt.x, pt.y, bp.set_id) pt.x, pt.y, bp.set_id, bp.boundary_id
        FROM point pt JOIN boundary_piece bp ON bp.geom && ST_Expand(pt.g, 0.001)
        WHERE (p_set IS NULL OR bp.set_id = p_set)
          AND CASE WHEN ST_DWithin(bp.outline, pt.g, 0.001)
                   THEN ST_Intersects((SELECT b.geom FROM boundary b WHERE b.id = bp.boundary_id), pt.g)
                   ELSE ST_Intersects(bp.geom, pt.g) END
        ORDER BY pt.x, pt.y, bp.set_id, bp.code)
    SELECT * FROM place
    UNION ALL
    SELECT pl.x, pl.y, n.set_id, n.id
    FROM place pl
    JOIN neighbourhood_ward nw ON nw.ward_id = pl.boundary_id
    JOIN boundary n ON n.id = nw.neighbourhood_id
    JOIN boundary_set ns ON ns.id = n.set_id AND ns.based_on = pl.set_id AND ns.level = 'neighbourhood'
    JOIN rollup_set r ON r.set_id = ns.id
    WHERE p_set IS NULL
$$;

-- Places the points (xs[k], ys[k]) that are not in rollup_point yet, in every assigned set. A point another
-- transaction is placing at the same time is left to it: the insert into rollup_point waits for that transaction
-- and skips the point, and the caller's next statement (a new snapshot) reads its areas.
CREATE FUNCTION rollup_place_new(xs double precision[], ys double precision[]) RETURNS void
    LANGUAGE sql AS $$
    WITH marked AS (
        INSERT INTO rollup_point (x, y)
        SELECT u.x, u.y FROM unnest(xs, ys) AS u(x, y) ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        RETURNING x, y),
    placed AS (SELECT array_agg(m.x) AS xs, array_agg(m.y) AS ys FROM marked m)
    INSERT INTO point_area (x, y, set_id, boundary_id)
    SELECT f.x, f.y, f.set_id, f.boundary_id FROM placed CROSS JOIN LATERAL rollup_place(placed.xs, placed.ys, NULL) f
    ORDER BY 1, 2, 3;
$$;

-- The statements that add the incidents of rel to every rollup (see V11): 1. place the new points (exact, and
-- generalised for sensitive categories); 2. count the incidents per point and key once, then per 50 m cell and
-- per area through point_area (every point of rel is placed by then).
CREATE OR REPLACE FUNCTION rollup_added_statements(rel text) RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[format($q$
        SELECT rollup_place_new(array_agg(d.x), array_agg(d.y))
        FROM (SELECT ST_X(n.geom) AS x, ST_Y(n.geom) AS y FROM %1$s n WHERE n.geom IS NOT NULL
              UNION
              SELECT ST_X(g.geom), ST_Y(g.geom)
              FROM %1$s n JOIN incident_category c ON c.code = n.category AND c.sensitive
              CROSS JOIN LATERAL (SELECT rollup_generalised(n.geom) AS geom) g
              WHERE n.geom IS NOT NULL) d
        WHERE NOT EXISTS (SELECT 1 FROM rollup_point r WHERE r.x = d.x AND r.y = d.y)$q$, rel),
    format($q$
        WITH p AS (
            SELECT 'exact' AS located_as, ST_X(n.geom) AS x, ST_Y(n.geom) AS y, rollup_month(n.occurred_at) AS month,
                   n.category, n.source
            FROM %1$s n WHERE n.geom IS NOT NULL
            UNION ALL
            SELECT 'generalised', ST_X(g.geom), ST_Y(g.geom), rollup_month(n.occurred_at), n.category, n.source
            FROM %1$s n JOIN incident_category c ON c.code = n.category AND c.sensitive
            CROSS JOIN LATERAL (SELECT rollup_generalised(n.geom) AS geom) g
            WHERE n.geom IS NOT NULL),
        -- the counts: incidents per point and key first, then per 50 m cell and per area
        counted AS (
            SELECT x, y, month, category, source, located_as, count(*) AS n FROM p GROUP BY 1, 2, 3, 4, 5, 6),
        -- one row per key, in key order (concurrent writers lock counter rows in the same order)
        cells AS (
            INSERT INTO cell_month_count AS cm (month, i, j, category, source, located_as, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, category, source, located_as, sum(n)
            FROM counted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = cm.n + excluded.n),
        -- per area: hashed by key, then only the few area keys sorted
        areas AS MATERIALIZED (
            SELECT pa.boundary_id, c.month, c.category, c.source, c.located_as, sum(c.n) AS n
            FROM counted c JOIN point_area pa ON pa.x = c.x AND pa.y = c.y
            GROUP BY 1, 2, 3, 4, 5)
        INSERT INTO area_month_count AS a (boundary_id, month, category, source, located_as, n)
        SELECT boundary_id, month, category, source, located_as, n FROM areas ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (boundary_id, month, category, source, located_as) DO UPDATE SET n = a.n + excluded.n$q$, rel)]
$$;

-- The counts of rows (id, occurred_at, category, source, geom) at their points' areas and cells, added with sign
-- (+1 or -1): the update and delete triggers (V9) call it with the transition tables' rows as arrays.
CREATE OR REPLACE FUNCTION rollup_count(ids bigint[], occurred timestamptz[], categories text[], sources text[],
                                        geoms geometry[], sign integer) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    b bigint[]; m date[]; c text[]; s text[]; l text[]; n bigint[]; ci integer[]; cj integer[];
BEGIN
    -- per area: the rows at their points (exact, and generalised for sensitive categories), joined to point_area
    SELECT array_agg(boundary_id), array_agg(month), array_agg(category), array_agg(source), array_agg(located_as),
           array_agg(k)
    INTO b, m, c, s, l, n
    FROM (SELECT pa.boundary_id, p.month, p.category, p.source, p.located_as, sign * count(*) AS k
          FROM (SELECT rollup_month(r.occurred_at) AS month, r.category, r.source, 'exact' AS located_as,
                       ST_X(r.geom) AS x, ST_Y(r.geom) AS y
                FROM unnest(occurred, categories, sources, geoms) AS r(occurred_at, category, source, geom)
                WHERE r.geom IS NOT NULL
                UNION ALL
                SELECT rollup_month(r.occurred_at), r.category, r.source, 'generalised', ST_X(g.geom), ST_Y(g.geom)
                FROM unnest(occurred, categories, sources, geoms) AS r(occurred_at, category, source, geom)
                JOIN incident_category ic ON ic.code = r.category AND ic.sensitive
                CROSS JOIN LATERAL (SELECT rollup_generalised(r.geom) AS geom) g
                WHERE r.geom IS NOT NULL) p
          JOIN point_area pa ON pa.x = p.x AND pa.y = p.y
          GROUP BY 1, 2, 3, 4, 5) d;
    PERFORM rollup_add_area(b, m, c, s, l, n);

    -- per 50 m cell (as V9)
    SELECT array_agg(month), array_agg(i), array_agg(j), array_agg(category), array_agg(source), array_agg(located_as),
           array_agg(k)
    INTO m, ci, cj, c, s, l, n
    FROM (SELECT rollup_month(p.occurred_at) AS month, floor(ST_X(p.g) / 50)::integer AS i,
                 floor(ST_Y(p.g) / 50)::integer AS j, p.category, p.source, p.located_as, sign * count(*) AS k
          FROM (SELECT r.occurred_at, r.category, r.source, 'exact' AS located_as, r.geom AS g
                FROM unnest(occurred, categories, sources, geoms) AS r(occurred_at, category, source, geom)
                WHERE r.geom IS NOT NULL
                UNION ALL
                SELECT r.occurred_at, r.category, r.source, 'generalised', rollup_generalised(r.geom)
                FROM unnest(occurred, categories, sources, geoms) AS r(occurred_at, category, source, geom)
                JOIN incident_category ic ON ic.code = r.category AND ic.sensitive
                WHERE r.geom IS NOT NULL) p
          GROUP BY 1, 2, 3, 4, 5, 6) d;
    PERFORM rollup_add_cell(m, ci, cj, c, s, l, n);
END $$;

-- Places the points of located incidents (their exact points, and the generalised points of sensitive ones)
-- that are not placed yet.
CREATE OR REPLACE FUNCTION rollup_assign_incidents(ids bigint[], categories text[], geoms geometry[]) RETURNS void
    LANGUAGE sql AS $$
    SELECT rollup_place_new(array_agg(d.x), array_agg(d.y))
    FROM (SELECT ST_X(r.geom) AS x, ST_Y(r.geom) AS y FROM unnest(geoms) AS r(geom) WHERE r.geom IS NOT NULL
          UNION
          SELECT ST_X(g.geom), ST_Y(g.geom)
          FROM unnest(categories, geoms) AS r(category, geom) JOIN incident_category c ON c.code = r.category AND c.sensitive
          CROSS JOIN LATERAL (SELECT rollup_generalised(r.geom) AS geom) g
          WHERE r.geom IS NOT NULL) d
    WHERE NOT EXISTS (SELECT 1 FROM rollup_point p WHERE p.x = d.x AND p.y = d.y);
$$;

CREATE OR REPLACE FUNCTION rollup_incident_delete() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[]; o timestamptz[]; c text[]; s text[]; g geometry[];
BEGIN
    SELECT array_agg(id), array_agg(occurred_at), array_agg(category), array_agg(source), array_agg(geom)
    INTO ids, o, c, s, g FROM old_rows WHERE geom IS NOT NULL;
    IF ids IS NULL THEN RETURN NULL; END IF;
    PERFORM rollup_count(ids, o, c, s, g, -1);
    RETURN NULL;
END $$;

-- Only rows whose place, category, source or time changed move; a status change costs one join.
CREATE OR REPLACE FUNCTION rollup_incident_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[]; o timestamptz[]; c text[]; s text[]; g geometry[];
    changed bigint[];
BEGIN
    SELECT array_agg(n.id) INTO changed
    FROM new_rows n JOIN old_rows p ON p.id = n.id
    WHERE (n.occurred_at, n.category, n.source) IS DISTINCT FROM (p.occurred_at, p.category, p.source)
       OR ST_AsEWKB(n.geom) IS DISTINCT FROM ST_AsEWKB(p.geom);
    IF changed IS NULL THEN RETURN NULL; END IF;
    SELECT array_agg(id), array_agg(occurred_at), array_agg(category), array_agg(source), array_agg(geom)
    INTO ids, o, c, s, g FROM old_rows WHERE id = ANY (changed) AND geom IS NOT NULL;
    IF ids IS NOT NULL THEN
        PERFORM rollup_count(ids, o, c, s, g, -1);
    END IF;
    SELECT array_agg(id), array_agg(occurred_at), array_agg(category), array_agg(source), array_agg(geom)
    INTO ids, o, c, s, g FROM new_rows WHERE id = ANY (changed) AND geom IS NOT NULL;
    IF ids IS NOT NULL THEN
        PERFORM rollup_assign_incidents(ids, c, g);
        PERFORM rollup_count(ids, o, c, s, g, 1);
    END IF;
    RETURN NULL;
END $$;

-- Removes a set's placements and area counts (its row in rollup_set too): readers then read raw rows for it.
CREATE OR REPLACE FUNCTION rollup_forget_sets(sets bigint[], boundaries bigint[]) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM area_month_count
    WHERE boundary_id IN (SELECT id FROM boundary WHERE set_id = ANY (sets)
                          UNION ALL SELECT unnest(boundaries));
    DELETE FROM point_area WHERE set_id = ANY (sets);
    DELETE FROM rollup_set WHERE set_id = ANY (sets);
$$;

-- Places every point of rollup_point in one boundary set (one spatial join) and adds the set's area counts from
-- every located incident. Idempotent (a set assigned before is assigned afresh). A neighbourhood set is placed
-- through its ward set, which is assigned first if it is not yet.
CREATE OR REPLACE FUNCTION rollup_assign_set(p_set bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    lvl text; base bigint;
BEGIN
    SELECT level, based_on INTO lvl, base FROM boundary_set WHERE id = p_set;
    IF lvl IS NULL THEN RAISE EXCEPTION 'no boundary set %', p_set; END IF;
    -- incidents written concurrently would miss the new set: let them finish first, and hold new ones until this
    -- transaction ends (boundary imports are rare). rollup_point too: the bulk import (incident_insert_rows) places
    -- a new month's points before it takes any lock on incident, and a point placed without this set would stay so.
    LOCK TABLE incident IN SHARE MODE;
    LOCK TABLE rollup_point IN SHARE MODE;
    -- a set assigned before is assigned afresh (a new set has nothing to forget: skip the scan)
    IF EXISTS (SELECT 1 FROM rollup_set WHERE set_id = p_set) THEN PERFORM rollup_forget_sets(ARRAY[p_set], NULL); END IF;
    IF lvl = 'neighbourhood' THEN
        IF NOT EXISTS (SELECT 1 FROM rollup_set WHERE set_id = base) THEN PERFORM rollup_assign_set(base); END IF;
        INSERT INTO point_area (x, y, set_id, boundary_id)
        SELECT pa.x, pa.y, p_set, n.id
        FROM point_area pa
        JOIN neighbourhood_ward nw ON nw.ward_id = pa.boundary_id
        JOIN boundary n ON n.id = nw.neighbourhood_id AND n.set_id = p_set
        WHERE pa.set_id = base;
        INSERT INTO rollup_set (set_id) VALUES (p_set);
    ELSE
        -- first listed, so the set has its pieces (V10's trigger on rollup_set) to place the points by
        INSERT INTO rollup_set (set_id) VALUES (p_set);
        INSERT INTO point_area (x, y, set_id, boundary_id)
        SELECT f.x, f.y, f.set_id, f.boundary_id
        FROM (SELECT array_agg(r.x) AS xs, array_agg(r.y) AS ys FROM rollup_point r) a
        CROSS JOIN LATERAL rollup_place(a.xs, a.ys, p_set) f
        ORDER BY 1, 2, 3;
    END IF;
    INSERT INTO area_month_count (boundary_id, month, category, source, located_as, n)
    SELECT pa.boundary_id, c.month, c.category, c.source, c.located_as, sum(c.n)
    FROM (SELECT p.x, p.y, rollup_month(p.occurred_at) AS month, p.category, p.source, p.located_as, count(*) AS n
          FROM (SELECT ST_X(x.geom) AS x, ST_Y(x.geom) AS y, x.occurred_at, x.category, x.source, 'exact' AS located_as
                FROM incident x WHERE x.geom IS NOT NULL
                UNION ALL
                SELECT ST_X(g.geom), ST_Y(g.geom), x.occurred_at, x.category, x.source, 'generalised'
                FROM incident x JOIN incident_category ic ON ic.code = x.category AND ic.sensitive
                CROSS JOIN LATERAL (SELECT rollup_generalised(x.geom) AS geom) g
                WHERE x.geom IS NOT NULL) p
          GROUP BY 1, 2, 3, 4, 5, 6) c
    JOIN point_area pa ON pa.set_id = p_set AND pa.x = c.x AND pa.y = c.y
    GROUP BY 1, 2, 3, 4, 5;
END $$;

-- Recomputes every rollup from the incident table (after a category's sensitivity changes): every point of
-- every located incident is placed afresh.
CREATE OR REPLACE FUNCTION rollup_rebuild() RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    s bigint;
BEGIN
    DELETE FROM cell_month_count;
    INSERT INTO cell_month_count (month, i, j, category, source, located_as, n)
    SELECT rollup_month(p.occurred_at), floor(ST_X(p.g) / 50)::integer, floor(ST_Y(p.g) / 50)::integer,
           p.category, p.source, p.located_as, count(*)
    FROM (SELECT x.occurred_at, x.category, x.source, 'exact' AS located_as, x.geom AS g
          FROM incident x WHERE x.geom IS NOT NULL
          UNION ALL
          SELECT x.occurred_at, x.category, x.source, 'generalised', rollup_generalised(x.geom)
          FROM incident x JOIN incident_category c ON c.code = x.category AND c.sensitive
          WHERE x.geom IS NOT NULL) p
    GROUP BY 1, 2, 3, 4, 5, 6;
    DELETE FROM area_month_count;
    DELETE FROM point_area;
    DELETE FROM rollup_set;
    DELETE FROM rollup_point;
    INSERT INTO rollup_point (x, y) SELECT x, y FROM rollup_incident_points();
    FOR s IN SELECT id FROM boundary_set ORDER BY level = 'neighbourhood', id LOOP
        IF NOT EXISTS (SELECT 1 FROM rollup_set WHERE set_id = s) THEN PERFORM rollup_assign_set(s); END IF;
    END LOOP;
END $$;

-- The distinct points of every located incident: exact, and generalised for sensitive categories.
CREATE FUNCTION rollup_incident_points() RETURNS TABLE (x double precision, y double precision)
    LANGUAGE sql STABLE AS $$
    SELECT ST_X(i.geom), ST_Y(i.geom) FROM incident i WHERE i.geom IS NOT NULL
    UNION
    SELECT ST_X(g.geom), ST_Y(g.geom)
    FROM incident i JOIN incident_category c ON c.code = i.category AND c.sensitive
    CROSS JOIN LATERAL (SELECT rollup_generalised(i.geom) AS geom) g
    WHERE i.geom IS NOT NULL
$$;

-- Retention: as V11's, without incident_area (a dropped month's points stay placed).
CREATE OR REPLACE FUNCTION incident_drop_months_before(p_before date) RETURNS TABLE (month date, incidents bigint)
    LANGUAGE plpgsql AS $$
DECLARE
    cut  timestamptz := p_before::timestamp AT TIME ZONE 'Europe/London';
    part record;
BEGIN
    IF p_before <> date_trunc('month', p_before)::date THEN RAISE EXCEPTION 'not the first day of a month: %', p_before; END IF;
    LOCK TABLE incident IN ACCESS EXCLUSIVE MODE;
    FOR part IN
        SELECT c.relname, to_date(substr(c.relname, 10), 'YYYY_MM') AS m
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'incident'::regclass AND c.relname ~ '^incident_[0-9]{4}_[0-9]{2}$'
          AND to_date(substr(c.relname, 10), 'YYYY_MM') < p_before
        ORDER BY 2
    LOOP
        month := part.m;
        EXECUTE format('DELETE FROM incident_key WHERE id IN (SELECT id FROM %I)', part.relname);
        GET DIAGNOSTICS incidents = ROW_COUNT;
        EXECUTE format('DROP TABLE %I', part.relname);
        RETURN NEXT;
    END LOOP;
    -- what is left before the cut is in the default partition: deleted row by row, through the triggers
    DELETE FROM incident WHERE occurred_at < cut;
    GET DIAGNOSTICS incidents = ROW_COUNT;
    IF incidents > 0 THEN
        month := NULL;
        RETURN NEXT;
    END IF;
    PERFORM rollup_forget_months_before(p_before);
END $$;

-- The existing data: every located incident's points, placed in every assigned set (the same answers as the
-- incident_area rows they replace: the same pieces and tie rule); the counts stay as they are.
INSERT INTO rollup_point (x, y) SELECT x, y FROM rollup_incident_points() ORDER BY 1, 2;
INSERT INTO point_area (x, y, set_id, boundary_id)
SELECT f.x, f.y, f.set_id, f.boundary_id
FROM (SELECT array_agg(r.x) AS xs, array_agg(r.y) AS ys FROM rollup_point r) a
CROSS JOIN LATERAL rollup_place(a.xs, a.ys, NULL) f
ORDER BY 1, 2, 3;
DROP TABLE incident_area;
