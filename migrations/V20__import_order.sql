-- Faster imports (issue 11, session 6). Measured with ./aim bench incident-import --borough demo (see the README),
-- the one rollup statement spent most of its time writing incident_area (about 2.6 rows per incident) in the
-- order of its join (by point), so every row went to a random place of the table's primary key: once that index
-- outgrows shared_buffers, each insert reads and dirties a page. Here:
-- * rollup_added_statements writes incident_area in key order (incident_id, set_id, located_as). New incidents have
--   the largest ids, so the index is only appended to. The area counts are grouped by hashing, and only their few
--   keys sorted. Everything else is as in V11: the same rows, the same counts.
-- * incident_insert_rows (the bulk path) sorts, groups and joins in memory: 256 MB per sort or hash (an import of
--   1,000,000 rows groups about 1.3 million point keys and sorts 2.6 million area rows, which spilled to disk at 64 MB).
--   It runs one import at a time per source, so the memory is bounded.

CREATE OR REPLACE FUNCTION rollup_added_statements(rel text) RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[format($q$
        WITH p AS (
            SELECT n.id, 'exact' AS located_as, ST_X(n.geom) AS x, ST_Y(n.geom) AS y, rollup_month(n.occurred_at) AS month,
                   n.category, n.source
            FROM %1$s n WHERE n.geom IS NOT NULL
            UNION ALL
            SELECT n.id, 'generalised', ST_X(g.geom), ST_Y(g.geom), rollup_month(n.occurred_at), n.category, n.source
            FROM %1$s n JOIN incident_category c ON c.code = n.category AND c.sensitive
            CROSS JOIN LATERAL (SELECT rollup_generalised(n.geom) AS geom) g
            WHERE n.geom IS NOT NULL),
        point AS (SELECT x, y, ST_SetSRID(ST_MakePoint(x, y), 27700) AS g FROM (SELECT DISTINCT x, y FROM p) d),
        -- wards, LSOAs and zones: the pieces near the point. A piece decides alone unless the point lies
        -- within a millimetre of its outline (its area's edge, or a cut whose vertices PostGIS rounded):
        -- then the area itself decides. The tie rule then keeps the smallest code per set.
        place AS (
            SELECT DISTINCT ON (pt.x, pt.y, bp.set_id) pt.x, pt.y, bp.set_id, bp.boundary_id
            FROM point pt JOIN boundary_piece bp ON bp.geom && ST_Expand(pt.g, 0.001)
            WHERE CASE WHEN ST_DWithin(bp.outline, pt.g, 0.001)
                       THEN ST_Intersects((SELECT b.geom FROM boundary b WHERE b.id = bp.boundary_id), pt.g)
                       ELSE ST_Intersects(bp.geom, pt.g) END
            ORDER BY pt.x, pt.y, bp.set_id, bp.code),
        -- neighbourhoods: those of the point's ward
        placed AS (
            SELECT * FROM place
            UNION ALL
            SELECT pl.x, pl.y, n.set_id, n.id
            FROM place pl
            JOIN neighbourhood_ward nw ON nw.ward_id = pl.boundary_id
            JOIN boundary n ON n.id = nw.neighbourhood_id
            JOIN boundary_set ns ON ns.id = n.set_id AND ns.based_on = pl.set_id AND ns.level = 'neighbourhood'
            JOIN rollup_set r ON r.set_id = ns.id),
        stored AS (
            INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
            SELECT p.id, pl.set_id, p.located_as, pl.boundary_id FROM p JOIN placed pl ON pl.x = p.x AND pl.y = p.y
            -- in key order: the new ids are the largest, so every row is appended at the index's right edge
            ORDER BY 1, 2, 3),
        -- the counts: incidents per point and key first, then per 50 m cell and per area
        counted AS (
            SELECT x, y, month, category, source, located_as, count(*) AS n FROM p GROUP BY 1, 2, 3, 4, 5, 6),
        -- one row per key, in key order (concurrent writers lock counter rows in the same order)
        cells AS (
            INSERT INTO cell_month_count AS cm (month, i, j, category, source, located_as, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, category, source, located_as, sum(n)
            FROM counted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = cm.n + excluded.n),
        -- per area: hashed by key, then only the few area keys sorted (grouping by a sort sorted every point's rows)
        areas AS MATERIALIZED (
            SELECT pl.boundary_id, c.month, c.category, c.source, c.located_as, sum(c.n) AS n
            FROM counted c JOIN placed pl ON pl.x = c.x AND pl.y = c.y
            GROUP BY 1, 2, 3, 4, 5)
        INSERT INTO area_month_count AS a (boundary_id, month, category, source, located_as, n)
        SELECT boundary_id, month, category, source, located_as, n FROM areas ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (boundary_id, month, category, source, located_as) DO UPDATE SET n = a.n + excluded.n$q$, rel)]
$$;

ALTER FUNCTION incident_insert_rows(regclass) SET work_mem = '256MB';
