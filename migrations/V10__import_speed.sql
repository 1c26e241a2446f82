-- Fast imports with exact rollups (issue 11). An INSERT into incident of N rows paid, per row, a
-- foreign-key check on its category (a row-level trigger running one query per row) and, per statement,
-- a point-in-polygon join against whole ward polygons passed around as arrays. Here:
-- * the category reference is checked once per statement (a statement-level trigger over the transition
--   table, with the same locking and the same error as the foreign key it replaces);
-- * each area of an assigned set is also kept cut into pieces of at most 64 vertices (boundary_piece),
--   so locating a point tests a small polygon found by its GiST index;
-- * the insert trigger reads its transition table directly and adds one row per distinct key, in key
--   order, to each rollup (one statement for the areas, one for the cells).
-- Updates and deletes keep V9's triggers (they are small, and exact either way).

-- 1. incident.category: a statement-level check in place of the row-level foreign key.
ALTER TABLE incident DROP CONSTRAINT incident_category_fkey;

CREATE FUNCTION incident_category_check() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    IF TG_TABLE_NAME = 'incident' THEN
        -- lock the categories used, as the foreign key did: deleting one of them waits for this transaction
        PERFORM 1 FROM incident_category WHERE code IN (SELECT DISTINCT category FROM new_rows) FOR KEY SHARE;
        SELECT n.category INTO missing FROM (SELECT DISTINCT category FROM new_rows) n
        WHERE NOT EXISTS (SELECT 1 FROM incident_category c WHERE c.code = n.category) LIMIT 1;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT o.code INTO missing FROM old_rows o
        WHERE EXISTS (SELECT 1 FROM incident i WHERE i.category = o.code) LIMIT 1;
    ELSE
        SELECT o.code INTO missing FROM old_rows o
        WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.code = o.code)
          AND EXISTS (SELECT 1 FROM incident i WHERE i.category = o.code) LIMIT 1;
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'incident category "%" is %', missing,
                CASE WHEN TG_TABLE_NAME = 'incident' THEN 'not in incident_category' ELSE 'still used by incidents' END
            USING ERRCODE = 'foreign_key_violation', TABLE = 'incident', COLUMN = 'category',
                  CONSTRAINT = 'incident_category_fkey';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_category_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();
CREATE TRIGGER incident_category_update AFTER UPDATE ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();
CREATE TRIGGER incident_category_delete_used AFTER DELETE ON incident_category
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();
CREATE TRIGGER incident_category_update_used AFTER UPDATE ON incident_category
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_category_check();

-- 2. The areas of every assigned ward, LSOA and zone set cut into pieces of at most 64 vertices, with
-- their outlines; kept by a trigger on rollup_set (a set gains pieces when assigned, loses them when forgotten).
CREATE TABLE boundary_piece (
    boundary_id bigint   NOT NULL,
    set_id      bigint   NOT NULL,
    code        text     NOT NULL,
    geom        geometry NOT NULL,
    outline     geometry NOT NULL
);
CREATE INDEX boundary_piece_geom_idx ON boundary_piece USING gist (geom);
CREATE INDEX boundary_piece_set_idx ON boundary_piece (set_id);

CREATE FUNCTION rollup_set_pieces() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM boundary_piece WHERE set_id = OLD.set_id;
    ELSE
        INSERT INTO boundary_piece (boundary_id, set_id, code, geom, outline)
        SELECT b.id, b.set_id, b.code, p.geom, ST_Boundary(p.geom)
        FROM boundary b JOIN boundary_set bs ON bs.id = b.set_id AND bs.level <> 'neighbourhood'
        CROSS JOIN LATERAL ST_Subdivide(b.geom, 64) AS p(geom)
        WHERE b.set_id = NEW.set_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER rollup_set_pieces AFTER INSERT OR DELETE ON rollup_set
    FOR EACH ROW EXECUTE FUNCTION rollup_set_pieces();

