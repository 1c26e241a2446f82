-- Faster imports, the rollup counts of new months (issue 11, session 8; ./aim bench incident-import, see the README).
-- * rollup_added_statements(rel, blank): V21's statements, except that the 50 m cell counts of the months in blank
--   (months that have no cell_month_count row yet) are written by a plain INSERT: an upsert (ON CONFLICT) probes the
--   primary key before each insert and took about twice as long for the same rows. Only incident_insert_rows passes
--   months, and only months that it creates whole under their creation lock (no other writer can add a row of such a
--   month until the import commits; a conflict would still fail the import with 23505, never count a row twice).
--   The trigger path passes none (rollup_added_statements(rel), as before: concurrent reports of one month upsert).
-- * incident_added_statements(rel, blank): the same, with the category check and the key rows as in V11.
-- * incident_insert_rows: passes its fresh months that have no cell counts (a fresh month whose rows waited in
--   incident_default has counts already: it upserts). Otherwise as in V22.
-- Measured (session 8, the counts statement alone over the 1,000,000 rows of ./aim bench incident-import --borough
-- demo, in a transaction rolled back, the backend's CPU time on a shared 2-core machine): 7.1-8.0 s with upserts,
-- 6.3-6.8 s with the plain insert (about 480,000 new cell rows).

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
        -- the counts: incidents per point and key first, then per 50 m cell and per area
        counted AS (
            SELECT x, y, month, category, source, located_as, count(*) AS n FROM p GROUP BY 1, 2, 3, 4, 5, 6),
        -- one row per key, in key order (concurrent writers lock counter rows in the same order)
        cells AS (
            INSERT INTO cell_month_count AS cm (month, i, j, category, source, located_as, n)
            SELECT month, floor(x / 50)::integer, floor(y / 50)::integer, category, source, located_as, sum(n)
            FROM counted %2$s GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = cm.n + excluded.n),
        %3$s
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

CREATE OR REPLACE FUNCTION rollup_added_statements(rel text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    RETURN rollup_added_statements(rel, '{}'::date[]);

CREATE OR REPLACE FUNCTION incident_added_statements(rel text, blank date[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[
        format('SELECT 1 FROM incident_category WHERE code IN (SELECT DISTINCT r.category FROM %1$s r) FOR KEY SHARE', rel),
        format($q$SELECT incident_category_missing(min(n.category)) FROM (SELECT DISTINCT r.category FROM %1$s r) n
                  WHERE NOT EXISTS (SELECT 1 FROM incident_category c WHERE c.code = n.category) HAVING count(*) > 0$q$, rel),
        format('INSERT INTO incident_key (id, source, external_key, occurred_at) SELECT r.id, r.source, r.external_key, r.occurred_at FROM %1$s r', rel)]
        || rollup_added_statements(rel, blank)
$$;

CREATE OR REPLACE FUNCTION incident_added_statements(rel text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    RETURN incident_added_statements(rel, '{}'::date[]);

CREATE OR REPLACE FUNCTION incident_insert_rows(rel regclass) RETURNS TABLE (step text, seconds double precision)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '256MB' AS $$
DECLARE
    months date[];
    fresh  date[] := '{}';
    blank  date[];
    m      date;
    name   text;
    lo     timestamptz;
    hi     timestamptz;
    q      text;
    k      integer := 0;
    ix     record;
    t      timestamptz := clock_timestamp();
    names  text[] := '{}';
    secs   double precision[] := '{}';
BEGIN
    -- the distinct moments first (police.uk: one per month), then their months: rollup_month once per moment, not per row
    EXECUTE format('SELECT array_agg(DISTINCT rollup_month(t)) FROM (SELECT DISTINCT occurred_at AS t FROM %s) d', rel) INTO months;
    FOREACH m IN ARRAY coalesce(months, '{}') LOOP
        name := incident_partition_name(m);
        IF to_regclass(name) IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtext('incident_create_month'), hashtext(name));
            -- read from pg_class, not to_regclass: the cached catalogue may not show a creator's table yet
            IF NOT EXISTS (SELECT FROM pg_class WHERE relname = name AND relnamespace = current_schema()::regnamespace) THEN
                fresh := fresh || m;
            END IF;
        END IF;
    END LOOP;
    names := array_append(names, 'months of the rows'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
    IF cardinality(fresh) < cardinality(months) THEN
        EXECUTE format('INSERT INTO incident SELECT * FROM %s WHERE rollup_month(occurred_at) <> ALL ($1)', rel) USING fresh;
        names := array_append(names, 'insert into existing months (with triggers)'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
    END IF;
    IF cardinality(fresh) > 0 THEN
        -- the fresh months that have no 50 m cell counts yet (none of their rows waited in incident_default): their
        -- cell rows are all new, written by a plain insert (a conflict would fail the import, never add twice)
        SELECT coalesce(array_agg(f), '{}') INTO blank FROM unnest(fresh) f
        WHERE NOT EXISTS (SELECT 1 FROM cell_month_count c WHERE c.month = f);
        FOREACH q IN ARRAY incident_added_statements(CASE WHEN cardinality(fresh) = cardinality(months) THEN rel::text
                ELSE format('(SELECT * FROM %s WHERE rollup_month(occurred_at) = ANY (%L::date[]))', rel, fresh) END, blank) LOOP
            EXECUTE q;
            k := k + 1;
            names := array_append(names, CASE WHEN k <= 2 THEN 'category check' WHEN k = 3 THEN 'key rows (incident_key)'
                                              ELSE 'rollup statement ' || (k - 3) END);
            secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
        END LOOP;
        FOREACH m IN ARRAY fresh LOOP
            name := incident_partition_name(m);
            lo := m::timestamp AT TIME ZONE 'Europe/London';
            hi := (m + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
            EXECUTE format('CREATE TABLE %I (LIKE incident INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                           name, name || '_bounds', lo, hi);
            EXECUTE format('INSERT INTO %I SELECT * FROM %s WHERE occurred_at >= %L AND occurred_at < %L', name, rel, lo, hi);
            names := array_append(names, 'partition fill'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
            FOR ix IN SELECT i.indexrelid, c.oid AS constraint_oid
                      FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                      WHERE i.indrelid = 'incident'::regclass ORDER BY i.indexrelid LOOP
                IF ix.constraint_oid IS NOT NULL THEN
                    EXECUTE format('ALTER TABLE %I ADD %s', name, pg_get_constraintdef(ix.constraint_oid));
                ELSE
                    EXECUTE regexp_replace(pg_get_indexdef(ix.indexrelid), '^(CREATE (UNIQUE )?INDEX) \S+ ON ONLY \S+',
                                           '\1 ON ' || quote_ident(name));
                END IF;
                names := array_append(names, 'index ' || ix.indexrelid::regclass::text);
                secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
            END LOOP;
            -- the month's statistics now, not when autovacuum comes by: until then the planner takes a new month
            -- to hold no rows and reads hotspot windows whole (3–7x slower, ./aim bench scale with and without --analyze).
            -- Only the columns that queries filter, join or group on: the free text (location, outcome, description,
            -- reporter, assignee), the external key and updated_at are never a condition. ANALYZE sets the month's
            -- row and page counts whatever the columns.
            EXECUTE format('ANALYZE %I (id, source, category, occurred_at, occurred_precision, geom, location_precision, '
                           'accuracy_m, area_code, status, fly_size, fly_waste_type, fly_land_type, recorded_by, recorded_at)', name);
            names := array_append(names, 'statistics'::text);
            secs := array_append(secs, extract(epoch FROM clock_timestamp() - t)); t := clock_timestamp();
        END LOOP;

        LOCK TABLE incident IN SHARE UPDATE EXCLUSIVE MODE;
        LOCK TABLE incident_default IN ACCESS EXCLUSIVE MODE;
        FOREACH m IN ARRAY fresh LOOP
            name := incident_partition_name(m);
            lo := m::timestamp AT TIME ZONE 'Europe/London';
            hi := (m + interval '1 month')::timestamp AT TIME ZONE 'Europe/London';
            EXECUTE format('WITH moved AS (DELETE FROM incident_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)
                            INSERT INTO %I SELECT * FROM moved', lo, hi, name);
            EXECUTE format('ALTER TABLE incident ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_bounds');
        END LOOP;
        names := array_append(names, 'attach'::text); secs := array_append(secs, extract(epoch FROM clock_timestamp() - t));
    END IF;
    RETURN QUERY SELECT s.n, sum(s.v) FROM unnest(names, secs) WITH ORDINALITY AS s(n, v, o) GROUP BY s.n ORDER BY min(s.o);
END $$;
