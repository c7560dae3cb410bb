package connections.oauth;

import store.Connection;

/**
 * The outcome of a callback: the integration now holds the provider's tokens, and {@code status} is
 * what testing them gave ({@code connected}, or {@code error} with the provider's reason in {@code message}).
 */
public record CallbackResult(String integrationId, String authType, Connection.Status status, String message) {
}