INSERT INTO boundary_piece (boundary_id, set_id, code, geom, outline)
SELECT b.id, b.set_id, b.code, p.geom, ST_Boundary(p.geom)
FROM rollup_set r JOIN boundary_set bs ON bs.id = r.set_id AND bs.level <> 'neighbourhood'
JOIN boundary b ON b.set_id = r.set_id
CROSS JOIN LATERAL ST_Subdivide(b.geom, 64) AS p(geom);

-- 3. The insert trigger, set-based over its transition table (work_mem: its sorts stay in memory).
CREATE OR REPLACE FUNCTION rollup_incident_insert() RETURNS trigger
    LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
    WITH p AS (
        SELECT n.id, 'exact' AS located_as, n.geom, rollup_month(n.occurred_at) AS month, n.category, n.source
        FROM new_rows n WHERE n.geom IS NOT NULL
        UNION ALL
        SELECT n.id, 'generalised', rollup_generalised(n.geom), rollup_month(n.occurred_at), n.category, n.source
        FROM new_rows n JOIN incident_category c ON c.code = n.category AND c.sensitive
        WHERE n.geom IS NOT NULL),
    -- wards, LSOAs and zones: the pieces near the point. A piece decides alone unless the point lies
    -- within a millimetre of its outline (its area's edge, or a cut whose vertices PostGIS rounded):
    -- then the area itself decides. The tie rule then keeps the smallest code per set.
    area AS (
        SELECT DISTINCT ON (p.id, p.located_as, bp.set_id)
               p.id, p.located_as, bp.set_id, bp.boundary_id, p.month, p.category, p.source
        FROM p JOIN boundary_piece bp ON bp.geom && ST_Expand(p.geom, 0.001)
        WHERE CASE WHEN ST_DWithin(bp.outline, p.geom, 0.001)
                   THEN ST_Intersects((SELECT b.geom FROM boundary b WHERE b.id = bp.boundary_id), p.geom)
                   ELSE ST_Intersects(bp.geom, p.geom) END
        ORDER BY p.id, p.located_as, bp.set_id, bp.code),
    -- neighbourhoods: those of the point's ward
    located AS (
        SELECT * FROM area
        UNION ALL
        SELECT a.id, a.located_as, n.set_id, n.id, a.month, a.category, a.source
        FROM area a
        JOIN neighbourhood_ward nw ON nw.ward_id = a.boundary_id
        JOIN boundary n ON n.id = nw.neighbourhood_id
        JOIN boundary_set ns ON ns.id = n.set_id AND ns.based_on = a.set_id AND ns.level = 'neighbourhood'
        JOIN rollup_set r ON r.set_id = ns.id),
    stored AS (
        INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
        SELECT id, set_id, located_as, boundary_id FROM located)
    -- one row per key, in key order (concurrent writers lock counter rows in the same order)
    INSERT INTO area_month_count AS a (boundary_id, month, category, source, located_as, n)
    SELECT boundary_id, month, category, source, located_as, count(*) FROM located
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (boundary_id, month, category, source, located_as) DO UPDATE SET n = a.n + excluded.n;

    INSERT INTO cell_month_count AS a (month, i, j, category, source, located_as, n)
    SELECT rollup_month(p.occurred_at), floor(ST_X(p.g) / 50)::integer, floor(ST_Y(p.g) / 50)::integer,
           p.category, p.source, p.located_as, count(*)
    FROM (SELECT n.occurred_at, n.category, n.source, 'exact' AS located_as, n.geom AS g
          FROM new_rows n WHERE n.geom IS NOT NULL
          UNION ALL
          SELECT n.occurred_at, n.category, n.source, 'generalised', rollup_generalised(n.geom)
          FROM new_rows n JOIN incident_category c ON c.code = n.category AND c.sensitive
          WHERE n.geom IS NOT NULL) p
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = a.n + excluded.n;
    RETURN NULL;
END $$;
