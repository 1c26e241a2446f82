-- Point totals (issue 11, "interactive at any scale": hexagons). Hexagons are counted from the 50 m rollup where a
-- 50 m square lies wholly inside one hexagon; a square cut by a hexagon's edge cannot say which hexagon each of its
-- incidents is in, so it was read raw: 53 % of the squares at 100 m (so 100 m hexagons were read raw altogether),
-- 27 % at 250 m, each month of a year's window again. police.uk snaps every incident to one of a fixed set of map
-- points (V21), so the count per month and point is small and says exactly where each incident is:
--
-- point_month_total (month, i, j, x, y, n): the located incidents at their TRUE point (x, y exactly as ST_X, ST_Y
-- of the geometry; i, j its 50 m square, floor(x / 50), floor(y / 50)) per month (rollup_month), over every category
-- and source; the same sum per (month, i, j) as cell_month_total (V12). A caller who sees every incident exact and
-- asks for every category and source (IncidentFilter.countsEveryIncidentExact) counts hexagons of any size from it: a point is put
-- in its hexagon by the raw query's own SQL rule, so the counts equal the raw ones. Filtered and redacted callers
-- read as before (generalised rows and categories are not kept here).
--
-- Kept exact in the same transaction by the same paths as cell_month_count: the statements that add a statement's
-- incidents (rollup_added_statements: the bulk import and every other insert), the update and delete triggers
-- (rollup_count), rollup_rebuild and retention (rollup_forget_months_before). Rows that reach zero are removed.

CREATE TABLE point_month_total (
    month date             NOT NULL,
    i     integer          NOT NULL,
    j     integer          NOT NULL,
    x     double precision NOT NULL,
    y     double precision NOT NULL,
    n     integer          NOT NULL CHECK (n >= 0),
    PRIMARY KEY (month, i, j, x, y)
);

INSERT INTO point_month_total (month, i, j, x, y, n)
SELECT rollup_month(p.occurred_at), floor(p.x / 50)::integer, floor(p.y / 50)::integer, p.x, p.y, count(*)
FROM (SELECT x.occurred_at, ST_X(x.geom) AS x, ST_Y(x.geom) AS y FROM incident x WHERE x.geom IS NOT NULL) p
GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5;

-- Adds signed deltas (one entry per key) and drops rows that reach zero; in key order (no deadlocks).
CREATE FUNCTION point_total_add(d_month date[], d_x double precision[], d_y double precision[], d_n bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF d_month IS NULL THEN RETURN; END IF;
    INSERT INTO point_month_total AS t (month, i, j, x, y, n)
    SELECT m, floor(x / 50)::integer, floor(y / 50)::integer, x, y, n
    FROM unnest(d_month, d_x, d_y, d_n) AS d(m, x, y, n) WHERE n > 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, i, j, x, y) DO UPDATE SET n = t.n + excluded.n;
    -- decrements update (an INSERT would check n >= 0 on the proposed row before it meets the conflict)
    UPDATE point_month_total t SET n = t.n + d.n
    FROM (SELECT m, floor(x / 50)::integer AS i, floor(y / 50)::integer AS j, x, y, n
          FROM unnest(d_month, d_x, d_y, d_n) AS d(m, x, y, n) WHERE n < 0 ORDER BY 1, 2, 3, 4, 5) d
    WHERE t.month = d.m AND t.i = d.i AND t.j = d.j AND t.x = d.x AND t.y = d.y;
    DELETE FROM point_month_total t
    USING unnest(d_month, d_x, d_y, d_n) AS d(m, x, y, n)
    WHERE d.n < 0 AND t.month = d.m AND t.i = floor(d.x / 50)::integer AND t.j = floor(d.y / 50)::integer
      AND t.x = d.x AND t.y = d.y AND t.n = 0;
END $$;

