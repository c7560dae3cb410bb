package hub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

import security.OutboundGuard;

/**
 * A hop in front of this hub's own sandbox: a WireMock server that proxies every request to the sandbox unless a test
 * stubs it first (a 503, a 429, a delay), which the outbound guard lets the hub call as an operator would list a
 * provider on loopback. The Host header passes through, so the sandbox hands out instance URLs and page links on the hop.
 */
public final class SandboxHop implements AutoCloseable {

    private final WireMockServer server;
    private final OutboundGuard.Allowance allowance;

    public SandboxHop(OutboundGuard guard, int hubPort) {
        server = new WireMockServer(options().dynamicPort().preserveHostHeader(true));
        server.start();
        allowance = guard.allow("localhost", server.port());
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://localhost:" + hubPort)));
    }

    /** The WireMock server, for a test's own stubs (priority above 10) and checks. */
    public WireMockServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        allowance.close();
        server.stop();
    }
}
