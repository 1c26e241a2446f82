-- Assigning a boundary set (rollup_assign_set) runs in the transaction that wrote the set, before the planner has any
-- statistics for its rows; two of its statements were planned into quadratic work that way (the answers are unchanged):
--
-- 1. Placing points in one boundary set (rollup_assign_set: a new ward set, or a set assigned afresh) probes the pieces
-- near each point through their spatial index alone. V21's rollup_place compared bp.set_id with the set, and right
-- after a set's pieces are written (the trigger on rollup_set, in the same transaction) the planner has no statistics
-- for them: it ANDed the spatial index with boundary_piece_set_idx, which reads every piece of the set for every point
-- (nationally 22,000 pieces x 100,000 points: 200 s to assign England's wards afresh instead of a few). The set is
-- now tested on the few pieces the spatial index finds (bp.set_id + 0 keeps the planner off the set's index).
CREATE OR REPLACE FUNCTION rollup_place(xs double precision[], ys double precision[], p_set bigint)
    RETURNS TABLE (x double precision, y double precision, set_id bigint, boundary_id bigint)
    LANGUAGE sql STABLE AS $$
    WITH point AS (SELECT u.x, u.y, ST_SetSRID(ST_MakePoint(u.x, u.y), 27700) AS g FROM unnest(xs, ys) AS u(x, y)),
    place AS (
        SELECT DISTINCT ON (pt.x, pt.y, bp.set_id) pt.x, pt.y, bp.set_id, bp.boundary_id
        FROM point pt JOIN boundary_piece bp ON bp.geom && ST_Expand(pt.g, 0.001)
        WHERE (p_set IS NULL OR bp.set_id + 0 = p_set)
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

-- 2. A neighbourhood set's points come from its ward set's: each point looks up its ward's neighbourhood. The rest of
-- the function is V21's.
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
        -- each point of the ward set looks up its ward's neighbourhood (neighbourhood_ward_ward_idx, then the boundary by
        -- id; OFFSET 0 keeps the lookup per point, n.set_id + 0 keeps it off the set's index): joined freely, a set of
        -- neighbourhoods just written (no statistics) was planned as one row, and every ward rescanned all the ward set's
        -- points (nationally 7,600 wards x 100,000 points: 86 s instead of 0.7)
        INSERT INTO point_area (x, y, set_id, boundary_id)
        SELECT pa.x, pa.y, p_set, m.id
        FROM point_area pa
        CROSS JOIN LATERAL (SELECT n.id FROM neighbourhood_ward nw JOIN boundary n ON n.id = nw.neighbourhood_id
                            WHERE nw.ward_id = pa.boundary_id AND n.set_id + 0 = p_set OFFSET 0) m
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
