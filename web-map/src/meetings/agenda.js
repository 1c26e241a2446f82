// The meetings page's logic, pure: which meeting the address asks for, decisions grouped by agenda
// item, problems that can still go on the agenda, and the meeting in one line.

/** The meeting id of ?id=N, or null (the list). */
export function meetingIdOf(search) {
  const raw = new URLSearchParams(search ?? '').get('id');
  return raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

/** {problemId|'general': [decision…]} in the order recorded. */
export function decisionsByProblem(decisions) {
  const groups = {};
  for (const d of decisions ?? []) {
    const key = d.problemId ?? 'general';
    (groups[key] ??= []).push(d);
  }
  return groups;
}

/** Problems (features of GET /api/problems) not on the agenda and not closed, by title. */
export function agendaCandidates(features, agenda) {
  const on = new Set((agenda ?? []).map((item) => item.problemId));
  return (features ?? [])
    .map((f) => f.properties)
    .filter((p) => p && !on.has(p.id) && p.stage !== 'closed')
    .sort((a, b) => String(a.title).localeCompare(String(b.title), 'en-GB'));
}

/** '2026-12-10 · AIM tasking group · 4 on the agenda · 2 decisions' */
export function meetingLine(m) {
  const parts = [m.heldOn, m.title];
  if (Number.isFinite(m.agendaCount)) parts.push(`${m.agendaCount} on the agenda`);
  if (Number.isFinite(m.decisionCount)) parts.push(`${m.decisionCount} decision${m.decisionCount === 1 ? '' : 's'}`);
  return parts.filter(Boolean).join(' · ');
}

/** The map link of a problem (the view URL the briefing uses too). */
export const problemMapLink = (problemId) => `/?layers=problems,wards&problem=${Number(problemId)}`;
