package providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where an authorization-code connection finds Graph: the Graph of its authority's cloud. */
class GraphCloudsTest {

    @Test
    void eachCloudsAuthorityHasItsGraph() {
        assertThat(GraphClient.cloudGraphUrl("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"))
                .isEqualTo("https://graph.microsoft.com/v1.0");
        assertThat(GraphClient.cloudGraphUrl("https://login.microsoftonline.us/contoso.us/oauth2/v2.0/token"))
                .isEqualTo("https://graph.microsoft.us/v1.0");
        assertThat(GraphClient.cloudGraphUrl("https://login.chinacloudapi.cn/contoso.cn/oauth2/v2.0/token"))
                .isEqualTo("https://microsoftgraph.chinacloudapi.cn/v1.0");
        assertThat(GraphClient.cloudGraphUrl("http://localhost:8080/sandbox/entra/sandbox-tenant/oauth2/v2.0/token"))
                .isEqualTo("http://localhost:8080/sandbox/graph/v1.0");
        assertThat(GraphClient.cloudGraphUrl(null)).isEqualTo("https://graph.microsoft.com/v1.0");
        assertThat(GraphClient.cloudGraphUrl("not a url")).isEqualTo("https://graph.microsoft.com/v1.0");
    }
}
