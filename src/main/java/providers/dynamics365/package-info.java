/**
 * Microsoft Dynamics 365 (Dataverse Web API): the adapter over camel-http, its Entra ID sessions (providers.microsoft.EntraSessions), errors,
 * rows and lookups, and the rate-limit headers. What it calls and how: README.md in this folder.
 */
package providers.dynamics365;