-- As V23 (the months an import creates whole get their 50 m cell counts by a plain insert), with the point totals
-- added from the same per-point counts (the 'exact' rows of counted). The one-argument form (V23) calls this one.
CREATE OR REPLACE FUNCTION rollup_added_statements(rel text, blank date[]) RETURNS text[]
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
        -- the counts: incidents per point and key first, then per 50 m cell, per point and per area
        counted AS (
            SELECT x, y, month, category, source, located_as, count(*) AS n FROM p GROUP BY 1, 2, 3, 4, 5, 6),
        -- one row per key, in key order (concurrent writers lock counter rows in the same order)
        cells AS (
            INSERT INTO cell_month_count AS cm (month, i, j, category, source, located_as, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, category, source, located_as, sum(n)
            FROM counted %2$s GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = cm.n + excluded.n),
        %3$s
        points AS (
            INSERT INTO point_month_total AS pt (month, i, j, x, y, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, x, y, sum(n)
            FROM counted WHERE located_as = 'exact' GROUP BY 1, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (month, i, j, x, y) DO UPDATE SET n = pt.n + excluded.n),
        -- per area: hashed by key, then only the few area keys sorted
        areas AS MATERIALIZED (
            SELECT pa.boundary_id, c.month, c.category, c.source, c.located_as, sum(c.n) AS n
            FROM counted c JOIN point_area pa ON pa.x = c.x AND pa.y = c.y
            GROUP BY 1, 2, 3, 4, 5)
        INSERT INTO area_month_count AS a (boundary_id, month, category, source, located_as, n)
        SELECT boundary_id, month, category, source, located_as, n FROM areas ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (boundary_id, month, category, source, located_as) DO UPDATE SET n = a.n + excluded.n$q$, rel,
        CASE WHEN cardinality(blank) > 0 THEN format('WHERE month <> ALL (%L::date[])', blank) ELSE '' END,
        -- the cells of months that have none yet: all new, a plain insert (in key order: the index is filled in order)
        CASE WHEN cardinality(blank) > 0 THEN format($c$new_cells AS (
            INSERT INTO cell_month_count (month, i, j, category, source, located_as, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, category, source, located_as, sum(n)
            FROM counted WHERE month = ANY (%L::date[]) GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6),$c$, blank)
             ELSE '' END)]
$$;

-- As V21, with the point totals moved by the same rows.
CREATE OR REPLACE FUNCTION rollup_count(ids bigint[], occurred timestamptz[], categories text[], sources text[],
                                        geoms geometry[], sign integer) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    b bigint[]; m date[]; c text[]; s text[]; l text[]; n bigint[]; ci integer[]; cj integer[];
    px double precision[]; py double precision[];
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

    -- per true point, over every category and source
    SELECT array_agg(month), array_agg(x), array_agg(y), array_agg(k)
    INTO m, px, py, n
    FROM (SELECT rollup_month(r.occurred_at) AS month, ST_X(r.geom) AS x, ST_Y(r.geom) AS y, sign * count(*) AS k
          FROM unnest(occurred, geoms) AS r(occurred_at, geom)
          WHERE r.geom IS NOT NULL
          GROUP BY 1, 2, 3) d;
    PERFORM point_total_add(m, px, py, n);
END $$;

-- As V21, with the point totals recounted.
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
    DELETE FROM point_month_total;
    INSERT INTO point_month_total (month, i, j, x, y, n)
    SELECT rollup_month(p.occurred_at), floor(p.x / 50)::integer, floor(p.y / 50)::integer, p.x, p.y, count(*)
    FROM (SELECT x.occurred_at, ST_X(x.geom) AS x, ST_Y(x.geom) AS y FROM incident x WHERE x.geom IS NOT NULL) p
    GROUP BY 1, 2, 3, 4, 5;
    DELETE FROM area_month_count;
    DELETE FROM point_area;
    DELETE FROM rollup_set;
    DELETE FROM rollup_point;
    INSERT INTO rollup_point (x, y) SELECT x, y FROM rollup_incident_points();
    FOR s IN SELECT id FROM boundary_set ORDER BY level = 'neighbourhood', id LOOP
        IF NOT EXISTS (SELECT 1 FROM rollup_set WHERE set_id = s) THEN PERFORM rollup_assign_set(s); END IF;
    END LOOP;
END $$;

-- Retention: as V11, with the point totals.
CREATE OR REPLACE FUNCTION rollup_forget_months_before(p_before date) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM area_month_count WHERE month < p_before;
    DELETE FROM cell_month_count WHERE month < p_before;
    DELETE FROM point_month_total WHERE month < p_before;
$$;
