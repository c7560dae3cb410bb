package api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import api.ApiException;

class FormRefusalTest {

    @Test
    void theMessageGoesToTheFieldItNamesAndTheTypedValuesAreKeptWithoutTheToken() {
        FormRefusal r = FormRefusal.of(ApiException.badRequest("settings.frequency", "must be between 5 and 1440 minutes"),
                Map.of("frequency", "3", "name", "CRM", "_csrf", "secret-token"));

        assertThat(r.errorFor("frequency")).isEqualTo("settings.frequency: must be between 5 and 1440 minutes");
        assertThat(r.errorFor("name")).isNull();
        assertThat(r.general(List.of("frequency", "name"))).isNull();
        assertThat(r.value("frequency", "60")).isEqualTo("3");
        assertThat(r.value("direction", "inbound")).isEqualTo("inbound");
        assertThat(r.typed()).doesNotContainKey("_csrf");
    }

    @Test
    void aRefusalNamingNoInputOfTheFormIsShownAboveIt() {
        FormRefusal r = FormRefusal.of(new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "body: not JSON"), Map.of());

        assertThat(r.errorFor("name")).isNull();
        assertThat(r.general(List.of("name"))).isEqualTo("body: not JSON");
    }
}
