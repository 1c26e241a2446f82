/**
 * The AIM group's problems (OSARA: objective, scanning, analysis, response, assessment, closed), each
 * a place (EPSG:27700, given as a ward, a neighbourhood, a polygon or hotspot grid cells) and incident
 * categories with an optional measurable target; the actions partner organisations take on them; and
 * escalations of NAP-owned problems to the AIM group. Every change is logged. Who sees which actions
 * is one rule: {@link aim.problems.ActionVisibility}.
 */
package aim.problems;
