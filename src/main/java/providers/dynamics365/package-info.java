/**
 * Microsoft Dynamics 365 (Dataverse). So far only its rate-limit headers; the adapter, session, errors and
 * webhook roles come later, in this package.
 */
package providers.dynamics365;
