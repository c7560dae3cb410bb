package providers.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import providers.ProviderException;

/** The {@code $batch} body the adapter sends and its reading of Dataverse's answers, on Microsoft's documented shapes. */
class DataverseBatchWireTest {

    private static final String ACCOUNT = "https://org.crm.dynamics.com/api/data/v9.2/accounts(60c4e274-0d87-e711-80e5-00155db19e6d)";

    @Test
    void theBodyHoldsOneApplicationHttpPartPerRequestAndNoChangeSet() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("If-Match", "W/\"915244\"");
        DataverseBatch.Body body = DataverseBatch.body(List.of(new DataverseBatch.Request("PATCH", ACCOUNT, headers, "{\"name\":\"A\"}"),
                new DataverseBatch.Request("PATCH", ACCOUNT, Map.of("If-Match", "*"), "{\"name\":\"B\"}")));
        String boundary = body.contentType().substring("multipart/mixed;boundary=".length());
        assertThat(boundary).startsWith("batch_");
        assertThat(body.text()).isEqualTo("--" + boundary + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "PATCH " + ACCOUNT + " HTTP/1.1\r\nContent-Type: application/json; charset=utf-8\r\nIf-Match: W/\"915244\"\r\n\r\n"
                + "{\"name\":\"A\"}\r\n"
                + "--" + boundary + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "PATCH " + ACCOUNT + " HTTP/1.1\r\nIf-Match: *\r\n\r\n{\"name\":\"B\"}\r\n"
                + "--" + boundary + "--\r\n");
        assertThat(body.text()).doesNotContain("changeset");
    }

    @Test
    void answersAreReadInOrderChangeSetsInPlaceAndRefusalsClassifiedAsSingleWrites() {
        String answer = """
                --batchresponse_1
                Content-Type: application/http
                Content-Transfer-Encoding: binary

                HTTP/1.1 204 No Content
                OData-Version: 4.0
                OData-EntityId: %1$s


                --batchresponse_1
                Content-Type: application/http
                Content-Transfer-Encoding: binary

                HTTP/1.1 412 Precondition Failed
                Content-Type: application/json; odata.metadata=minimal
                OData-Version: 4.0

                {"error":{"code":"0x80060882","message":"The version of the existing record doesn't match the RowVersion property provided."}}
                --batchresponse_1
                Content-Type: multipart/mixed; boundary=changesetresponse_2

                --changesetresponse_2
                Content-Type: application/http
                Content-Transfer-Encoding: binary
                Content-ID: 1

                HTTP/1.1 204 No Content
                OData-Version: 4.0


                --changesetresponse_2--
                --batchresponse_1--
                """.formatted(ACCOUNT).replace("\n", "\r\n");
        List<DataverseHttp.Answer> answers = DataverseBatch.answers("multipart/mixed; boundary=batchresponse_1",
                answer.getBytes(StandardCharsets.UTF_8));

        assertThat(answers).extracting(DataverseHttp.Answer::status).containsExactly(204, 412, 204);
        assertThat(answers.get(0).header("odata-entityid")).isEqualTo(ACCOUNT);
        assertThat(answers.get(0).body()).isNull();
        ProviderException refused = DataverseErrors.refused("update accounts", answers.get(1));
        assertThat(refused.kind()).isEqualTo(ProviderException.Kind.CONFLICT);
        assertThat(refused.getMessage()).isEqualTo("Dynamics 365 update accounts failed (HTTP 412): 0x80060882 The version of the"
                + " existing record doesn't match the RowVersion property provided.");
    }

    @Test
    void anAnswerCutShortGivesThePartsItHoldsAndOneThatIsNotMultipartIsRefused() {
        String cut = "--batchresponse_1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--batchresponse_1\r\n"
                + "Content-Type: application/http\r\n\r\nHTTP/1.1 204 No";
        assertThat(DataverseBatch.answers("multipart/mixed;boundary=batchresponse_1", cut.getBytes(StandardCharsets.UTF_8)))
                .extracting(DataverseHttp.Answer::status).containsExactly(204);

        assertThatThrownBy(() -> DataverseBatch.answers("application/json", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not multipart/mixed");
        assertThatThrownBy(() -> DataverseBatch.answers("multipart/mixed; boundary=b",
                "--b\r\nContent-Type: application/http\r\n\r\nnot a status\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no status line");
    }
}
