/**
 * The small core every domain may use and that uses none of them: the JSON mapper ({@link aim.core.Json}),
 * the one validation issue value ({@link aim.core.Issue}) and the domain exception
 * ({@link aim.core.DomainException}) that says what went wrong and which field is at fault. Nothing here
 * knows HTTP; the web layer's {@code Problems} alone turns these into RFC 9457 problems with a status.
 */
package aim.core;
