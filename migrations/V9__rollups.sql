-- Rollups (issue 11): each located incident's area per boundary set, stored once, and counts per area and
-- per 50 m grid cell by month, category and source, kept exact in the same transaction as every write to
-- incident by statement-level triggers over transition tables (set-based: one join per statement, never
-- per row). Geometries are EPSG:27700 (metres).
--
-- Semantics (what readers rely on):
-- * located_as 'exact' rows count EVERY located incident (geom not null) at its true point;
--   'generalised' rows count ONLY sensitive-category incidents, at their generalised point (Redaction:
--   the centre of their 500 m British National Grid square), as callers without personal-data access see them.
-- * month = the first day of the incident's month in Europe/London (rollup_month).
-- * Tie rule: a point on a shared edge or vertex belongs to the area with the smallest boundary.code among
--   the set's areas that ST_Intersects it. A neighbourhood set's assignment is that of its wards (a
--   neighbourhood holds exactly the incidents of its wards), so the levels always agree.
-- * Area-only incidents (geom null) are in none of these tables.
-- * Only sets listed in rollup_set are assigned and maintained (rollup_assign_set adds one; the boundary
--   importer and the neighbourhood builder call it in their transaction). A set whose areas change by
--   any other path is dropped from rollup_set, and readers fall back to raw rows for it.
-- * No foreign keys on the rollup tables: the row-level checks would cost per imported row; the triggers
--   below delete what a deleted incident or boundary leaves behind.

