// Ward boundary version picker: a Leaflet control with <select id="ward-version">.
// The pure functions below also decide which neighbourhood set goes with a ward set.

/** The entries of one level from /api/boundaries/versions, newest validFrom first. */
export function versionsOfLevel(versions, level) {
  return (versions || [])
    .filter((v) => v && v.level === level)
    .slice()
    .sort((a, b) => String(b.validFrom ?? '').localeCompare(String(a.validFrom ?? '')));
}

/** The version name to show by default for a level: the current one, else the newest; undefined if none. */
export function currentVersion(versions, level) {
  const ofLevel = versionsOfLevel(versions, level);
  return (ofLevel.find((v) => v.current) ?? ofLevel[0])?.version;
}

/**
 * The neighbourhood version to show with a ward version: one based on that ward
 * version (the current one if several are), or null when none is: neighbourhoods
 * made of other wards would not line up with these, so none are shown.
 */
export function neighbourhoodVersionFor(versions, wardVersion) {
  const based = versionsOfLevel(versions, 'neighbourhood').filter((v) => v.basedOn === wardVersion);
  if (based.length > 0) return (based.find((v) => v.current) ?? based[0]).version;
  return null;
}

/** "demo — from 2024-05-01 (current)" */
export function versionLabel(entry) {
  let label = entry.version;
  if (entry.validFrom) label += ` — from ${entry.validFrom}`;
  if (entry.validTo) label += ` to ${entry.validTo}`;
  if (entry.current) label += ' (current)';
  return label;
}

/** The <option>s of the picker: [{value, label, selected}]. */
export function versionOptions(versions, level, selectedVersion) {
  return versionsOfLevel(versions, level).map((entry) => ({
    value: entry.version,
    label: versionLabel(entry),
    selected: entry.version === selectedVersion,
  }));
}

/**
 * The picker control (top right). onChange(version) is called when the user picks
 * another ward version. Returns the L.Control; add it with control.addTo(map).
 */
export function createVersionControl(L, { versions, selected, onChange }) {
  const control = L.control({ position: 'topright' });
  control.onAdd = () => {
    const box = L.DomUtil.create('div', 'leaflet-bar aim-version');
    const label = L.DomUtil.create('label', '', box);
    label.htmlFor = 'ward-version';
    label.textContent = 'Wards';
    const select = L.DomUtil.create('select', '', box);
    select.id = 'ward-version';
    for (const option of versionOptions(versions, 'ward', selected)) {
      select.add(new Option(option.label, option.value, option.selected, option.selected));
    }
    select.addEventListener('change', () => onChange(select.value));
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  return control;
}
