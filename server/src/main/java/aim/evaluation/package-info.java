/**
 * "Did it work?": evaluation of an intervention in a place (a ward, a neighbourhood, a problem's place or
 * an action's problem and dates) by comparing the incidents before and after in the target, a buffer
 * around it and control areas: Farrington's relative effect size (RES) with its 95 % interval and Bowers
 * and Johnson's weighted displacement quotient (WDQ), with suggested control wards. Geometry in EPSG:27700
 * (metres); counts as the caller may see them ({@link aim.incidents.Redaction}).
 */
package aim.evaluation;