CREATE TABLE rollup_set (
    set_id      bigint      PRIMARY KEY REFERENCES boundary_set (id) ON DELETE CASCADE,
    assigned_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE incident_area (
    incident_id bigint NOT NULL,
    set_id      bigint NOT NULL,
    located_as  text   NOT NULL CHECK (located_as IN ('exact', 'generalised')),
    boundary_id bigint NOT NULL,
    PRIMARY KEY (incident_id, set_id, located_as)
);

CREATE TABLE area_month_count (
    boundary_id bigint  NOT NULL,
    month       date    NOT NULL,
    category    text    NOT NULL,
    source      text    NOT NULL,
    located_as  text    NOT NULL CHECK (located_as IN ('exact', 'generalised')),
    n           integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (boundary_id, month, category, source, located_as)
);

-- 50 m British National Grid squares: i = floor(x / 50), j = floor(y / 50) of the (exact or generalised) point
CREATE TABLE cell_month_count (
    month      date    NOT NULL,
    i          integer NOT NULL,
    j          integer NOT NULL,
    category   text    NOT NULL,
    source     text    NOT NULL,
    located_as text    NOT NULL CHECK (located_as IN ('exact', 'generalised')),
    n          integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (month, i, j, category, source, located_as)
);

-- Area-only rows of a window (the readers count them raw) and the rare month-precise rows not at their
-- month's local start (the readers correct whole months for them) without scanning every row of a window.
CREATE INDEX incident_area_only_idx ON incident (occurred_at) WHERE geom IS NULL;
CREATE INDEX incident_offset_month_idx ON incident (occurred_at)
    WHERE occurred_precision = 'month'
      AND occurred_at <> (date_trunc('month', occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London');

CREATE FUNCTION rollup_month(t timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN date_trunc('month', t AT TIME ZONE 'Europe/London')::date;

-- Redaction.squareCentre: the centre of the 500 m square holding the point (the same expression)
CREATE FUNCTION rollup_generalised(g geometry) RETURNS geometry
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ST_SetSRID(ST_MakePoint(floor(ST_X(g) / 500) * 500 + 250, floor(ST_Y(g) / 500) * 500 + 250), 27700);

-- Adds a delta (grouped, one entry per key) to area_month_count and drops rows that reach zero.
CREATE FUNCTION rollup_add_area(d_boundary bigint[], d_month date[], d_category text[], d_source text[],
                                d_located text[], d_n bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF d_boundary IS NULL THEN RETURN; END IF;
    -- in key order, so concurrent writers lock counter rows in the same order (no deadlocks)
    INSERT INTO area_month_count AS a (boundary_id, month, category, source, located_as, n)
    SELECT b, m, c, s, l, n FROM unnest(d_boundary, d_month, d_category, d_source, d_located, d_n) AS d(b, m, c, s, l, n)
    WHERE n > 0 ORDER BY b, m, c, s, l
    ON CONFLICT (boundary_id, month, category, source, located_as) DO UPDATE SET n = a.n + excluded.n;
    -- decrements update (an INSERT would check n >= 0 on the proposed row before it meets the conflict)
    UPDATE area_month_count a SET n = a.n + d.n
    FROM (SELECT * FROM unnest(d_boundary, d_month, d_category, d_source, d_located, d_n) AS d(b, m, c, s, l, n)
          WHERE n < 0 ORDER BY b, m, c, s, l) d
    WHERE a.boundary_id = d.b AND a.month = d.m AND a.category = d.c AND a.source = d.s AND a.located_as = d.l;
    DELETE FROM area_month_count a
    USING unnest(d_boundary, d_month, d_category, d_source, d_located, d_n) AS d(b, m, c, s, l, n)
    WHERE d.n < 0 AND a.boundary_id = d.b AND a.month = d.m AND a.category = d.c AND a.source = d.s
      AND a.located_as = d.l AND a.n = 0;
END $$;

CREATE FUNCTION rollup_add_cell(d_month date[], d_i integer[], d_j integer[], d_category text[], d_source text[],
                                d_located text[], d_n bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF d_month IS NULL THEN RETURN; END IF;
    INSERT INTO cell_month_count AS a (month, i, j, category, source, located_as, n)
    SELECT m, i, j, c, s, l, n FROM unnest(d_month, d_i, d_j, d_category, d_source, d_located, d_n) AS d(m, i, j, c, s, l, n)
    WHERE n > 0 ORDER BY m, i, j, c, s, l
    ON CONFLICT (month, i, j, category, source, located_as) DO UPDATE SET n = a.n + excluded.n;
    UPDATE cell_month_count a SET n = a.n + d.n
    FROM (SELECT * FROM unnest(d_month, d_i, d_j, d_category, d_source, d_located, d_n) AS d(m, i, j, c, s, l, n)
          WHERE n < 0) d
    WHERE a.month = d.m AND a.i = d.i AND a.j = d.j AND a.category = d.c AND a.source = d.s AND a.located_as = d.l;
    DELETE FROM cell_month_count a
    USING unnest(d_month, d_i, d_j, d_category, d_source, d_located, d_n) AS d(m, i, j, c, s, l, n)
    WHERE d.n < 0 AND a.month = d.m AND a.i = d.i AND a.j = d.j AND a.category = d.c AND a.source = d.s
      AND a.located_as = d.l AND a.n = 0;
END $$;

-- Assigns incidents (ids, categories and points as arrays, from a trigger's transition table) to every
-- assigned set: wards, LSOAs and zones by one spatial join with the tie rule; neighbourhoods through their wards.
CREATE FUNCTION rollup_assign_incidents(ids bigint[], categories text[], geoms geometry[]) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
    SELECT p.id, s.set_id, p.located_as, a.id
    FROM (SELECT r.id, 'exact' AS located_as, r.geom FROM unnest(ids, geoms) AS r(id, geom)
          UNION ALL
          SELECT r.id, 'generalised', rollup_generalised(r.geom) FROM unnest(ids, categories, geoms) AS r(id, category, geom)
          JOIN incident_category c ON c.code = r.category AND c.sensitive) p
    CROSS JOIN (SELECT r.set_id FROM rollup_set r JOIN boundary_set bs ON bs.id = r.set_id
                WHERE bs.level <> 'neighbourhood') s
    CROSS JOIN LATERAL (SELECT b.id FROM boundary b WHERE b.set_id = s.set_id AND ST_Intersects(b.geom, p.geom)
                        ORDER BY b.code LIMIT 1) a;
    INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
    SELECT ia.incident_id, ns.id, ia.located_as, n.id
    FROM incident_area ia
    JOIN boundary_set ns ON ns.based_on = ia.set_id AND ns.level = 'neighbourhood'
    JOIN rollup_set r ON r.set_id = ns.id
    JOIN neighbourhood_ward nw ON nw.ward_id = ia.boundary_id
    JOIN boundary n ON n.id = nw.neighbourhood_id AND n.set_id = ns.id
    WHERE ia.incident_id = ANY (ids);
$$;

-- The counts of rows (id, occurred_at, category, source, geom) at their areas (incident_area) and cells,
-- added with sign (+1 or -1). Called from the triggers with the transition tables' rows as arrays.
CREATE FUNCTION rollup_count(ids bigint[], occurred timestamptz[], categories text[], sources text[],
                             geoms geometry[], sign integer) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    b bigint[]; m date[]; c text[]; s text[]; l text[]; n bigint[]; ci integer[]; cj integer[];
BEGIN
    SELECT array_agg(boundary_id), array_agg(month), array_agg(category), array_agg(source), array_agg(located_as),
           array_agg(k)
    INTO b, m, c, s, l, n
    FROM (SELECT ia.boundary_id, rollup_month(r.occurred_at) AS month, r.category, r.source, ia.located_as,
                 sign * count(*) AS k
          FROM unnest(ids, occurred, categories, sources) AS r(id, occurred_at, category, source)
          JOIN incident_area ia ON ia.incident_id = r.id
          GROUP BY 1, 2, 3, 4, 5) d;
    PERFORM rollup_add_area(b, m, c, s, l, n);

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

CREATE FUNCTION rollup_incident_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[]; o timestamptz[]; c text[]; s text[]; g geometry[];
BEGIN
    SELECT array_agg(id), array_agg(occurred_at), array_agg(category), array_agg(source), array_agg(geom)
    INTO ids, o, c, s, g FROM new_rows WHERE geom IS NOT NULL;
    IF ids IS NULL THEN RETURN NULL; END IF;
    PERFORM rollup_assign_incidents(ids, c, g);
    PERFORM rollup_count(ids, o, c, s, g, 1);
    RETURN NULL;
END $$;

CREATE FUNCTION rollup_incident_delete() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[]; o timestamptz[]; c text[]; s text[]; g geometry[];
BEGIN
    SELECT array_agg(id), array_agg(occurred_at), array_agg(category), array_agg(source), array_agg(geom)
    INTO ids, o, c, s, g FROM old_rows WHERE geom IS NOT NULL;
    IF ids IS NULL THEN RETURN NULL; END IF;
    PERFORM rollup_count(ids, o, c, s, g, -1);
    DELETE FROM incident_area WHERE incident_id = ANY (ids);
    RETURN NULL;
END $$;

-- Only rows whose place, category, source or time changed move; a status change costs one join.
CREATE FUNCTION rollup_incident_update() RETURNS trigger
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
        DELETE FROM incident_area WHERE incident_id = ANY (ids);
    END IF;
    SELECT array_agg(id), array_agg(occurred_at), array_agg(category), array_agg(source), array_agg(geom)
    INTO ids, o, c, s, g FROM new_rows WHERE id = ANY (changed) AND geom IS NOT NULL;
    IF ids IS NOT NULL THEN
        PERFORM rollup_assign_incidents(ids, c, g);
        PERFORM rollup_count(ids, o, c, s, g, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER incident_rollup_insert AFTER INSERT ON incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_insert();
CREATE TRIGGER incident_rollup_delete AFTER DELETE ON incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_delete();
CREATE TRIGGER incident_rollup_update AFTER UPDATE ON incident
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_incident_update();

-- Removes a set's assignment and area counts (its row in rollup_set too): readers then read raw rows for it.
CREATE FUNCTION rollup_forget_sets(sets bigint[], boundaries bigint[]) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM area_month_count
    WHERE boundary_id IN (SELECT id FROM boundary WHERE set_id = ANY (sets)
                          UNION ALL SELECT unnest(boundaries));
    DELETE FROM incident_area WHERE set_id = ANY (sets);
    DELETE FROM rollup_set WHERE set_id = ANY (sets);
$$;

-- Assigns every located incident to one boundary set by one bulk spatial join and adds its area counts.
-- Idempotent (a set assigned before is assigned afresh). A neighbourhood set is assigned through its
-- ward set, which is assigned first if it is not yet.
CREATE FUNCTION rollup_assign_set(p_set bigint) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    lvl text; base bigint;
BEGIN
    SELECT level, based_on INTO lvl, base FROM boundary_set WHERE id = p_set;
    IF lvl IS NULL THEN RAISE EXCEPTION 'no boundary set %', p_set; END IF;
    -- incidents written concurrently would miss the new set: let them finish first, and hold new ones
    -- until this transaction ends (boundary imports are rare)
    LOCK TABLE incident IN SHARE MODE;
    PERFORM rollup_forget_sets(ARRAY[p_set], NULL);
    IF lvl = 'neighbourhood' THEN
        IF NOT EXISTS (SELECT 1 FROM rollup_set WHERE set_id = base) THEN PERFORM rollup_assign_set(base); END IF;
        INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
        SELECT ia.incident_id, p_set, ia.located_as, n.id
        FROM incident_area ia
        JOIN neighbourhood_ward nw ON nw.ward_id = ia.boundary_id
        JOIN boundary n ON n.id = nw.neighbourhood_id AND n.set_id = p_set
        WHERE ia.set_id = base;
    ELSE
        INSERT INTO incident_area (incident_id, set_id, located_as, boundary_id)
        SELECT p.id, p_set, p.located_as, a.id
        FROM (SELECT x.id, 'exact' AS located_as, x.geom FROM incident x WHERE x.geom IS NOT NULL
              UNION ALL
              SELECT x.id, 'generalised', rollup_generalised(x.geom) FROM incident x
              JOIN incident_category c ON c.code = x.category AND c.sensitive
              WHERE x.geom IS NOT NULL) p
        CROSS JOIN LATERAL (SELECT b.id FROM boundary b WHERE b.set_id = p_set AND ST_Intersects(b.geom, p.geom)
                            ORDER BY b.code LIMIT 1) a;
    END IF;
    INSERT INTO area_month_count (boundary_id, month, category, source, located_as, n)
    SELECT ia.boundary_id, rollup_month(x.occurred_at), x.category, x.source, ia.located_as, count(*)
    FROM incident_area ia JOIN incident x ON x.id = ia.incident_id
    WHERE ia.set_id = p_set
    GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO rollup_set (set_id) VALUES (p_set);
END $$;

-- Areas added, changed or removed by any path make their set's rollups stale: forget them (cheap when the
-- set is not assigned, as while an importer inserts a new set's areas before assigning it).
CREATE FUNCTION rollup_boundary_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    sets bigint[]; gone bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT set_id), array_agg(id) INTO sets, gone FROM old_rows;
        -- the set's rollup_set row may already be gone (cascade from boundary_set): clean up regardless
        IF sets IS NOT NULL THEN PERFORM rollup_forget_sets(sets, gone); END IF;
    ELSE
        SELECT array_agg(DISTINCT set_id) INTO sets FROM new_rows WHERE set_id IN (SELECT set_id FROM rollup_set);
        IF sets IS NOT NULL THEN PERFORM rollup_forget_sets(sets, NULL); END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER boundary_rollup_insert AFTER INSERT ON boundary
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_boundary_changed();
CREATE TRIGGER boundary_rollup_update AFTER UPDATE ON boundary
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_boundary_changed();
CREATE TRIGGER boundary_rollup_delete AFTER DELETE ON boundary
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_boundary_changed();

-- Whether a category is sensitive decides the generalised rows: a change rebuilds everything (rare, admin).
CREATE FUNCTION rollup_category_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE n.sensitive IS DISTINCT FROM o.sensitive) THEN
        PERFORM rollup_rebuild();
    END IF;
    RETURN NULL;
END $$;

-- Recomputes every rollup from the incident table (backfill; after a category's sensitivity changes).
CREATE FUNCTION rollup_rebuild() RETURNS void
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
    DELETE FROM incident_area;
    DELETE FROM rollup_set;
    FOR s IN SELECT id FROM boundary_set ORDER BY level = 'neighbourhood', id LOOP
        IF NOT EXISTS (SELECT 1 FROM rollup_set WHERE set_id = s) THEN PERFORM rollup_assign_set(s); END IF;
    END LOOP;
END $$;

CREATE TRIGGER incident_category_rollup AFTER UPDATE ON incident_category
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_category_changed();

-- Backfill: every existing set and incident.
SELECT rollup_rebuild();
