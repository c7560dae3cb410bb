/**
 * Microsoft Dynamics 365 (Dataverse Web API): the adapter over camel-http, its sessions and Entra ID tokens, errors,
 * rows and lookups, and the rate-limit headers. What it calls and how: README.md in this folder.
 */
package providers.dynamics365;
