/**
 * CSV rules shared by every export and import: text cells that a spreadsheet would run as a formula
 * are neutralised on the way out ({@link aim.csv.CsvText}).
 */
package aim.csv;
