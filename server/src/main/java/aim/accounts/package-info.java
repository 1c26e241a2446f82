/**
 * User accounts and roles (admin, analyst, warden, planner, viewer): bcrypt-hashed passwords,
 * browser sessions in an HttpOnly cookie, expiring and revocable API tokens for devices and scripts,
 * log-in lockout per name and throttling per address. The web layer checks them on each request
 * (which role may call which endpoint, and that cookie writes come from AIM's own pages).
 */
package aim.accounts;
